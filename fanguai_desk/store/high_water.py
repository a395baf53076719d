"""The highest time the registry has seen: a laptop clock is not trusted blindly.

Offline laptops' clocks are never corrected automatically.  The registry keeps a high-water mark
(``registry_meta`` key ``clock_high_water``, ISO UTC) raised by every audit entry (sign-in, every write,
sign-out).  At sign-in the mark recorded *before* that sign-in is compared with the clock:

* a clock behind the mark (by more than ``BEHIND_TOLERANCE``) is shown to the user and audited (the
  sign-in entry carries ``clock="behind"``, a code only);
* a clock more than ``JUMP_LIMIT`` ahead of it (the clock jumped forward, or simply a day or more since
  the last use — a laptop cannot tell the two apart) must be confirmed before anything irreversible
  (purge) runs.  Until it is confirmed the mark from before the jump is kept (``PENDING_KEY``) and stays
  the reference: signing in again with the same wrong clock does not make the jump go away.

Retention (``services/purge.py``) needs both the clock and that mark past a file's retention date.
A registry from before the mark existed starts from its newest audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanguai_desk.store.clock import local_day
from fanguai_desk.store.models import AuditEntry, RegistryMeta

HIGH_WATER_KEY = "clock_high_water"
PENDING_KEY = "clock_unconfirmed_since"
JUMP_LIMIT = timedelta(days=1)
BEHIND_TOLERANCE = timedelta(minutes=5)
_CACHE_KEY = "clock_high_water"


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def recorded(s: Session) -> datetime | None:
    """The mark as stored; without one (a registry from before it), the newest audit entry's time."""
    row = s.get(RegistryMeta, HIGH_WATER_KEY)
    mark = _parse(row.value if row is not None else None)
    if mark is None:
        newest = s.scalar(select(func.max(AuditEntry.at)))
        mark = newest if isinstance(newest, datetime) else None
    return mark


def trusted(s: Session) -> datetime | None:
    """The reference for a jump and for retention: the mark from before an unconfirmed jump, else the mark."""
    row = s.get(RegistryMeta, PENDING_KEY)
    pending = _parse(row.value if row is not None else None)
    return pending if pending is not None else recorded(s)


def hold_jump(s: Session, check: ClockCheck) -> None:
    """At sign-in: remember the mark from before a jump until the clock is confirmed."""
    if check.jumped_ahead and check.high_water is not None and s.get(RegistryMeta, PENDING_KEY) is None:
        s.merge(RegistryMeta(key=PENDING_KEY, value=check.high_water.isoformat(timespec="seconds")))


def confirm(s: Session) -> bool:
    """The user confirmed the clock: the jump is accepted.  True when one was pending."""
    row = s.get(RegistryMeta, PENDING_KEY)
    if row is None:
        return False
    s.delete(row)
    return True


def raise_to(s: Session, at: datetime) -> None:
    """Raise the mark to ``at`` (never lowers it), in the caller's transaction."""
    cached = s.info.get(_CACHE_KEY)
    current = cached if isinstance(cached, datetime) else _parse(
        row.value if (row := s.get(RegistryMeta, HIGH_WATER_KEY)) is not None else None)
    if current is not None and current >= at:
        s.info[_CACHE_KEY] = current
        return
    s.merge(RegistryMeta(key=HIGH_WATER_KEY, value=at.isoformat(timespec="seconds")))
    s.info[_CACHE_KEY] = at


def forget_cached(s: Session) -> None:
    s.info.pop(_CACHE_KEY, None)


@dataclass(frozen=True)
class ClockCheck:
    """The clock at sign-in against the mark recorded before it."""

    now: datetime  # UTC, naive
    high_water: datetime | None  # the reference before this sign-in (see ``trusted``)
    highest: datetime | None = None  # the highest time seen (for "behind"); defaults to ``high_water``

    @property
    def behind(self) -> bool:
        top = self.highest or self.high_water
        return top is not None and self.now < top - BEHIND_TOLERANCE

    @property
    def jumped_ahead(self) -> bool:
        return self.high_water is not None and self.now > self.high_water + JUMP_LIMIT

    @property
    def audit_code(self) -> str | None:
        return "behind" if self.behind else "ahead" if self.jumped_ahead else None

    def trusted_today(self, today: date) -> date:
        """The day both the clock and the mark have reached (what retention may count on).  The mark's local
        day, as ``today`` is: its UTC date would hold retention a day back every morning before 08:00 in UTC+8."""
        if self.high_water is None:
            return today
        return min(today, local_day(self.high_water))

    def recorded_today(self, today: date) -> date:
        """The latest of the clock and the mark: a clock set back cannot make a close older.  The mark's local
        day (west of UTC its UTC date is tomorrow every evening: a file closed then was dated the next day)."""
        top = self.highest or self.high_water
        return today if top is None else max(today, local_day(top))
