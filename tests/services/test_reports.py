"""Reports built from a real registry: signed with a certificate from the county CA, validated with pyHanko,
masked by default, audited, scoped to the caseworker's township, counts only in the annual report.

The registries (a supervisor laptop holding the county CA; a township laptop with synthetic files and a
caseworker whose certificate that CA issued) are built once per session — RSA key generation is the slow
part — and copied for each test.  Every person in them is synthetic.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from fanguai_desk.domain.enums import (
    AuditAction,
    ConsentGiver,
    ConsentScope,
    FollowUpStatus,
    IdentityStatus,
    Installation,
    ReferralStatus,
    Role,
    ServiceType,
)
from fanguai_desk.domain.errors import FanguaiError, NotFound, ValidationError
from fanguai_desk.domain.masking import mask_name
from fanguai_desk.pki import ca as ca_module
from fanguai_desk.reports.signing import to_asn1_cert
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.statistics import annual_statistics
from fanguai_desk.store.models import (
    AuditEntry,
    BuyerHousehold,
    FollowUp,
    Guardian,
    Placement,
    Township,
    Victim,
)
from tests.conftest import ADMIN_PASSWORD, CHEAP, USER_PASSWORD
from tests.helpers import table_counts
from tests.reports.attack import narrow_cells

CA_PASSWORD = "county-ca-password-1"
CHEAP_PKCS12_ROUNDS = 1000
CASEWORKER_NAME = "李晓梅"
KINDS = ("followup", "file", "annual")


# ----------------------------------------------------------------------------- session registries


@dataclass(frozen=True)
class ReportRegistries:
    """Templates on disk; tests copy them (``copy``) and sign in to the copy."""

    root: Path
    ca_pem: bytes  # the county CA certificate
    signing_serial: str  # cw1's signing certificate (hex), for revocation
    visit_id: str  # a visit done in 青龙镇, of a named person with an ID number
    victim_id: str  # that person's file
    full_name: str
    id_number: str
    other_visit_id: str  # a visit of a 白马镇 file (outside cw1's township)
    other_victim_id: str
    names: tuple[str, ...]  # every name in the township registry (victims, aliases, guardians, households)
    id_numbers: tuple[str, ...]

    def copy(self, name: str, dest: Path) -> Path:
        target = dest / name
        shutil.copytree(self.root / name, target)
        return target

    @property
    def ca_cert(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.ca_pem)


def build_report_registries(root: Path) -> ReportRegistries:
    """sup: the county CA (admin).  town: 40 synthetic files in 青龙镇 and 白马镇; cw1 (青龙镇, enrolled and
    certified by the county CA); cw2 (青龙镇, no certificate)."""
    if (root / "done.json").exists():  # the same session, another test module: reuse
        return ReportRegistries(**_loaded(json.loads((root / "done.json").read_text("utf-8")), root))
    # The CA's PKCS#12 with cheap PBKDF2 rounds, as the registries use cheap Argon2id: opening the CA in
    # a test then costs milliseconds instead of ~0.4 s.  Keys stay RSA-3072.
    rounds, ca_module.PKCS12_KDF_ROUNDS = ca_module.PKCS12_KDF_ROUNDS, CHEAP_PKCS12_ROUNDS
    try:
        return _build(root)
    finally:
        ca_module.PKCS12_KDF_ROUNDS = rounds


def _build(root: Path) -> ReportRegistries:
    sup = Desk.create(root / "sup", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="县民政局",
                      admin_display_name="县民政局督导", county_name="示例县", kdf=CHEAP,
                      installation=Installation.COUNTY)
    sup_pki = sup.pki
    ca_cert = sup_pki.ca_init("示例县民政局数字证书中心", "示例县民政局", CA_PASSWORD)
    town = Desk.create(root / "town", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                       admin_display_name="青龙镇管理员", county_name="示例县", kdf=CHEAP)
    town.demo.run(DemoSpec(victims=40, townships=2, seed=11))
    town.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇", display_name=CASEWORKER_NAME)
    town.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇", display_name="王建国")
    cw1 = Desk.unlock(root / "town", "cw1", USER_PASSWORD)
    cw1_pki = cw1.pki
    cw1_pki.install(sup_pki.ca_issue(cw1_pki.enrol(), CA_PASSWORD))
    serial = next(c.serial for c in cw1_pki.my_certificates() if c.purpose == "signing")
    with town.read() as s:
        towns = {t.name: t.id for t in s.scalars(select(Township))}

        def done_visit(township: str, named: bool) -> tuple[str, Victim]:
            stmt = (select(FollowUp, Victim).join(Victim, Victim.id == FollowUp.victim_id)
                    .where(Victim.township_id == towns[township], FollowUp.status == FollowUpStatus.DONE)
                    .order_by(Victim.file_number, FollowUp.actual_date))
            if named:
                stmt = stmt.where(Victim.identity_status == IdentityStatus.KNOWN, Victim.hidden_name.is_(False),
                                  Victim.id_number.is_not(None))
            f, v = s.execute(stmt.limit(1)).one()
            return f.id, v

        visit_id, victim = done_visit("青龙镇", True)
        other_visit_id, other = done_visit("白马镇", False)
        names = {n for n in s.scalars(select(Victim.name)) if n} | {n for n in s.scalars(select(Victim.alias)) if n}
        names |= {n for n in s.scalars(select(Guardian.name)) if n}
        names |= {n for n in s.scalars(select(BuyerHousehold.head_name)) if n}
        names |= {n for n in s.scalars(select(Placement.household_head)) if n}
        id_numbers = {n for n in s.scalars(select(Victim.id_number)) if n}
    data = {
        "ca_pem": ca_cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), "signing_serial": serial,
        "visit_id": visit_id, "victim_id": victim.id, "full_name": victim.name, "id_number": victim.id_number,
        "other_visit_id": other_visit_id, "other_victim_id": other.id,
        "names": sorted(names), "id_numbers": sorted(id_numbers),
    }
    for d in (cw1, town, sup):
        d.close()
    (root / "done.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return ReportRegistries(**_loaded(data, root))


def _loaded(data: Mapping[str, Any], root: Path) -> dict[str, Any]:
    out = dict(data)
    out["root"] = root
    out["ca_pem"] = str(data["ca_pem"]).encode("ascii")
    out["names"] = tuple(data["names"])
    out["id_numbers"] = tuple(data["id_numbers"])
    return out


@pytest.fixture(scope="session")
def report_registries(tmp_path_factory: pytest.TempPathFactory) -> ReportRegistries:
    root = tmp_path_factory.getbasetemp() / "report-registries"
    root.mkdir(exist_ok=True)
    return build_report_registries(root)


@pytest.fixture
def town_path(report_registries: ReportRegistries, tmp_path: Path) -> Path:
    return report_registries.copy("town", tmp_path)


@pytest.fixture
def cw1(town_path: Path) -> Iterator[Desk]:
    d = Desk.unlock(town_path, "cw1", USER_PASSWORD)
    yield d
    d.registry.close()


@pytest.fixture
def town_admin(town_path: Path) -> Iterator[Desk]:
    d = Desk.unlock(town_path, "admin", ADMIN_PASSWORD)
    yield d
    d.registry.close()


# ----------------------------------------------------------------------------- helpers


def make_report(desk: Desk, kind: str, reg: ReportRegistries, *, full_name: bool = False,
                sign: bool = True) -> bytes:
    service = desk.reports
    if kind == "followup":
        return service.followup_record(reg.visit_id, full_name=full_name, sign=sign)
    if kind == "file":
        return service.file_summary(reg.victim_id, full_name=full_name, sign=sign)
    return service.annual(2025, sign=sign)


def pyhanko_status(pdf: bytes, ca: x509.Certificate, crls: list[bytes] | None = None) -> object:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (embedded,) = reader.embedded_signatures
    # Certificates name no CRL distribution point (issue 18), so a given CRL is only consulted when
    # revocation data is required.
    context = ValidationContext(trust_roots=[to_asn1_cert(ca)], crls=crls or [], allow_fetching=False,
                                revocation_mode="require" if crls else "soft-fail")
    return validate_pdf_signature(embedded, context)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    tail = ["-"] if tool == "pdftotext" else []
    result = subprocess.run([exe, *args, str(path), *tail], capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8", "replace")


def audit_since(desk: Desk, seq: int) -> list[AuditEntry]:
    with desk.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq)))


def last_seq(desk: Desk) -> int:
    with desk.read() as s:
        return int(s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0)


def one_byte_changed(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside a content stream of the signed part (still parseable)."""
    signed_end = int(re.findall(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)[-1])
    for match in re.finditer(rb"stream\r?\n", pdf[:signed_end]):
        start = match.end()
        end = pdf.find(b"endstream", start)
        if end - start > 64:
            tampered = bytearray(pdf)
            tampered[start + (end - start) // 2] ^= 0x01
            return bytes(tampered)
    raise AssertionError("no content stream found")


# ----------------------------------------------------------------------------- signatures


@pytest.mark.parametrize("kind", KINDS)
def test_each_report_is_signed_and_validates_with_pyhanko_against_the_county_ca(
        kind: str, cw1: Desk, report_registries: ReportRegistries) -> None:
    pdf = make_report(cw1, kind, report_registries)
    status = pyhanko_status(pdf, report_registries.ca_cert)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()  # type: ignore[attr-defined]
    result = cw1.reports.verify(pdf)
    assert (result.summary_code, result.intact, result.trusted, result.revoked) == ("valid", True, True, False)
    assert result.signer == CASEWORKER_NAME


@pytest.mark.parametrize("kind", KINDS)
def test_one_byte_changed_makes_the_signature_fail(kind: str, cw1: Desk, report_registries: ReportRegistries) -> None:
    tampered = one_byte_changed(make_report(cw1, kind, report_registries))
    status = pyhanko_status(tampered, report_registries.ca_cert)
    assert not (status.intact and status.valid)  # type: ignore[attr-defined]
    result = cw1.reports.verify(tampered)
    assert not result.intact and not result.trusted and result.summary_code == "tampered"


def test_a_revoked_signer_is_reported_and_can_no_longer_sign(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    pdf = make_report(cw1, "followup", report_registries)
    sup = Desk.unlock(report_registries.copy("sup", tmp_path), "admin", ADMIN_PASSWORD)
    try:
        crl = sup.pki.ca_revoke([report_registries.signing_serial], CA_PASSWORD)
    finally:
        sup.close()
    cw1.pki.install_crl(crl)
    result = cw1.reports.verify(pdf)
    assert result.revoked and not result.trusted and result.intact
    assert result.summary_code == "revoked"
    status = pyhanko_status(pdf, report_registries.ca_cert, [crl])
    assert status.intact and not status.trusted  # type: ignore[attr-defined]
    before = table_counts(cw1)
    with pytest.raises(ValidationError) as err:
        cw1.reports.followup_record(report_registries.visit_id)
    assert err.value.code == "signing_certificate_revoked"
    assert table_counts(cw1) == before


# ----------------------------------------------------------------------------- what the PDFs contain


@pytest.mark.parametrize("kind", KINDS)
def test_pdftotext_finds_the_chinese_text_and_pdffonts_lists_only_embedded_fonts(
        kind: str, cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    pdf = make_report(cw1, kind, report_registries)
    text = re.sub(r"\s+", "", poppler("pdftotext", pdf, tmp_path))
    title = {"followup": "回访记录表", "file": "专门档案摘要", "annual": "年度工作情况统计表"}[kind]
    assert title in text and "内部资料注意保密" in text
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, unicode map


def test_annual_report_has_no_name_or_id_number_and_suppresses_small_counts(
        town_admin: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    pdf = town_admin.reports.annual(2025, sign=False)
    layout = poppler("pdftotext", pdf, tmp_path, "-layout")
    compact = re.sub(r"\s+", "", layout)
    assert "青龙镇" in compact and "白马镇" in compact and "<5" in compact
    assert report_registries.names and report_registries.id_numbers
    for name in report_registries.names:
        assert name not in compact, "a name is in the annual report"
    for number in report_registries.id_numbers:
        assert number not in compact, "an ID number is in the annual report"
    stats = json.dumps(annual_statistics(town_admin, 2025).to_dict(), ensure_ascii=False)
    for value in (*report_registries.names, *report_registries.id_numbers, report_registries.victim_id):
        assert value not in stats


def test_a_masked_followup_print_does_not_contain_the_full_name(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    seq = last_seq(cw1)
    pdf = cw1.reports.followup_record(report_registries.visit_id)
    text = re.sub(r"\s+", "", poppler("pdftotext", pdf, tmp_path))
    assert report_registries.full_name not in text
    assert mask_name(report_registries.full_name) in text and "已作脱敏处理" in text
    entries = audit_since(cw1, seq)
    assert [e.action for e in entries] == [AuditAction.PRINT]
    assert entries[0].record_id == report_registries.visit_id
    detail = json.loads(entries[0].detail)
    assert re.fullmatch(r"[A-Z2-7]{8}", detail.pop("paper_doc"))  # the print log entry (paper codes)
    assert detail == {"report": "followup_record", "full_name": False, "signed": True,
                      "victim": report_registries.victim_id}


def test_a_full_name_print_shows_the_name_and_is_audited_as_reveal_and_print(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    seq = last_seq(cw1)
    pdf = cw1.reports.followup_record(report_registries.visit_id, full_name=True)
    text = re.sub(r"\s+", "", poppler("pdftotext", pdf, tmp_path))
    assert report_registries.full_name in text
    entries = audit_since(cw1, seq)
    assert [e.action for e in entries] == [AuditAction.REVEAL, AuditAction.PRINT]
    assert entries[0].record_id == report_registries.victim_id
    for e in entries:
        assert report_registries.full_name not in e.detail and report_registries.id_number not in e.detail


def test_file_summary_masks_identifiers_unless_the_full_name_is_chosen(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    masked = re.sub(r"\s+", "", poppler("pdftotext", cw1.reports.file_summary(report_registries.victim_id,
                                                                                      sign=False), tmp_path))
    number = report_registries.id_number
    assert number not in masked and number[:4] + "*" * 10 + number[-4:] in masked
    assert number[6:14] not in masked  # the birth date (year only when masked)
    assert "一、基本情况" in masked and "五、安置状况" in masked
    full = re.sub(r"\s+", "", poppler("pdftotext", cw1.reports.file_summary(
        report_registries.victim_id, full_name=True, sign=False), tmp_path))
    assert number in full and report_registries.full_name in full


def test_a_caseworker_cannot_print_another_townships_file(cw1: Desk, report_registries: ReportRegistries) -> None:
    before = table_counts(cw1)
    with pytest.raises(NotFound):
        cw1.reports.followup_record(report_registries.other_visit_id)
    with pytest.raises(NotFound):
        cw1.reports.file_summary(report_registries.other_victim_id, full_name=True)
    assert table_counts(cw1) == before


def test_printing_without_a_certificate_is_refused_and_writes_nothing(
        town_path: Path, report_registries: ReportRegistries) -> None:
    cw2 = Desk.unlock(town_path, "cw2", USER_PASSWORD)
    try:
        before = table_counts(cw2)
        for call in (lambda: cw2.reports.followup_record(report_registries.visit_id, full_name=True),
                     lambda: cw2.reports.file_summary(report_registries.victim_id),
                     lambda: cw2.reports.annual(2025)):
            with pytest.raises(NotFound) as err:
                call()
            assert err.value.code in ("keys_not_enrolled", "certificate_not_installed")
        assert table_counts(cw2) == before
        seq = last_seq(cw2)
        draft = cw2.reports.followup_record(report_registries.visit_id, sign=False)
        assert draft.startswith(b"%PDF") and not cw2.reports.verify(draft).signed
        (entry,) = audit_since(cw2, seq)
        assert entry.action is AuditAction.PRINT and json.loads(entry.detail)["signed"] is False
    finally:
        cw2.registry.close()


def test_printing_a_followup_record_again_is_signed_and_audited_again(
        cw1: Desk, report_registries: ReportRegistries) -> None:
    """(Render + sign time is measured by ``fanguai-desk bench``, never asserted.)"""
    service = cw1.reports
    service.followup_record(report_registries.visit_id)
    seq = last_seq(cw1)
    pdf = service.followup_record(report_registries.visit_id)
    assert service.verify(pdf).signed
    (entry,) = audit_since(cw1, seq)
    assert entry.action is AuditAction.PRINT


# ----------------------------------------------------------------------------- statistics


def test_annual_statistics_count_a_hand_built_year(desk: Desk, caseworker: Desk) -> None:
    """Three files of 2025 in 青龙镇 and one in 白马镇, every count checked by hand."""
    desk.users.township_by_name("白马镇", create=True)
    reg = desk.victims.register
    a, _ = reg({"name": "甲一", "sex": "F", "birth_date": "1990-01-01", "rescue_date": "2025-03-01"})
    b, _ = reg({"name": "乙二", "sex": "F", "birth_date": "2012-05-05", "rescue_date": "2025-06-01"})
    c, _ = reg({"alias": "小丙", "estimated_birth_year": 2000, "rescue_date": "2024-12-01"})  # unidentified
    d, _ = reg({"name": "丁四", "sex": "M", "birth_date": "1985-02-02", "rescue_date": "2025-07-07",
                "township": "白马镇"})
    desk.assistance.add(a, {"service_type": "medical", "start_date": "2025-03-02", "end_date": "2025-03-20",
                            "status": "done"})
    desk.assistance.add(a, {"service_type": "vocational_training", "start_date": "2025-04-01", "willing": True})
    desk.assistance.add(b, {"service_type": "return_to_school", "start_date": "2025-09-01"})
    desk.assistance.add(c, {"service_type": "family_tracing", "start_date": "2024-12-02", "end_date": "2024-12-30",
                            "status": "done"})  # not running in 2025
    desk.placements.add(a, {"state": "temporary_shelter", "start_date": "2025-03-01"})
    desk.placements.add(a, {"state": "returned_home", "start_date": "2025-05-01"})
    desk.placements.add(b, {"state": "welfare_institution", "start_date": "2026-01-05"})  # after the year
    fa = desk.followups.plan(a, "2025-06-01", confirm_past=True)
    desk.followups.record({"actual_date": "2025-06-03", "method": "home_visit"}, followup_id=fa)
    desk.followups.plan(a, "2025-12-01", confirm_past=True)  # never done: overdue at the year's end
    fb = desk.followups.plan(b, "2025-12-20", confirm_past=True)
    desk.followups.record({"actual_date": "2026-01-04", "method": "phone"}, followup_id=fb)  # done late
    desk.followups.plan(c, "2026-02-01", confirm_past=True)  # next year's
    desk.consents.add(a, {"scope": ConsentScope.REFERRAL, "given_by": ConsentGiver.SELF, "given_on": "2025-03-05"})
    r1 = desk.referrals.add(a, {"institution": "县法律援助中心", "matter": "compensation",
                                "referral_date": "2025-03-10"})
    desk.referrals.update(r1, ReferralStatus.ACCEPTED, "2025-03-12")
    desk.referrals.update(r1, ReferralStatus.LAWYER_ASSIGNED, "2025-03-14", lawyer="某律师")
    desk.referrals.add(b, {"institution": "县法律援助中心", "matter": "custody", "referral_date": "2025-12-01",
                           "green_channel": False}, consent_override_reason="本人外出务工，紧急起诉")  # no answer by 31 Dec

    stats = annual_statistics(desk, 2025, today=date(2026, 11, 22))
    assert stats.complete and stats.as_of == date(2025, 12, 31)
    by_name = {t.township: t for t in stats.townships}
    assert set(by_name) == {"青龙镇", "白马镇"}
    q = by_name["青龙镇"]
    assert (q.files_open_at_end, q.files_open_in_year, q.files_new, q.unidentified) == (3, 3, 2, 1)
    assert q.files_registered == 0  # entered into the registry today, not in 2025
    assert q.persons_assisted == 2
    assert {k: v for k, v in q.services.items() if v} == {ServiceType.MEDICAL.value: 1,
                                                          ServiceType.VOCATIONAL_TRAINING.value: 1,
                                                          ServiceType.RETURN_TO_SCHOOL.value: 1}
    assert {k: v for k, v in q.placements.items() if v} == {"returned_home": 1, "none": 2}
    assert {k: v for k, v in q.referrals_by_status.items() if v} == {"lawyer_assigned": 1, "referred": 1}
    assert {k: v for k, v in q.referral_outcomes.items() if v} == {"accepted_in_time": 1, "pending": 1}
    assert (q.referrals_green_channel, q.referrals_overdue) == (1, 1)
    assert (q.followups_due, q.followups_done, q.followups_overdue) == (3, 1, 2)
    assert q.files_visited == 1 and q.coverage_pct == pytest.approx(33.3)
    # breakdowns of the files open on 31 December: 甲一 35, 乙二 13, 小丙 25 (estimated 2000), all sex F/U
    assert {k: v for k, v in q.by_age.items() if v} == {"minor": 1, "adult": 2}
    assert {k: v for k, v in q.by_sex.items() if v} == {"F": 2, "U": 1}
    assert {k: v for k, v in q.by_nationality.items() if v} == {"cn": 3}
    assert {k: v for k, v in by_name["白马镇"].by_sex.items() if v} == {"M": 1}
    total = stats.total()
    assert total.files_open_at_end == 4 and total.referrals_total == 2
    json.dumps(stats.to_dict())  # plain JSON types only
    # a caseworker of 青龙镇 sees only their township
    (only,) = annual_statistics(caseworker, 2025, today=date(2026, 11, 22)).townships
    assert only.township == "青龙镇" and only == q
    this_year = {t.township: t for t in annual_statistics(desk, date.today().year).townships}
    assert this_year["青龙镇"].files_registered == 3 and this_year["白马镇"].files_registered == 1
    with pytest.raises(ValidationError):
        annual_statistics(desk, 1800)
    assert d


def test_statistics_keep_raw_counts_and_the_report_protects_them(desk: Desk) -> None:
    desk.victims.register({"alias": "小花", "estimated_birth_year": 2010, "rescue_date": "2025-03-01"})
    stats = annual_statistics(desk, 2025, today=date(2026, 1, 10))
    (row,) = stats.townships
    assert (row.files_open_at_end, row.unidentified) == (1, 1)  # raw, not "<5"
    view = desk.reports.annual_view(2025, today=date(2026, 1, 10))
    identity = next(t for t in view.book.tables if t.id == "identity")
    assert identity.cells[0] == ("0", "<5", "<5")
    assert not narrow_cells(view.book)


def test_the_demo_registry_reports_cannot_be_narrowed(demo_desk: Desk, tmp_path: Path) -> None:
    """The attack on real registry data: annual reports of two years and a ten-year period report that reaches
    into years not yet come (it was 2021–2030, which from 2031 has no such years and one row fewer)."""
    service = demo_desk.reports
    today = date.today()
    for year in (today.year - 1, today.year):
        view = service.annual_view(year)
        assert view.book.primary and not view.book.unresolved
        assert not narrow_cells(view.book), year
    first = today.year - 5
    period = service.period_view(first, first + 9)
    assert [r for r in period.book.tables[0].rows] == [f"{y}年" for y in range(first, today.year + 1)]
    assert not narrow_cells(period.book)
    pdf = service.stat_pdf(period, sign=False)
    text = poppler("pdftotext", pdf, tmp_path, "-layout")
    assert "阶段工作情况统计表" in text and f"{first}年" in text and "尚未到来" in text
    with pytest.raises(ValidationError) as err:
        service.period_view(2025, 2021)
    assert err.value.code == "period_invalid"


def test_small_random_registries_cannot_be_narrowed(tmp_path: Path) -> None:
    """Randomised small registries (few files over many townships: many tiny cells)."""
    from tests.conftest import make_desk

    for seed in (3, 17):
        d = make_desk(tmp_path / f"r{seed}")
        try:
            d.demo.run(DemoSpec(victims=40, townships=5, seed=seed))
            view = d.reports.annual_view(date.today().year - 1)
            assert view.book.primary
            assert not narrow_cells(view.book)
        finally:
            d.registry.close()


def test_errors_raised_here_have_messages() -> None:
    from fanguai_desk.messages import MESSAGES

    for code in ("signing_certificate_revoked", "year_invalid", "certificate_not_installed", "keys_not_enrolled",
                 "period_invalid"):
        assert code in MESSAGES
    assert issubclass(NotFound, FanguaiError)
