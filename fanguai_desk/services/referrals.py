"""Legal-aid referrals (法律援助转介): green channel, priority handling, and the Legal Aid Law's clock.

002 三(三)10, 003 第十九条(五), 004 第二十四条(四); 法律援助法 art. 43 (decide within 7 days, assign a lawyer
within 3 days of deciding), art. 44 (urgent: aid may start at once when a legal deadline is < 7 days away).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from fanguai_desk.domain.clocks import ReferralClock, referral_clock
from fanguai_desk.domain.entry_rules import check_referral_consent
from fanguai_desk.domain.enums import AuditAction, ConsentScope, ReferralMatter, ReferralStatus
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.lifecycle import ensure_real_reason
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.consents import valid_consent
from fanguai_desk.services.paging import DEFAULT_PAGE, Cursor, Page, fetch_page, make_page
from fanguai_desk.services.victims import display_name
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import LegalAidReferral, ReferralEvent, Victim

_S = ReferralStatus
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    # 补充材料 (art. 43 第二款) pauses the decision clock; the materials arriving puts it back to "referred".
    _S.REFERRED: frozenset({_S.ACCEPTED, _S.DECLINED, _S.REVOKED, _S.MATERIALS_REQUESTED}),
    _S.MATERIALS_REQUESTED: frozenset({_S.REFERRED, _S.REVOKED}),  # 未按要求补充材料: 视为撤回申请
    _S.ACCEPTED: frozenset({_S.LAWYER_ASSIGNED, _S.REVOKED, _S.TERMINATED}),
    _S.LAWYER_ASSIGNED: frozenset({_S.CONCLUDED, _S.REVOKED, _S.TERMINATED}),  # 终止: art. 48
    # After a refusal or termination: an objection to the 司法行政部门 (art. 49), which maintains the decision
    # or orders the institution to correct it (then the aid goes ahead: accepted).
    _S.DECLINED: frozenset({_S.OBJECTED}),
    _S.TERMINATED: frozenset({_S.OBJECTED}),
    _S.OBJECTED: frozenset({_S.ACCEPTED, _S.DECLINED, _S.TERMINATED}),
    _S.CONCLUDED: frozenset(),
    _S.REVOKED: frozenset(),
}
#: States in which someone still has to act (open referrals in the work list).
OPEN_STATES = frozenset({_S.REFERRED, _S.MATERIALS_REQUESTED, _S.ACCEPTED, _S.OBJECTED})


@dataclass(frozen=True)
class ReferralRow:
    id: str
    victim_id: str
    file_number: str
    display_name: str
    institution: str
    matter: ReferralMatter
    referral_date: date
    status: ReferralStatus
    green_channel: bool
    clock: ReferralClock
    consent_overridden: bool


def clock_of(r: LegalAidReferral, today: date) -> ReferralClock:
    """The referral's running clock (one call for every screen: lists, file tab, dashboard rows)."""
    return referral_clock(r.referral_date, r.status, r.decision_date, r.lawyer_assigned_date, today,
                          paused_days=r.paused_days or 0, urgent_deadline=r.urgent_deadline,
                          objected_on=r.objected_on)


