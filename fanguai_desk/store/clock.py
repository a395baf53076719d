"""Time in one place: stored times are UTC and naive (SQLite has no time zones).

Every reading of the wall clock goes through ``wall_clock`` so that tests can set a wrong clock
(``monkeypatch.setattr(clock, "wall_clock", ...)``) and see every service use it.  The clock is not
trusted blindly: ``store/high_water.py`` keeps the highest time the registry has seen.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime


def wall_clock() -> datetime:
    """The system clock, aware (UTC).  Replaced in tests to play a wrong clock."""
    return datetime.now(UTC)


_SYSTEM_CLOCK = wall_clock


def utcnow() -> datetime:
    return wall_clock().replace(tzinfo=None)


def local_today() -> date:
    # Deadlines (overdue visits, legal-aid clocks) are calendar days where the caseworker is.  The local date of
    # the instant, as ``wall_clock().astimezone().date()`` gives it, without building a time zone object (every
    # list page and search reads the day: half the cost).
    # The system clock's seconds directly when no test has replaced it (half the cost again: every search).
    clock = wall_clock
    return date.fromtimestamp(time.time() if clock is _SYSTEM_CLOCK else clock().timestamp())
