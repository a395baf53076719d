"""The workbench counts (工作台).  Each count comes with the filter that lists exactly what it counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from fanguai_desk.domain.clocks import days_unidentified, unidentified_since
from fanguai_desk.domain.enums import FileStatus, IdentityStatus, PlacementState, ReferralStatus
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.referrals import OPEN_STATES
from fanguai_desk.services.review import FlaggedFile, ReviewService
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.services.victims import display_name
from fanguai_desk.services.worklists import CARDS, WorkListService
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import FollowUp, LegalAidReferral, ServiceRecord, Victim


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


class DashboardService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, worklists: WorkListService, review: ReviewService) -> None:
        super().__init__(desk)
        self.worklists = worklists
        self.review = review

    def _scoped(self, stmt: Select[Any]) -> Select[Any]:
        ids = self.desk.visible_township_ids()
        return stmt if ids is None else stmt.where(Victim.township_id.in_(ids))

    def compute(self, today: date | None = None, longest: int = 10) -> Dashboard:
        today = today or local_today()
        wait_days = self.desk.settings().referral_wait_days
        ids = self.desk.visible_township_ids()

        with self.desk.read() as s:
            def n(stmt: Select[Any]) -> int:
                return int(s.scalar(stmt) or 0)

            def count_children(model: Any, *conds: Any) -> int:
                # count(*), not count(id): answered from the (status, date) index without reading the rows.
                # A township as its list of file ids: one seek per file into the (victim_id, status, date)
                # index, instead of reading every overdue row of the county and then its file.
                stmt = select(func.count()).select_from(model).where(*conds)
                if ids is not None:  # caseworker: only their township's files
                    stmt = stmt.where(model.victim_id.in_(select(Victim.id).where(Victim.township_id.in_(ids))))
                return n(stmt)

            overdue = count_children(FollowUp, rule_sql.followup_overdue(today))
            soon = count_children(FollowUp, rule_sql.followup_due_soon(today))
            waiting = count_children(LegalAidReferral, LegalAidReferral.status == ReferralStatus.REFERRED,
                                     LegalAidReferral.referral_date < today - timedelta(days=wait_days))
            # art. 43 clock, paused for 补充材料, art. 44 urgency, art. 49 review (rule_sql twin of referral_clock)
            ref_overdue = count_children(LegalAidReferral, rule_sql.referral_overdue(today))
            urgent = count_children(LegalAidReferral, LegalAidReferral.status.in_(OPEN_STATES),
                                    LegalAidReferral.urgent_deadline.is_not(None))
            svc = count_children(ServiceRecord, rule_sql.service_overdue(today))
            open_files = n(self._scoped(select(func.count()).select_from(Victim)
                                        .where(Victim.status == FileStatus.OPEN)))
            unid_q = self._scoped(select(Victim).where(Victim.identity_status == IdentityStatus.UNKNOWN,
                                                       Victim.status == FileStatus.OPEN))
            unid_count = n(unid_q.with_only_columns(func.count(), maintain_column_froms=True))
            since_col = rule_sql.unidentified_since()
            stays = []
            for v in s.scalars(unid_q.order_by(since_col, Victim.id).limit(longest)):
                since = unidentified_since(v.arrived_at_institution_on, v.rescue_date, v.created_at.date())
                stays.append(UnidentifiedStay(v.id, v.file_number, display_name(v), since,
                                              days_unidentified(since, v.identified_on, today)))
            # The maintained state (store/state.py): one index range, not one lookup per open file.
            pc_stmt = self._scoped(select(Victim.current_placement, func.count())
                                   .where(Victim.status == FileStatus.OPEN)).group_by(Victim.current_placement)
            placement_counts = {state: int(c) for state, c in s.execute(pc_stmt)}
        cards = self.worklists.counts(CARDS, today)
        return Dashboard(today, open_files, overdue, soon, waiting, ref_overdue, svc, unid_count, stays,
                         placement_counts, referrals_urgent=urgent,
                         files_flagged_for_review=self.review.count_flagged_files(),
                         flagged_files=self.review.flagged_files(longest), **cards)