class ReferralService(ServiceBase):
    def add(self, victim_id: str, data: Mapping[str, Any], consent_override_reason: str | None = None) -> str:
        """Refer to a legal-aid institution.  Needs the consent on record, or an explicit, audited override."""
        values = fields.REFERRAL.coerce(data)
        override = fields.NOTE("consent_override_reason", consent_override_reason)
        if override is not None:
            # "急" is not a reason: the override stays on the file and in the audit, it must say why.
            override = ensure_real_reason(override, "consent_override_reason")
        if values["referral_date"] > local_today():
            raise ValidationError("date_in_future", field="referral_date")
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            consent = valid_consent(s, victim, ConsentScope.REFERRAL, values["referral_date"])
            check_referral_consent(consent.id if consent else None, override)
            row = LegalAidReferral(victim_id=victim.id, status=ReferralStatus.REFERRED,
                                   green_channel=values.pop("green_channel", None) is not False,
                                   consent_id=consent.id if consent else None,
                                   consent_override_reason=override if consent is None else None, **values)
            row.events = [ReferralEvent(status=ReferralStatus.REFERRED, at=values["referral_date"])]
            s.add(row)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, LegalAidReferral.RECORD_TYPE, row.id, victim=victim.id)
            if consent is None:
                # The override stays visible on the file (VictimFile.consent_overrides) and in the audit log.
                self.uow.audit(s, AuditAction.CONSENT_OVERRIDE, LegalAidReferral.RECORD_TYPE, row.id,
                                victim=victim.id, scope=ConsentScope.REFERRAL.value)
            return row.id

    def update(self, referral_id: str, status: ReferralStatus | str, on: date | str, *, note: str | None = None,
               lawyer: str | None = None, outcome: str | None = None, expected_version: int | None = None) -> None:
        new = fields.enum_of(ReferralStatus)("status", status)
        when = fields.parse_date("date", on)
        note_text = fields.NOTE("note", note)
        lawyer_text = fields.NAME("lawyer", lawyer)
        outcome_text = fields.NOTE("outcome", outcome)
        if new is None or when is None:
            raise ValidationError("field_required", field="status" if new is None else "date")
        with self.uow.tx() as s:
            row, _victim = self._child(s, LegalAidReferral, referral_id, write=True)
            self._check_version(row, expected_version)
            if new not in TRANSITIONS[row.status]:
                raise RuleViolation("referral_transition", from_status=row.status.value, to_status=new.value)
            if when < row.referral_date:
                raise ValidationError("date_before_referral")
            if new in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.TERMINATED):
                row.decision_date = when
            if new in (ReferralStatus.DECLINED, ReferralStatus.TERMINATED) and not (outcome_text or note_text):
                # art. 43 / art. 48: a refusal or termination is written, with its reasons.
                raise ValidationError("decline_needs_reason")
            if new is ReferralStatus.MATERIALS_REQUESTED:
                row.materials_requested_on = when
            if row.status is ReferralStatus.MATERIALS_REQUESTED and new is ReferralStatus.REFERRED:
                # The materials arrived: the days in between do not count against the institution.
                started = row.materials_requested_on or when
                row.paused_days = (row.paused_days or 0) + max(0, (when - started).days)
                row.materials_requested_on = None
            if new is ReferralStatus.OBJECTED:
                row.objected_on = when
            if new is ReferralStatus.LAWYER_ASSIGNED:
                row.lawyer_assigned_date = when
                row.lawyer = lawyer_text or row.lawyer
            if new is ReferralStatus.CONCLUDED:
                row.concluded_date = when
            if outcome_text:
                row.outcome = outcome_text
            row.status = new
            row.events.append(ReferralEvent(status=new, at=when, note=note_text))
            self.uow.audit(s, AuditAction.UPDATE, LegalAidReferral.RECORD_TYPE, row.id, status=new.value)

    def page(self, *, waiting_only: bool = False, overdue_only: bool = False, victim_id: str | None = None,
             today: date | None = None, after: Cursor | None = None, limit: int = DEFAULT_PAGE) -> Page[ReferralRow]:
        """A keyset page (``services/paging.py``) of the referrals, by referral date then id; uncapped."""
        today = today or local_today()
        stmt = self._statement(waiting_only, overdue_only, victim_id, today)
        with self.uow.read() as s:
            fetched = fetch_page(s, stmt, sort=LegalAidReferral.referral_date, id_col=LegalAidReferral.id,
                                 after=after, limit=limit)
            rows = [self._row(r, v, today) for r, v in fetched]
        return make_page(fetched, rows, limit, lambda row: Cursor(row[0].referral_date, row[0].id))

    def list(self, *, waiting_only: bool = False, overdue_only: bool = False, victim_id: str | None = None,
             today: date | None = None, limit: int = 500) -> list[ReferralRow]:
        return self.page(waiting_only=waiting_only, overdue_only=overdue_only, victim_id=victim_id, today=today,
                         limit=limit).rows

    def _statement(self, waiting_only: bool, overdue_only: bool, victim_id: str | None, today: date) -> Select[Any]:
        stmt = select(LegalAidReferral, Victim).join(Victim, Victim.id == LegalAidReferral.victim_id)
        ids = self.uow.visible_township_ids()
        if ids is not None:
            stmt = stmt.where(Victim.township_id.in_(ids))
        if victim_id:
            stmt = stmt.where(LegalAidReferral.victim_id == victim_id)
        if waiting_only:
            stmt = stmt.where(LegalAidReferral.status.in_(OPEN_STATES))
        if overdue_only:
            stmt = stmt.where(rule_sql.referral_overdue(today))
        return stmt

    @staticmethod
    def _row(r: LegalAidReferral, v: Victim, today: date) -> ReferralRow:
        return ReferralRow(r.id, v.id, v.file_number, display_name(v), r.institution, r.matter, r.referral_date,
                           r.status, r.green_channel,
                           clock_of(r, today),
                           bool(r.consent_override_reason))
