"""Time in one place: stored times are UTC and naive (SQLite has no time zones).

Every reading of the wall clock goes through ``wall_clock`` so that tests can set a wrong clock
(``monkeypatch.setattr(clock, "wall_clock", ...)``) and see every service use it.  The clock is not
trusted blindly: ``store/high_water.py`` keeps the highest time the registry has seen.

Days are the caseworker's: ``local_today`` is the local calendar day of now, and ``local_day`` the local
calendar day of a stored instant (the day a file was made, in China UTC+8: a file entered at 07:30 on
1 January is a file of 1 January, not of 31 December).  Queries take the same day from
``rule_sql.local_day``, its SQL twin; ``local_time`` shows a stored instant on the laptop's clock.
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


def _aware(instant: datetime) -> datetime:
    # Stored times are naive and mean UTC (SQLite keeps no zone); an aware one is taken as it says.
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant


def local_time(instant: datetime) -> datetime:
    """A stored instant (naive UTC, or aware) on the laptop's clock: aware, in the process's local zone."""
    return _aware(instant).astimezone()


def local_day(instant: datetime) -> date:
    """The caseworker's calendar day of a stored instant (naive UTC, or aware): the local date, as
    ``local_today`` gives it for now.  SQL twin: ``rule_sql.local_day`` (SQLite's ``'localtime'``, the same C
    library zone of the same process; ``tests/store/test_rule_sql.py`` requires both to agree)."""
    # fromtimestamp rather than astimezone(): the day only, without a time zone object (file lists call this
    # per row), and the very call local_today makes, so local_day(utcnow()) == local_today() by construction.
    return date.fromtimestamp(_aware(instant).timestamp())


def local_today() -> date:
    # Deadlines (overdue visits, legal-aid clocks) are calendar days where the caseworker is.  The local date of
    # the instant, as ``wall_clock().astimezone().date()`` gives it, without building a time zone object (every
    # list page and search reads the day: half the cost).
    # The system clock's seconds directly when no test has replaced it (half the cost again: every search).
    clock = wall_clock
    return date.fromtimestamp(time.time() if clock is _SYSTEM_CLOCK else clock().timestamp())
