"""The workbench counts (工作台).  Each count comes with the filter that lists exactly what it counted."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, literal, literal_column, select

from fanguai_desk.domain.clocks import UPCOMING_DAYS, days_unidentified, unidentified_since
from fanguai_desk.domain.enums import FileStatus, IdentityStatus, PlacementState, ReferralStatus
from fanguai_desk.services import prepared
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.referrals import OPEN_STATES
from fanguai_desk.services.review import FlaggedFile, ReviewService, flagged_rows, flagged_sql
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.services.victims import display_name
from fanguai_desk.services.worklists import CARDS, WorkListService, count_sqls
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_day, local_today
from fanguai_desk.store.models import FILE_TALLIES, FollowUp, LegalAidReferral, ServiceRecord, Victim


@dataclass(frozen=True)
class UnidentifiedStay:
    victim_id: str
    file_number: str
    display_name: str
    since: date
    days: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    open_files: int
    followups_overdue: int
    followups_due_soon: int
    referrals_waiting: int  # no decision for longer than the configured number of days
    referrals_overdue: int  # past the Legal Aid Law's 7-day decision or 3-day lawyer deadline
    services_overdue: int
    unidentified_count: int
    unidentified_longest: list[UnidentifiedStay] = field(default_factory=list)
    placement_counts: dict[PlacementState | None, int] = field(default_factory=dict)
    # "Nobody forgotten" (issue 13): counted by services/worklists.py, which also lists them.
    files_without_plan: int = 0
    files_without_contact: int = 0
    school_age_without_school: int = 0
    turning_16: int = 0
    turning_18: int = 0
    unidentified_past_threshold: int = 0
    referrals_urgent: int = 0  # open referrals with a legal deadline near (法律援助法 第四十四条)
    # Files with an open review flag (a record that broke a rule after a later change, or an imported file
    # number that collides with a local one): services/review.py, which also lists them.
    files_flagged_for_review: int = 0
    flagged_files: list[FlaggedFile] = field(default_factory=list)  # the first of them, by file number


def _children(model: Any, ids: tuple[str, ...] | None, *conds: Any, files: Any = None,
              few: bool = False) -> Select[Any]:
    """count(*), not count(id): answered from the (status, date) index without reading the rows.

    A township as its list of file ids (caseworker).  Records that are many per file (visits, services): one
    seek per file into the (victim_id, status, date) index, and only into the files that can have one —
    ``files``, a condition on the file's maintained state implied by ``conds`` (a file with an overdue visit
    has its next planned visit before today, ``rule_sql.visit_overdue``).  Records that are few in the whole
    county (open referrals, fewer than a township's files): ``few`` reads the county's range of the status
    index and keeps the township's (the unary ``+`` stops SQLite seeking once per file instead)."""
    stmt = select(func.count()).select_from(model).where(*conds)
    if ids is not None:  # caseworker: only their township's files
        scope = select(Victim.id).where(Victim.township_id.in_(ids))
        if files is not None:
            scope = scope.where(files)
        key = literal_column(f"+{model.__tablename__}.victim_id") if few else model.victim_id
        stmt = stmt.where(key.in_(scope))
    return stmt


def _files(stmt: Select[Any], ids: tuple[str, ...] | None) -> Select[Any]:
    return stmt if ids is None else stmt.where(Victim.township_id.in_(ids))


def _tallied(stmt: Select[Any], ids: tuple[str, ...] | None) -> Select[Any]:
    """Open files counted from the tallies (county, or the caseworker's townships)."""
    t = FILE_TALLIES
    stmt = stmt.select_from(t).where(t.c.status == FileStatus.OPEN.value)
    return stmt if ids is None else stmt.where(t.c.township_id.in_(ids))


@functools.lru_cache(maxsize=32)
def _count_sql(today: date, wait_days: int, ids: tuple[str, ...] | None) -> dict[str, str]:
    """The workbench's counts, built once per day, setting and scope (``services/prepared.py``)."""
    ref = LegalAidReferral
    t = FILE_TALLIES
    stmts = {
        "followups_overdue": _children(FollowUp, ids, rule_sql.followup_overdue(today),
                                       files=rule_sql.visit_overdue(today)),
        # a visit due within UPCOMING_DAYS: the file's earliest planned visit is no later
        "followups_due_soon": _children(FollowUp, ids, rule_sql.followup_due_soon(today),
                                        files=Victim.next_visit_on <= today + timedelta(days=UPCOMING_DAYS)),
        "referrals_waiting": _children(ref, ids, ref.status == ReferralStatus.REFERRED,
                                       ref.referral_date < today - timedelta(days=wait_days), few=True),
        # art. 43 clock, paused for 补充材料, art. 44 urgency, art. 49 review (rule_sql twin of referral_clock)
        "referrals_overdue": _children(ref, ids, rule_sql.referral_overdue(today), few=True),
        "referrals_urgent": _children(ref, ids, ref.status.in_(OPEN_STATES), ref.urgent_deadline.is_not(None),
                                      few=True),
        "services_overdue": _children(ServiceRecord, ids, rule_sql.service_overdue(today)),
        # The file tallies (store/state.py): open files per township, identity and placement, kept by triggers —
        # a few hundred rows for the county instead of every open file's index entry.
        "open_files": _tallied(select(func.coalesce(func.sum(t.c.n), 0)), ids),
        "unidentified_count": _tallied(select(func.coalesce(func.sum(t.c.n), 0))
                                       .where(t.c.identity_status == IdentityStatus.UNKNOWN.value), ids),
        "placements": _tallied(select(func.nullif(t.c.placement, ""), func.sum(t.c.n)), ids)
                      .group_by(t.c.placement).having(func.sum(t.c.n) != 0),
    }
    return {key: prepared.compiled(stmt) for key, stmt in stmts.items()}


@functools.lru_cache(maxsize=32)
def _longest_stays(ids: tuple[str, ...] | None, longest: int) -> Select[Any]:
    since = rule_sql.unidentified_since()
    # ``since > ''`` is always true (the expression ends in the day the file was made), but as a range on the
    # expression it lets SQLite read ix_victims_unidentified_since in order and stop after ``longest`` entries,
    # where the planner would otherwise sort every unidentified open file of the county (3.5 ms at 100,000).
    return _files(select(Victim.id, Victim.file_number, Victim.hidden_name, Victim.name, Victim.alias,
                         Victim.arrived_at_institution_on, Victim.rescue_date, Victim.created_at, Victim.identified_on)
                  .where(Victim.identity_status == IdentityStatus.UNKNOWN, Victim.status == FileStatus.OPEN,
                         since > literal("")), ids
                  ).order_by(since, Victim.id).limit(longest)


class DashboardService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, worklists: WorkListService, review: ReviewService) -> None:
        super().__init__(desk)
        self.worklists = worklists
        self.review = review

    def compute(self, today: date | None = None, longest: int = 10) -> Dashboard:
        """Every card in one read: the settings and scope once, every count in one statement (the workbench's,
        the "nobody forgotten" cards', the flagged files'), then the placements, the longest stays and the
        first flagged files — each statement built once per day, setting and scope."""
        today = today or local_today()
        settings = self.uow.settings()
        visible = self.uow.visible_township_ids()
        ids = None if visible is None else tuple(visible)
        sqls = dict(_count_sql(today, settings.referral_wait_days, ids))
        placements_sql = sqls.pop("placements")
        cards = count_sqls(CARDS, today, settings, ids)
        flagged_count_sql = flagged_sql(ids, longest)[0]
        with self.uow.read() as s:
            n = {key: int(c or 0) for key, c in prepared.scalars(
                s, {**sqls, **cards, "files_flagged_for_review": flagged_count_sql}).items()}
            placement_counts = {PlacementState(st) if st is not None else None: int(c)
                                for st, c in prepared.rows(s, placements_sql)}
            stays = []
            for row in s.execute(_longest_stays(ids, longest)):
                since = unidentified_since(row.arrived_at_institution_on, row.rescue_date,
                                           local_day(row.created_at))
                shown = Victim(hidden_name=row.hidden_name, name=row.name, alias=row.alias)  # transient, for the mask
                stays.append(UnidentifiedStay(row.id, row.file_number, display_name(shown), since,
                                              days_unidentified(since, row.identified_on, today)))
            flagged = flagged_rows(s, ids, longest)
        return Dashboard(today, n["open_files"], n["followups_overdue"], n["followups_due_soon"],
                         n["referrals_waiting"], n["referrals_overdue"], n["services_overdue"],
                         n["unidentified_count"], stays, placement_counts, referrals_urgent=n["referrals_urgent"],
                         files_flagged_for_review=n["files_flagged_for_review"], flagged_files=flagged,
                         **{kind.value: n[kind.value] for kind in CARDS})
