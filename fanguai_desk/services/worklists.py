"""Work lists and the workbench's "nobody forgotten" cards — one home for what each counts and lists.

Every list here is a SQL predicate over files (and their visits, services or referrals).  The same predicate
gives the workbench's number (``count``), the CLI's list and the desktop's lazy list (``page``, keyset
paging: no cap, no OFFSET), so a number always opens exactly the rows it counted.

The "nobody forgotten" cards (issue 13), with the stable keys of ``dashboard --json``:

* ``files_without_plan`` — open files with no planned visit.
* ``files_without_contact`` — open files whose last contact (the latest recorded visit, else the rescue date,
  else the day the file was made) is more than ``no_contact_days`` (a registry setting, default 90) ago.
* ``school_age_without_school`` — open files of school-age children (6–16, ``clocks.is_school_age``) with no
  return-to-school service (回归学校, 003 第十九条), or whose last visit recorded nothing on schooling.
* ``turning_16`` — open files of people turning 16 in the next 30 days: vocational training becomes possible
  (技能培训和就业 for 16周岁以上, 003 第十九条 / ``rules.MIN_TRAINING_AGE``).
* ``turning_18`` — turning 18 in the next 30 days: the person's own consent replaces the guardian's
  (``consents``: a minor's consent is given by the guardian).
* ``unidentified_past_threshold`` — open files whose identity is still unknown longer than
  ``clocks.HUKOU_THRESHOLD_DAYS`` (落户: 滞留…一定期限以上仍未查明身份信息的, 依法办理户籍).

The ages and deadlines are the SQL twins in ``store/rule_sql.py`` (``is_school_age``, ``turns_age_within``,
``referral_overdue`` …), checked against ``domain/clocks.py`` over a grid of dates by
``tests/store/test_rule_sql.py``.  The cards' own rules (next planned visit, last contact, schooling at the last
visit) live in ``domain/file_state.py``; the database keeps their answer on each file (``store/state.py``, kept
by triggers, checked by ``doctor``), so a card is one index range, and its count statement is built once per
day, setting and scope (``services/prepared.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
)

from fanguai_desk.domain.clocks import (
    ADULT_AGE,
    HUKOU_THRESHOLD_DAYS,
    birthday_on_or_after,
)
from fanguai_desk.domain.enums import (
    FileStatus,
    FollowUpStatus,
    IdentityStatus,
    ReferralStatus,
)
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.domain.rules import MIN_TRAINING_AGE
from fanguai_desk.domain.settings import RegistrySettings
from fanguai_desk.services import prepared
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.referrals import OPEN_STATES
from fanguai_desk.services.victims import display_name
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import FollowUp, LegalAidReferral, ServiceRecord, Township, Victim

TURNING_WINDOW_DAYS = 30
UPCOMING_WEEKS = 4


class WorkList(StrEnum):
    FOLLOWUPS_OVERDUE = "followups_overdue"
    FOLLOWUPS_DUE_SOON = "followups_due_soon"
    FOLLOWUPS_UPCOMING = "followups_upcoming"  # overdue and the next 4 weeks ("my visits")
    FOLLOWUPS_PLANNED = "followups_planned"
    SERVICES_OVERDUE = "services_overdue"
    REFERRALS_OPEN = "referrals_open"
    REFERRALS_WAITING = "referrals_waiting"  # no decision for longer than the registry's referral_wait_days
    REFERRALS_OVERDUE = "referrals_overdue"
    REFERRALS_ALL = "referrals_all"
    FILES_WITHOUT_PLAN = "files_without_plan"
    FILES_WITHOUT_CONTACT = "files_without_contact"
    SCHOOL_AGE_WITHOUT_SCHOOL = "school_age_without_school"
    TURNING_16 = "turning_16"
    TURNING_18 = "turning_18"
    UNIDENTIFIED_PAST_THRESHOLD = "unidentified_past_threshold"


#: The "nobody forgotten" cards, in the order the workbench shows them.
CARDS: tuple[WorkList, ...] = (
    WorkList.FILES_WITHOUT_PLAN, WorkList.FILES_WITHOUT_CONTACT, WorkList.SCHOOL_AGE_WITHOUT_SCHOOL,
    WorkList.TURNING_16, WorkList.TURNING_18, WorkList.UNIDENTIFIED_PAST_THRESHOLD,
)
#: What changes on the birthday (a code the UI and CLI label): 16 → training possible, 18 → own consent.
TURNING_CHANGES = {WorkList.TURNING_16: "training_possible", WorkList.TURNING_18: "own_consent"}

VISIT_LISTS = frozenset({WorkList.FOLLOWUPS_OVERDUE, WorkList.FOLLOWUPS_DUE_SOON, WorkList.FOLLOWUPS_UPCOMING,
                         WorkList.FOLLOWUPS_PLANNED})
REFERRAL_LISTS = frozenset({WorkList.REFERRALS_OPEN, WorkList.REFERRALS_WAITING, WorkList.REFERRALS_OVERDUE,
                            WorkList.REFERRALS_ALL})
#: Lists whose default order is "newest first" (the one that became overdue last week on top).
NEWEST_FIRST = frozenset({WorkList.FOLLOWUPS_OVERDUE, WorkList.SERVICES_OVERDUE})
SORTS = ("when", "file_number", "township")
_FAR_PAST = date(1, 1, 1)


@dataclass(frozen=True)
class WorkFilter:
    township_id: str | None = None
    caseworker_id: str | None = None  # the visit's caseworker for visit lists, else the file's


@dataclass(frozen=True)
class WorkRow:
    """One line of a work list (masked, like every list)."""

    id: str  # the visit / service / referral id, or the file id for file lists
    victim_id: str
    file_number: str
    display_name: str
    township: str
    caseworker_id: str | None
    when: date | None  # planned / due / deadline / last contact / birthday / unidentified since
    status: str | None  # the record's status code
    detail: str | None  # method, service type, referral matter, or what changes (training_possible…)
    urgent: bool = False  # legal aid, art. 44
    days: int | None = None  # days overdue / since contact / unidentified


@dataclass(frozen=True)
class WorkCursor:
    values: tuple[Any, ...]


# ----------------------------------------------------------------------------- card rules
# The ages, deadlines and stays come from ``store/rule_sql.py`` (the SQL twins of ``domain/clocks.py``); a file's
# next and last visit, last contact and schooling gap (``domain/file_state.py``) are kept on the file by the
# database (``store/state.py``), so each card is one index range.


# ----------------------------------------------------------------------------- the lists


@dataclass(frozen=True)
class _Spec:
    stmt: Select[Any]  # selects Victim, then: rid, when, status, detail, urgent, caseworker
    caseworker_col: Any
    when_col: Any
    rid_col: Any
    urgent_rank: Any | None = None


def _file_spec(where: Sequence[ColumnElement[bool]], when: Any, detail: Any = None) -> _Spec:
    stmt = (select(Victim, Victim.id.label("rid"), when.label("when"), Victim.status.label("status_code"),
                   (detail if detail is not None else literal(None)).label("detail"), literal(False).label("urgent"),
                   Victim.caseworker_id.label("cw"))
            .where(Victim.status == FileStatus.OPEN, *where))
    return _Spec(stmt, Victim.caseworker_id, when, Victim.id)


def _spec(kind: WorkList, today: date, no_contact_days: int, wait_days: int) -> _Spec:
    if kind in VISIT_LISTS:
        f = FollowUp
        cond: list[ColumnElement[bool]] = [f.status == FollowUpStatus.PLANNED]
        if kind is WorkList.FOLLOWUPS_OVERDUE:
            cond.append(rule_sql.followup_overdue(today))
        elif kind is WorkList.FOLLOWUPS_DUE_SOON:
            cond.append(rule_sql.followup_due_soon(today))
        elif kind is WorkList.FOLLOWUPS_UPCOMING:
            cond.append(f.planned_date <= today + timedelta(days=UPCOMING_WEEKS * 7))
        stmt: Select[Any] = (select(Victim, f.id.label("rid"), f.planned_date.label("when"),
                                    f.status.label("status_code"),
                       f.method.label("detail"), literal(False).label("urgent"), f.caseworker_id.label("cw"))
                .join(f, f.victim_id == Victim.id).where(*cond))
        return _Spec(stmt, f.caseworker_id, f.planned_date, f.id)
    if kind is WorkList.SERVICES_OVERDUE:
        r = ServiceRecord
        stmt = (select(Victim, r.id.label("rid"), r.due_date.label("when"), r.status.label("status_code"),
                       r.service_type.label("detail"), literal(False).label("urgent"),
                       Victim.caseworker_id.label("cw"))
                .join(r, r.victim_id == Victim.id)
                .where(rule_sql.service_overdue(today)))
        return _Spec(stmt, Victim.caseworker_id, r.due_date, r.id)
    if kind in REFERRAL_LISTS:
        ref = LegalAidReferral
        deadline = rule_sql.referral_running_deadline()
        urgent = ref.urgent_deadline.is_not(None)
        cond = [ref.status.in_(OPEN_STATES)]
        if kind is WorkList.REFERRALS_OVERDUE:
            cond = [rule_sql.referral_overdue(today)]
        elif kind is WorkList.REFERRALS_WAITING:  # what the workbench's referrals_waiting counts
            cond = [ref.status == ReferralStatus.REFERRED, ref.referral_date < today - timedelta(days=wait_days)]
        elif kind is WorkList.REFERRALS_ALL:
            cond = []
        stmt = (select(Victim, ref.id.label("rid"), deadline.label("when"), ref.status.label("status_code"),
                       ref.matter.label("detail"), urgent.label("urgent"), Victim.caseworker_id.label("cw"))
                .join(ref, ref.victim_id == Victim.id).where(*cond))
        # Urgent referrals (art. 44) first, whatever the order asked for.
        return _Spec(stmt, Victim.caseworker_id, deadline, ref.id, urgent_rank=case((urgent, 0), else_=1))
    if kind is WorkList.FILES_WITHOUT_PLAN:
        return _file_spec([rule_sql.without_visit_plan()], Victim.last_visit_on)
    if kind is WorkList.FILES_WITHOUT_CONTACT:
        return _file_spec([rule_sql.out_of_contact(today, no_contact_days)], Victim.last_contact_on)
    if kind is WorkList.SCHOOL_AGE_WITHOUT_SCHOOL:
        return _file_spec([rule_sql.is_school_age(today), rule_sql.schooling_unrecorded()], Victim.last_visit_on,
                          Victim.schooling_gap)
    if kind in (WorkList.TURNING_16, WorkList.TURNING_18):
        age = MIN_TRAINING_AGE if kind is WorkList.TURNING_16 else ADULT_AGE
        birthday = case((Victim.birth_date.is_not(None), Victim.birth_date),
                        else_=func.printf("%04d-12-31", Victim.estimated_birth_year))
        return _file_spec([rule_sql.turns_age_within(today, age, TURNING_WINDOW_DAYS)], birthday,
                          literal(TURNING_CHANGES[kind]))
    if kind is WorkList.UNIDENTIFIED_PAST_THRESHOLD:
        return _file_spec([Victim.identity_status == IdentityStatus.UNKNOWN,
                           rule_sql.unidentified_since() <= today - timedelta(days=HUKOU_THRESHOLD_DAYS)],
                          rule_sql.unidentified_since())
    raise ValidationError("enum_value", field="list", allowed=", ".join(k.value for k in WorkList))


def _scoped(spec: _Spec, ids: tuple[str, ...] | None, flt: WorkFilter) -> _Spec:
    stmt = spec.stmt
    if ids is not None:
        stmt = stmt.where(Victim.township_id.in_(ids))
    if flt.township_id:
        stmt = stmt.where(Victim.township_id == flt.township_id)
    if flt.caseworker_id:
        stmt = stmt.where(spec.caseworker_col == flt.caseworker_id)
    return _Spec(stmt, spec.caseworker_col, spec.when_col, spec.rid_col, spec.urgent_rank)


@functools.lru_cache(maxsize=128)
def _count_sql(kind: WorkList, today: date, no_contact_days: int, wait_days: int,
               ids: tuple[str, ...] | None, flt: WorkFilter) -> str:
    """Built once per list, day, settings and scope (``services/prepared.py``: building a statement costs
    more than running it over the maintained columns)."""
    spec = _scoped(_spec(kind, today, no_contact_days, wait_days), ids, flt)
    return prepared.compiled(select(func.count()).select_from(spec.stmt.with_only_columns(spec.rid_col).subquery()))


def count_sqls(kinds: Sequence[WorkList], today: date, settings: RegistrySettings, ids: tuple[str, ...] | None,
               flt: WorkFilter = WorkFilter()) -> dict[str, str]:
    """Each list's count as SQL built once (the workbench runs them with its own counts in one statement)."""
    return {WorkList(k).value: _count_sql(WorkList(k), today, settings.no_contact_days, settings.referral_wait_days,
                                          ids, flt) for k in kinds}


