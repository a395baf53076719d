"""Printed reports: build the views from the registry, render, sign (PAdES-B-B), audit the print.

* 回访记录表 — :meth:`ReportService.followup_record`, one visit;
* 专门档案摘要 — :meth:`ReportService.file_summary`, a whole file for a handover;
* 年度工作情况统计表 — :meth:`ReportService.annual`, and 阶段工作情况统计表 — :meth:`ReportService.period`:
  protected counts only (:mod:`fanguai_desk.services.statistics`, :mod:`fanguai_desk.reports.disclosure`),
  also as a spreadsheet (:meth:`ReportService.annual_workbook`, :meth:`ReportService.period_workbook`).

What a print shows (least exposure, DOMAIN.md "Privacy"): by default the person's **direct identifiers**
are masked — name (张*华, or ``*******`` for a hidden name), ID number (5101**********123X), birth date
(year only), addresses (first characters), guardians' and placement households' names.  The content the
print exists for (the visit's findings, services, referrals, placement history) is printed as recorded.
``full_name=True`` prints the identifiers in full: an explicit choice, recorded as ``REVEAL``.

Every print is recorded as ``PRINT`` with the record id and the report kind, never personal data.  The
work is: signing material (refused early: nothing is written when there is no certificate) → read in the
actor's scope (a file of another township looks like no file) → render → sign → audit → return the bytes.
If anything fails before the audit commits, no PDF is returned and nothing is written.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.clocks import (
    DueState,
    age_on,
    days_unidentified,
    followup_state,
    unidentified_since,
)
from fanguai_desk.domain.enums import (
    AuditAction,
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpStatus,
    IdentityStatus,
    Role,
)
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.domain.labels import label
from fanguai_desk.domain.masking import HIDDEN_NAME, mask_address, mask_id_number, mask_name
from fanguai_desk.pki.validation import CertStatus, certificate_status
from fanguai_desk.reports.annual import render_stat_report
from fanguai_desk.reports.file_summary import render_file_summary
from fanguai_desk.reports.followup import render_followup_record
from fanguai_desk.reports.layout import fmt_date
from fanguai_desk.reports.papercode import PaperMark, new_doc_id, new_secret
from fanguai_desk.reports.signing import certificate_fingerprint, sign_pdf, signing_time
from fanguai_desk.reports.spreadsheet import render_stat_workbook
from fanguai_desk.reports.verify import PdfVerification, verify_pdf
from fanguai_desk.reports.views import (
    FileSummaryView,
    FollowUpRecordView,
    FollowUpRow,
    PlacementRow,
    ReferralRow,
    ServiceRow,
    StatReportView,
)
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.pki import PkiService, SigningMaterial
from fanguai_desk.services.referrals import clock_of
from fanguai_desk.services.statistics import county_annual_book, county_period_book
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.store.clock import local_day, local_today
from fanguai_desk.store.models import (
    Case,
    Consent,
    FollowUp,
    Guardian,
    LegalAidReferral,
    Placement,
    PrintLog,
    ServiceRecord,
    User,
    Victim,
)

log = logging.getLogger(__name__)

SUMMARY_MAX_CHARS = 120
NATIONALITY_LABELS = {"CN": "中国"}


class ReportKind(StrEnum):
    FOLLOWUP_RECORD = "followup_record"
    FILE_SUMMARY = "file_summary"
    ANNUAL = "annual"
    PERIOD = "period"


SIGN_REASONS: dict[ReportKind, str] = {
    ReportKind.FOLLOWUP_RECORD: "回访记录确认",
    ReportKind.FILE_SUMMARY: "专门档案摘要移交确认",
    ReportKind.ANNUAL: "年度工作情况统计报送",
    ReportKind.PERIOD: "阶段工作情况统计报送",
}


#: What a full-name print shows unmasked (recorded with the REVEAL entry).
REVEALED_FIELDS: dict[ReportKind, tuple[str, ...]] = {
    ReportKind.FOLLOWUP_RECORD: ("name",),
    ReportKind.FILE_SUMMARY: ("name", "alias", "id_number", "birth_date", "addresses", "guardians",
                              "placement_households"),
    ReportKind.ANNUAL: (),
    ReportKind.PERIOD: (),
}


@dataclass(frozen=True)
class _Print:
    """What the audit entry of a print needs (ids and codes only)."""

    kind: ReportKind
    record_type: str | None
    record_id: str | None
    victim_id: str | None = None
    file_number: str | None = None
    subject: str | None = None  # what a later print of the same thing shares (default: the record id)


# ----------------------------------------------------------------------------- small formatters


def _age_text(birth: date | None, estimated_year: int | None, on: date) -> str:
    age = age_on(birth, estimated_year, on)
    if age is None:
        return "不详"
    return str(age) if birth is not None else f"约 {age}"


def _birth_text(birth: date | None, estimated_year: int | None, full: bool) -> str:
    if birth is not None:
        return fmt_date(birth) if full else f"{birth.year} 年"
    if estimated_year is not None:
        return f"约 {estimated_year} 年"
    return ""


def _name(v: Victim, full: bool) -> str:
    if full:
        return v.name or v.alias or ""
    if v.hidden_name:
        return HIDDEN_NAME
    return mask_name(v.name or v.alias)


def _person(name: str | None, full: bool) -> str:
    return (name or "") if full else mask_name(name)


def _address(text: str | None, full: bool) -> str:
    return (text or "") if full else mask_address(text)


def _clip(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _d(value: date | None) -> str:
    """Dates in the service's own sentences, written as the renderers write theirs."""
    return fmt_date(value)


