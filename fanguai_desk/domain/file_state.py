"""What a file's own records say about it, for the workbench's "nobody forgotten" cards (issue 13).

Each rule here reads one file's visits (跟踪回访) and services; the registry keeps its answer on the file
(``victims.next_visit_on``, ``last_visit_on``, ``last_contact_on``, ``schooling_gap``), maintained by SQLite
triggers in the same transaction as every write (``store/state.py``: that SQL is the rules' twin, and
``tests/store/test_rule_sql.py`` requires the two to agree on every file of a grid).  The cards and their
lists then read one index range (``store/rule_sql.py``: ``without_visit_plan``, ``out_of_contact``,
``schooling_unrecorded``) instead of looking into every file's visits.

* **Next planned visit:** the earliest planned date of the file's planned visits.  A planned visit without
  a date is no plan: it is never due and never overdue, so the file would be forgotten.
* **Last visit:** the latest actual date of a done visit.
* **Last contact:** the last visit, else the rescue date, else the day the file was made.
* **Out of contact:** the last contact more than ``days`` (the registry's ``no_contact_days``) ago.
* **Schooling gap:** no return-to-school service (回归学校, 003 第十九条) that is not cancelled, or the last
  visit recorded nothing on schooling.  Counted only for school-age children (``clocks.is_school_age``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fanguai_desk.domain.enums import FollowUpStatus, ServiceStatus, ServiceType

__all__ = [
    "BLANK",
    "NO_SCHOOL_SERVICE",
    "SCHOOLING_UNKNOWN",
    "FileService",
    "FileVisit",
    "last_contact",
    "last_visit",
    "next_planned_visit",
    "out_of_contact",
    "schooling_gap",
]

#: What counts as "nothing written" in a visit's schooling note: spaces, tabs, line breaks, the ideographic space.
BLANK = " \t\r\n\u3000"
NO_SCHOOL_SERVICE = "no_school_service"
SCHOOLING_UNKNOWN = "schooling_unknown"


@dataclass(frozen=True)
class FileVisit:
    id: str
    status: FollowUpStatus
    planned_date: date | None = None
    actual_date: date | None = None
    updated_at: datetime | None = None
    schooling: str | None = None


@dataclass(frozen=True)
class FileService:
    service_type: ServiceType
    status: ServiceStatus


def next_planned_visit(visits: Iterable[FileVisit]) -> date | None:
    """The earliest planned date of the planned visits; None: no plan.  SQL twin: ``store.state``."""
    dates = [v.planned_date for v in visits if v.status == FollowUpStatus.PLANNED and v.planned_date is not None]
    return min(dates, default=None)


def _latest_done(visits: Iterable[FileVisit]) -> FileVisit | None:
    """The latest done visit: by actual date, then last change, then id (a missing date sorts lowest)."""
    done = [v for v in visits if v.status == FollowUpStatus.DONE]
    return max(done, default=None, key=lambda v: (v.actual_date is not None, v.actual_date or date.min,
                                                   v.updated_at is not None, v.updated_at or datetime.min, v.id))


def last_visit(visits: Iterable[FileVisit]) -> date | None:
    """The latest actual date of a done visit.  SQL twin: ``store.state``."""
    dates = [v.actual_date for v in visits if v.status == FollowUpStatus.DONE and v.actual_date is not None]
    return max(dates, default=None)


def last_contact(last_visit_on: date | None, rescue_date: date | None, created_on: date) -> date:
    """The last visit, else the rescue date, else the day the file was made.  SQL twin: ``store.state``."""
    if last_visit_on is not None:
        return last_visit_on
    return rescue_date if rescue_date is not None else created_on


def out_of_contact(last_contact_on: date, today: date, days: int) -> bool:
    """No contact for more than ``days`` days.  SQL twin: ``store.rule_sql.out_of_contact``."""
    return last_contact_on < today - timedelta(days=days)


def schooling_gap(visits: Iterable[FileVisit], services: Iterable[FileService]) -> str | None:
    """``NO_SCHOOL_SERVICE``, else ``SCHOOLING_UNKNOWN`` when the last done visit wrote nothing on schooling,
    else None.  SQL twin: ``store.state``."""
    if not any(s.service_type == ServiceType.RETURN_TO_SCHOOL and s.status != ServiceStatus.CANCELLED
               for s in services):
        return NO_SCHOOL_SERVICE
    latest = _latest_done(visits)
    if latest is None or not (latest.schooling or "").strip(BLANK):
        return SCHOOLING_UNKNOWN
    return None