def _kind(kind: WorkList | str) -> WorkList:
    try:
        return WorkList(kind)
    except ValueError:
        raise ValidationError("enum_value", field="list", allowed=", ".join(k.value for k in WorkList)) from None


class WorkListService(ServiceBase):
    def _visible(self) -> tuple[str, ...] | None:
        ids = self.uow.visible_township_ids()
        return None if ids is None else tuple(ids)

    def _prepared(self, kind: WorkList | str, flt: WorkFilter, today: date) -> _Spec:
        settings = self.uow.settings()
        spec = _spec(_kind(kind), today, settings.no_contact_days, settings.referral_wait_days)
        return _scoped(spec, self._visible(), flt)

    def count(self, kind: WorkList | str, flt: WorkFilter = WorkFilter(), today: date | None = None) -> int:
        return self.counts([_kind(kind)], today, flt)[_kind(kind).value]

    def counts(self, kinds: Sequence[WorkList] = CARDS, today: date | None = None,
               flt: WorkFilter = WorkFilter()) -> dict[str, int]:
        """Several lists' counts: the settings read once, one read transaction, statements built once."""
        today = today or local_today()
        sqls = count_sqls(kinds, today, self.uow.settings(), self._visible(), flt)
        with self.uow.read() as s:
            return {key: int(n or 0) for key, n in prepared.scalars(s, sqls).items()}

    def page(self, kind: WorkList | str, flt: WorkFilter = WorkFilter(), *, sort: str = "when",
             descending: bool | None = None, after: WorkCursor | None = None, limit: int = 200,
             today: date | None = None) -> tuple[list[WorkRow], WorkCursor | None]:
        """The next ``limit`` rows after ``after`` (keyset: the same cost at row 100,000 as at row 1).

        Default order: overdue lists newest first, the others nearest first; legal-aid referrals with a
        legal deadline near (art. 44) always first."""
        today = today or local_today()
        kind = WorkList(kind)
        if sort not in SORTS:
            raise ValidationError("enum_value", field="sort", allowed=", ".join(SORTS))
        desc = (kind in NEWEST_FIRST and sort == "when") if descending is None else descending
        spec = self._prepared(kind, flt, today)
        stmt = spec.stmt.join(Township, Township.id == Victim.township_id)
        sort_col = {"when": func.coalesce(spec.when_col, _FAR_PAST, type_=Date),
                    "file_number": Victim.file_number, "township": Township.name}[sort]
        keys = ([spec.urgent_rank] if spec.urgent_rank is not None else []) + [sort_col, spec.rid_col]
        if after is not None:
            mine, theirs = tuple_(*keys), tuple_(*after.values)
            if spec.urgent_rank is not None:
                # urgent rank always ascending; the rest in the asked direction
                rank, rest = keys[0], keys[1:]
                r0, rv = after.values[0], after.values[1:]
                later = tuple_(*rest) < tuple_(*rv) if desc else tuple_(*rest) > tuple_(*rv)
                stmt = stmt.where(or_(rank > r0, and_(rank == r0, later)))
            else:
                stmt = stmt.where(mine < theirs if desc else mine > theirs)
        order = [k.desc() if desc else k.asc() for k in keys]
        if spec.urgent_rank is not None:
            order[0] = spec.urgent_rank.asc()
        stmt = stmt.add_columns(*[k.label(f"k{i}") for i, k in enumerate(keys)]).order_by(*order).limit(limit)
        rows: list[WorkRow] = []
        last: tuple[Any, ...] | None = None
        with self.uow.read() as s:
            for rec in s.execute(stmt).unique():
                rows.append(self._row(kind, rec, today))
                last = tuple(rec._mapping[f"k{i}"] for i in range(len(keys)))
        return rows, (WorkCursor(last) if last is not None and len(rows) == limit else None)

    @staticmethod
    def _row(kind: WorkList, rec: Any, today: date) -> WorkRow:
        v: Victim = rec[0]
        when = rec.when
        if isinstance(when, str):
            when = date.fromisoformat(when)
        if kind in (WorkList.TURNING_16, WorkList.TURNING_18):
            when = birthday_on_or_after(v.birth_date, v.estimated_birth_year,
                                        MIN_TRAINING_AGE if kind is WorkList.TURNING_16 else ADULT_AGE)
        days = None
        if when is not None and kind not in (WorkList.TURNING_16, WorkList.TURNING_18):
            days = (today - when).days
        detail = rec.detail
        status = rec.status_code
        return WorkRow(id=rec.rid, victim_id=v.id, file_number=v.file_number, display_name=display_name(v),
                       township=v.township.name, caseworker_id=rec.cw, when=when,
                       status=getattr(status, "value", status), detail=getattr(detail, "value", detail),
                       urgent=bool(rec.urgent), days=days)


__all__ = ["CARDS", "TURNING_CHANGES", "WorkCursor", "WorkFilter", "WorkList", "WorkListService", "WorkRow"]