def _consent_text(consent: Consent | None, override: bool) -> str:
    if consent is not None:
        return f"{label(consent.given_by)}同意"
    if override:
        return "未取得同意（已记录理由）"
    return ""


class ReportService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, pki: PkiService) -> None:
        super().__init__(desk)
        self.pki = pki

    # ------------------------------------------------------------------ public

    def followup_record(self, visit_id: str, *, full_name: bool = False, sign: bool = True,
                        purpose: str | None = None) -> bytes:
        """回访记录表 of one visit, as PDF bytes (signed unless ``sign=False``)."""
        purpose_text = fields.text(100)("purpose", purpose) or "存档"
        material = self._signing_material() if sign else None
        mark = self._paper_mark(material)
        with self.uow.read() as s:
            visit, victim = self._child(s, FollowUp, visit_id)
            view = self._followup_view(s, visit, victim, full_name, purpose_text)
            job = _Print(ReportKind.FOLLOWUP_RECORD, FollowUp.RECORD_TYPE, visit.id, victim.id, victim.file_number)
        return self._finish(render_followup_record(view, mark), material, job, full_name, mark=mark)

    def file_summary(self, victim_id: str, *, full_name: bool = False, sign: bool = True,
                     purpose: str | None = None, handover_to: str | None = None) -> bytes:
        """专门档案摘要 of one file, as PDF bytes (signed unless ``sign=False``)."""
        purpose_text = fields.text(100)("purpose", purpose) or "移交"
        handover_text = fields.text(200)("handover_to", handover_to) or ""
        material = self._signing_material() if sign else None
        mark = self._paper_mark(material)
        with self.uow.read() as s:
            victim = self._victim(s, victim_id)
            view = self._summary_view(s, victim, full_name, purpose_text, handover_text)
            job = _Print(ReportKind.FILE_SUMMARY, Victim.RECORD_TYPE, victim.id, victim.id, victim.file_number)
        return self._finish(render_file_summary(view, mark), material, job, full_name, mark=mark)

    def annual(self, year: int, *, sign: bool = True, today: date | None = None) -> bytes:
        """年度工作情况统计表 for the townships the user may see (and, for the county, the townships'
        statistics-only bundles): protected counts only (``reports.disclosure``)."""
        material = self._signing_material() if sign else None
        return self.stat_pdf(self.annual_view(year, today=today), sign=sign, material=material)

    def stat_pdf(self, view: StatReportView, *, sign: bool = True,
                 material: SigningMaterial | None = None) -> bytes:
        """Render (and sign, audit) an annual or period view already built."""
        if sign and material is None:
            material = self._signing_material()
        kind = ReportKind.PERIOD if view.kind == "period" else ReportKind.ANNUAL
        mark = self._paper_mark(material)
        first, last = view.period_start.year, view.period_end.year
        subject = f"annual:{first}" if kind is ReportKind.ANNUAL else f"period:{first}-{last}"
        return self._finish(render_stat_report(view, mark), material, _Print(kind, "report", None, subject=subject),
                            False, mark=mark, first=first, last=last,
                            suppressed=len(view.book.primary) + len(view.book.complementary))

    def verify(self, pdf: bytes) -> PdfVerification:
        """Check a signed PDF against this registry's trusted county CA and its installed CRLs."""
        pki = self.pki
        ca = pki.trusted_ca()
        return verify_pdf(pdf, [ca] if ca is not None else [], pki.crls())

    # ------------------------------------------------------------------ signing and audit

    def _signing_material(self) -> SigningMaterial:
        """The user's key and certificate, refused when the certificate cannot make a valid signature."""
        pki = self.pki
        material = pki.signing_material()  # NotFound keys_not_enrolled / certificate_not_installed
        ca = pki.trusted_ca()
        if ca is not None:
            status = certificate_status(material.cert, ca, pki.crls(), datetime.now(UTC))
            if status is CertStatus.REVOKED:
                raise ValidationError("signing_certificate_revoked")
            if status is CertStatus.EXPIRED:
                raise ValidationError("certificate_expired")
            if status is CertStatus.NOT_YET_VALID:
                raise ValidationError("certificate_not_yet_valid")
        return material

    @staticmethod
    def _paper_mark(material: SigningMaterial | None) -> PaperMark | None:
        """A signed print carries a paper code on every page (docs/paper-verification.md)."""
        if material is None:
            return None
        return PaperMark(new_doc_id(), new_secret(), certificate_fingerprint(material.cert))

    def _finish(self, pdf: bytes, material: SigningMaterial | None, job: _Print, full_name: bool,
                mark: PaperMark | None = None, **detail: int) -> bytes:
        log_row: PrintLog | None = None
        if material is not None:
            actor = self.uow.actor
            pdf = sign_pdf(pdf, material.key, material.cert, material.chain, signer_name=actor.display_name,
                           reason=SIGN_REASONS[job.kind],
                           location=actor.township_name or self.uow.settings().county_name,
                           crls=self.pki.crls())
            if mark is not None:
                log_row = PrintLog(
                    doc_id=mark.doc_id, secret=mark.secret, report=job.kind.value, record_type=job.record_type,
                    record_id=job.subject or job.record_id, victim_id=job.victim_id, file_number=job.file_number,
                    pages=mark.pages, signer_fingerprint=mark.signer_fingerprint, signer_name=actor.display_name,
                    signed_at=signing_time(pdf), pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                    printed_by=actor.user_id, installation_id=self.uow.registry.installation_id)
        with self.uow.tx() as s:
            if log_row is not None:
                if s.get(PrintLog, log_row.doc_id) is not None:  # 40 random bits: practically never
                    raise ValidationError("paper_code_collision")
                s.add(log_row)
            if full_name and job.victim_id is not None:
                self.uow.audit(s, AuditAction.REVEAL, Victim.RECORD_TYPE, job.victim_id,
                                fields=list(REVEALED_FIELDS[job.kind]), purpose=f"print:{job.kind.value}")
            extra: dict[str, object] = {}
            if job.victim_id and job.record_id != job.victim_id:
                extra["victim"] = job.victim_id  # a visit's print: its file, as other audit entries do
            if log_row is not None:
                extra["paper_doc"] = log_row.doc_id
            self.uow.audit(s, AuditAction.PRINT, job.record_type, job.record_id, report=job.kind.value,
                            full_name=full_name, signed=material is not None, **extra, **detail)
        log.info("report printed", extra={"report": job.kind.value, "record": job.record_id,
                                           "signed": material is not None})
        return pdf

    # ------------------------------------------------------------------ views

    def _user_name(self, s: Session, user_id: str | None) -> str:
        if not user_id:
            return ""
        return s.scalar(select(User.display_name).where(User.id == user_id)) or ""

    def _followup_view(self, s: Session, f: FollowUp, v: Victim, full: bool, purpose: str) -> FollowUpRecordView:
        visit_number = None
        if f.status is FollowUpStatus.DONE and f.actual_date is not None:
            visit_number = int(s.scalar(
                select(func.count(FollowUp.id)).where(FollowUp.victim_id == v.id,
                                                      FollowUp.status == FollowUpStatus.DONE,
                                                      FollowUp.actual_date <= f.actual_date)) or 0) or None
        on = f.actual_date or f.planned_date or local_today()
        return FollowUpRecordView(
            county=self.uow.settings().county_name, township=v.township.name, file_number=v.file_number,
            display_name=_name(v, full), sex=label(v.sex), age=_age_text(v.birth_date, v.estimated_birth_year, on),
            planned_date=f.planned_date, actual_date=f.actual_date,
            method=label(f.method) if f.method else "", visitors=f.visitors or "",
            living_situation=f.living_situation or "", schooling=f.schooling or "", work=f.work or "",
            health=f.health or "", psychological_state=f.psychological or "", needs_found=f.needs or "",
            difficulties_referred=f.difficulties or "", referred_to_unit=f.referred_to_unit or "",
            next_visit_date=f.next_visit_date, notes=f.notes or "",
            caseworker_name=self._user_name(s, f.caseworker_id) or self.uow.actor.display_name,
            printed_at=datetime.now(), purpose=purpose, visit_number=visit_number,
            full_name_shown=full, record_ref=f.id[:8],
        )

    def _summary_view(self, s: Session, v: Victim, full: bool, purpose: str, handover_to: str) -> FileSummaryView:
        today = local_today()

        # A fixed handful of queries, whatever the file's size (no N+1).
        services = list(s.scalars(select(ServiceRecord).where(ServiceRecord.victim_id == v.id)
                                  .order_by(ServiceRecord.start_date, ServiceRecord.created_at)))
        visits = list(s.scalars(select(FollowUp).where(FollowUp.victim_id == v.id).order_by(
            func.coalesce(FollowUp.planned_date, FollowUp.actual_date).is_(None),
            func.coalesce(FollowUp.planned_date, FollowUp.actual_date), FollowUp.created_at)))
        referrals = list(s.scalars(select(LegalAidReferral).where(LegalAidReferral.victim_id == v.id)
                                   .order_by(LegalAidReferral.referral_date, LegalAidReferral.created_at)))
        placements = list(s.scalars(select(Placement).where(Placement.victim_id == v.id)
                                    .order_by(Placement.start_date, Placement.created_at)))
        consents = list(s.scalars(select(Consent).where(Consent.victim_id == v.id)
                                  .order_by(Consent.given_on, Consent.created_at)))
        guardians: list[Guardian] = list(v.guardians)
        case = s.get(Case, v.case_id) if v.case_id else None
        consent_by_id = {c.id: c for c in consents}

        alerts = self._alerts(v, visits, referrals, today)
        disability = v.disability or ""
        if v.disability_grade:
            disability = f"{disability}（{v.disability_grade}）"
        if full:
            alias = v.alias or ""
        else:  # a masked print masks the alias too; with no name the alias already is the (masked) name shown
            alias = mask_name(v.alias) if v.name and not v.hidden_name else ""
        closure = ""
        if v.status is FileStatus.CLOSED:
            reason = label(v.closure_reason) if v.closure_reason else ""
            closure = f"{reason}（{_d(v.closed_on)}）" + (f"，保存至 {_d(v.retention_until)}" if v.retention_until else "")
        return FileSummaryView(
            county=self.uow.settings().county_name, township=v.township.name, file_number=v.file_number,
            display_name=_name(v, full), sex=label(v.sex),
            birth=_birth_text(v.birth_date, v.estimated_birth_year, full),
            age=_age_text(v.birth_date, v.estimated_birth_year, today),
            id_number=(v.id_number or "") if full else mask_id_number(v.id_number),
            identity_status=label(v.identity_status), ethnicity=v.ethnicity or "",
            nationality=NATIONALITY_LABELS.get(v.nationality, v.nationality or ""),
            hukou_place=_address(v.household_registration, full), residence=_address(v.current_residence, full),
            guardians="；".join(f"{_person(g.name, full)}（{g.relation}）" if g.relation else _person(g.name, full)
                               for g in guardians),
            disability=disability,
            case_reference=(case.police_case_ref or "") if case else "",
            case_unit=(case.handling_unit or "") if case else "",
            exploitation_type=(case.exploitation_type or "") if case else "",
            rescue_date=v.rescue_date, rescuing_unit=v.rescue_unit or "",
            caseworker_name=self._user_name(s, v.caseworker_id),
            file_status=label(v.status), opened_date=local_day(v.created_at), printed_at=datetime.now(),
            purpose=purpose, alias=alias, closure=closure,
            consents=self._consents_text(consents, today), handover_to=handover_to, alerts=tuple(alerts),
            services=tuple(ServiceRow(label(r.service_type), r.responsible_unit or "", r.cooperating_units or "",
                                      r.start_date, r.end_date, label(r.status), r.notes or "") for r in services),
            follow_ups=tuple(FollowUpRow(
                f.planned_date, f.actual_date, label(f.method) if f.method else "", f.visitors or "",
                _clip("；".join(x for x in (f.living_situation, f.schooling, f.work, f.health, f.psychological,
                                            f.needs) if x)),
                label(followup_state(f.status, f.planned_date, today)),
            ) for f in visits),
            referrals=tuple(self._referral_row(r, consent_by_id.get(r.consent_id or ""), today) for r in referrals),
            placements=tuple(self._placement_rows(placements, full)),
            full_name_shown=full,
        )

    @staticmethod
    def _alerts(v: Victim, visits: Sequence[FollowUp], referrals: Sequence[LegalAidReferral],
                today: date) -> list[str]:
        alerts: list[str] = []
        if v.attention_flag:
            alerts.append("档案已标记为需关注")
        if v.buyer_households:
            alerts.append("档案登记有收买家庭：被解救儿童不得由收买家庭继续抚养")
        if v.identity_status is IdentityStatus.UNKNOWN:
            since = unidentified_since(v.arrived_at_institution_on, v.rescue_date, local_day(v.created_at))
            alerts.append(f"身份信息不明确，已滞留 {days_unidentified(since, v.identified_on, today)} 天")
        planned = [f for f in visits if f.status is FollowUpStatus.PLANNED and f.planned_date]
        overdue = [f for f in planned if followup_state(f.status, f.planned_date, today) is DueState.OVERDUE]
        if overdue:
            alerts.append(f"逾期未回访 {len(overdue)} 次（最早应于 {_d(min(f.planned_date for f in overdue if f.planned_date))}）")
        upcoming = [f.planned_date for f in planned if f.planned_date and f.planned_date >= today]
        if upcoming:
            alerts.append(f"下次回访：{_d(min(upcoming))}")
        for r in referrals:
            clock = clock_of(r, today)
            if clock.overdue and clock.stage == "decision":
                alerts.append(f"法律援助答复期限 {_d(clock.decision_due)} 已过，尚未收到受理决定")
            elif clock.overdue and clock.stage == "lawyer":
                alerts.append(f"法律援助指派律师期限 {_d(clock.lawyer_due)} 已过，尚未指派律师")
        overrides = sum(1 for r in referrals if r.consent_override_reason)
        if overrides:
            alerts.append(f"{overrides} 项法律援助转介未取得同意（理由已记录）")
        return alerts

    @staticmethod
    def _consents_text(consents: Sequence[Consent], today: date) -> str:
        parts = []
        for scope in ConsentScope:
            mine = [c for c in consents if c.scope is scope]
            if not mine:
                parts.append(f"{label(scope)}：未记录")
                continue
            last = mine[-1]
            giver = label(last.given_by) if last.given_by is ConsentGiver.SELF else "监护人"
            if last.withdrawn_on and last.withdrawn_on <= today:
                parts.append(f"{label(scope)}：{giver}已于 {_d(last.withdrawn_on)} 撤回同意")
            else:
                parts.append(f"{label(scope)}：{giver}于 {_d(last.given_on)} 同意")
        return "；".join(parts)

    @staticmethod
    def _referral_row(r: LegalAidReferral, consent: Consent | None, today: date) -> ReferralRow:
        clock = clock_of(r, today)
        return ReferralRow(
            institution=r.institution, matter=label(r.matter), referral_date=r.referral_date,
            green_channel=r.green_channel, status=label(r.status), decision_date=r.decision_date,
            deadline=clock.lawyer_due if clock.stage == "lawyer" else clock.decision_due,
            outcome=r.outcome or "", consent=_consent_text(consent, bool(r.consent_override_reason)),
        )

    @staticmethod
    def _placement_rows(placements: Sequence[Placement], full: bool) -> list[PlacementRow]:
        out = []
        for i, p in enumerate(placements):
            nxt = placements[i + 1].start_date if i + 1 < len(placements) else None
            household = "，".join(x for x in (_person(p.household_head, full), _address(p.address, full)) if x)
            place = "，".join(x for x in (p.institution or "", household) if x)
            out.append(PlacementRow(p.start_date, nxt, label(p.state), place, p.notes or ""))
        return out

    # ------------------------------------------------------------------ annual

    def _unit_name(self, county: str) -> str:
        actor = self.uow.actor
        if actor.role is Role.CASEWORKER and actor.township_name:
            return f"{county}{actor.township_name}民政办"
        return f"{county}民政局"

    def annual_view(self, year: int, *, today: date | None = None) -> StatReportView:
        """The annual report's view: the protected county tables (own files + townships' statistics)."""
        cy, book = county_annual_book(self.uow, year, today=today)
        stats = cy.stats
        notes = [
            "3. 统计口径：依据《中华人民共和国个人信息保护法》第十三条第一款第三项（为履行法定职责所必需），"
            "统计范围内的全部专门档案均计入本表；本表仅含汇总数字。年龄按统计截止日计算。",
        ]
        if not stats.complete:
            notes.append(f"4. 本年度尚未结束：数据统计至 {_d(stats.as_of)}。")
        return StatReportView(
            kind="annual", title=f"{stats.county_name} {year} 年度工作情况统计表", county=stats.county_name,
            reporting_unit=self._unit_name(stats.county_name), period_start=stats.period_start,
            period_end=stats.as_of, generated_at=datetime.now(), book=book,
            prepared_by=self.uow.actor.display_name, header_right=f"统计年度：{year} 年　{stats.county_name}",
            notes=tuple(notes), sources=cy.sources,
        )

    def period_view(self, first: int, last: int, *, today: date | None = None) -> StatReportView:
        """阶段性 / 终期评估: a row per year of the county totals, protected."""
        years, book = county_period_book(self.uow, first, last, today=today)
        county = self.uow.settings().county_name
        end = years[-1].stats.as_of if years else date(first, 12, 31)
        notes = ["3. 各年度数据为全县合计，统计口径与年度工作情况统计表相同；折线图显示各年度变化趋势。"]
        if last > (today or local_today()).year:
            notes.append(f"4. {(today or local_today()).year + 1}—{last} 年尚未到来，暂无数据。")
        sources = tuple(src for cy in years for src in cy.sources)
        return StatReportView(
            kind="period", title=f"{county} {first}—{last} 年阶段工作情况统计表", county=county,
            reporting_unit=self._unit_name(county), period_start=date(first, 1, 1), period_end=end,
            generated_at=datetime.now(), book=book, prepared_by=self.uow.actor.display_name,
            header_right=f"统计期间：{first}—{last} 年　{county}", notes=tuple(notes), sources=sources,
        )

    def period(self, first: int, last: int, *, sign: bool = True, today: date | None = None) -> bytes:
        """阶段工作情况统计表 (``report period --from --to``), signed unless ``sign=False``."""
        material = self._signing_material() if sign else None
        return self.stat_pdf(self.period_view(first, last, today=today), sign=sign, material=material)

    def workbook(self, view: StatReportView) -> bytes:
        """The same protected tables as .xlsx (recorded as an export of the report)."""
        data = render_stat_workbook(view)
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.EXPORT, "report", None, report=f"{view.kind}_xlsx",
                            first=view.period_start.year, last=view.period_end.year)
        return data

    def annual_workbook(self, year: int, *, today: date | None = None) -> bytes:
        return self.workbook(self.annual_view(year, today=today))

    def period_workbook(self, first: int, last: int, *, today: date | None = None) -> bytes:
        return self.workbook(self.period_view(first, last, today=today))


__all__ = ["ReportKind", "ReportService"]
