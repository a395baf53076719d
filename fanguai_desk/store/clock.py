"""Time in one place: stored times are UTC and naive (SQLite has no time zones)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    # Deadlines (overdue visits, legal-aid clocks) are calendar days where the caseworker is.
    return date.today()
