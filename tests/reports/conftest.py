"""Fixtures for the report tests: a county CA, signers (one trusted, one revoked, one foreign),
synthetic views, and the rendered + signed PDFs (rendered once per session).

All people here are synthetic.  Poppler tools are located once; a test that needs a missing tool
skips with the reason (on the CI machine they are installed by scripts/dev.sh).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from fanguai_desk.pki import keys
from fanguai_desk.pki.ca import CertUsage, CountyCA, build_crl, create_county_ca, issue_certificate
from fanguai_desk.pki.enrolment import build_enrolment
from fanguai_desk.reports.annual import render_stat_report
from fanguai_desk.reports.county import Labels, Unit, annual_book, default_labels
from fanguai_desk.reports.file_summary import render_file_summary
from fanguai_desk.reports.followup import render_followup_record
from fanguai_desk.reports.signing import sign_pdf
from fanguai_desk.reports.views import (
    FileSummaryView,
    FollowUpRecordView,
    FollowUpRow,
    PlacementRow,
    ReferralRow,
    ServiceRow,
    StatReportView,
)

LONG_TEXT = (
    "受害人目前与祖母共同生活，居住在村委会协调的两间平房内，房屋较为简陋但能遮风避雨。"
    "家庭主要收入来源为祖母的低保金和少量农业收入，经济条件较为困难。"
    "受害人白天在镇中心小学就读，放学后帮助祖母做家务，邻里关系融洽，村干部和驻村工作队定期走访。"
    "本次回访发现其冬季衣物不足，书本费用仍有缺口，祖母年事已高且患有慢性病，需要长期服药。"
    "经与村委会、学校沟通，拟申请临时救助并协调学校减免部分费用，同时由乡镇社工站每月上门一次，"
    "关注其心理状况，必要时转介县心理健康服务中心进行专业心理疏导。"
    "受害人表示愿意继续上学，希望将来学习护理专业；祖母表示感谢各级部门的帮助，"
    "但担心自己身体状况无法长期照顾孙女，希望村委会在其住院期间协助安排临时照料。"
)


@dataclass(frozen=True)
class Signer:
    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    ca_cert: x509.Certificate


@dataclass(frozen=True)
class ReportPki:
    ca: CountyCA
    signer: Signer
    revoked_signer: Signer
    foreign_signer: Signer  # certificate from another county's CA
    crl: bytes  # the county CA's CRL, revoking ``revoked_signer``


def _signer(ca: CountyCA, name: str, now: datetime) -> Signer:
    signing, encryption = keys.generate_signing_key(), keys.generate_encryption_key()
    request = build_enrolment(signing, encryption, name, "城关镇", "caseworker")
    cert = issue_certificate(ca, request.signing_csr, CertUsage.SIGNING, now=now - timedelta(days=30))
    return Signer(name=name, key=signing, cert=cert, ca_cert=ca.cert)


@pytest.fixture(scope="session")
def report_pki() -> ReportPki:
    now = datetime.now(UTC)
    ca = create_county_ca("某某县民政局数字证书中心", "某某县民政局", now=now - timedelta(days=60))
    other = create_county_ca("另一县民政局数字证书中心", "另一县民政局", now=now - timedelta(days=60))
    signer = _signer(ca, "李晓梅", now)
    revoked = _signer(ca, "赵建国", now)
    foreign = _signer(other, "钱多多", now)
    crl = build_crl(ca, [(revoked.cert.serial_number, now - timedelta(days=1))], this_update=now)
    return ReportPki(ca=ca, signer=signer, revoked_signer=revoked, foreign_signer=foreign, crl=crl)


def sign_as(pdf: bytes, signer: Signer, reason: str = "确认无误") -> bytes:
    return sign_pdf(
        pdf,
        signer.key,
        signer.cert,
        [signer.ca_cert],
        signer_name=signer.name,
        reason=reason,
        location="某某县城关镇",
    )


# ---------------------------------------------------------------- views


def followup_view(**changes: object) -> FollowUpRecordView:
    base = FollowUpRecordView(
        county="某某县",
        township="城关镇",
        file_number="5101-2026-0001",
        display_name="张*华",
        sex="女",
        age="14",
        planned_date=date(2026, 3, 1),
        actual_date=date(2026, 3, 3),
        method="入户走访",
        visitors="李晓梅、王建国",
        living_situation=LONG_TEXT,
        schooling="在城关镇中心小学六年级就读，出勤正常，学习成绩中等。",
        work="",
        health="身体健康，祖母患高血压需长期服药。",
        psychological_state="情绪总体稳定，偶有焦虑和失眠，已安排社工每月心理疏导一次。",
        needs_found="冬季衣物、学习用品；祖母就医交通费用。",
        difficulties_referred="家庭经济困难，申请临时救助；书本费减免。",
        referred_to_unit="县民政局社会救助股；城关镇中心小学",
        next_visit_date=date(2026, 6, 1),
        notes="",
        caseworker_name="李晓梅",
        printed_at=datetime(2026, 3, 4, 9, 30),
        purpose="存档",
        visit_number=3,
        location="受害人家中",
        interviewees="本人、祖母",
        record_ref="fu-7f3a9c",
    )
    return _replace(base, **changes)


def _replace(view: FollowUpRecordView, **changes: object) -> FollowUpRecordView:
    return dataclasses.replace(view, **changes)  # type: ignore[arg-type]


def file_summary_view() -> FileSummaryView:
    return FileSummaryView(
        county="某某县",
        township="城关镇",
        file_number="5101-2026-0001",
        display_name="张*华",
        sex="女",
        birth="2011-05-03",
        age="14",
        id_number="5101**********102X",
        identity_status="身份明确",
        ethnicity="汉族",
        nationality="中国",
        hukou_place="四川省某某县城关镇新华村三组",
        residence="四川省某某县城关镇新华村三组（与祖母同住）",
        guardians="祖母（法定监护人）",
        disability="无",
        case_reference="A5101002026030001",
        case_unit="某某县公安局刑侦大队",
        rescue_date=date(2026, 1, 12),
        rescuing_unit="某某县公安局",
        caseworker_name="李晓梅",
        file_status="在档",
        opened_date=date(2026, 1, 15),
        printed_at=datetime(2026, 3, 4, 9, 30),
        purpose="移交：受害人随祖母迁居，档案移交迁入地乡镇",
        exploitation_type="拐卖儿童（收买抚养）",
        consents="监护人已于 2026-01-15 同意法律援助转介和信息共享；未同意纳入统计。",
        handover_to="某某县河西乡民政办",
        alerts=("下次回访：2026-06-01", "法律援助答复期限 2026-03-10 已过，尚未收到答复"),
        services=(
            ServiceRow(
                "临时性帮扶救助", "县救助管理站", "城关镇政府", date(2026, 1, 12), date(2026, 1, 30), "已完成"
            ),
            ServiceRow(
                "医疗（心理疏导）",
                "县人民医院",
                "县妇联",
                date(2026, 1, 20),
                None,
                "进行中",
                "每月一次心理疏导",
            ),
            ServiceRow(
                "回归学校", "县教育局", "城关镇中心小学", date(2026, 2, 20), None, "进行中", LONG_TEXT[:80]
            ),
        ),
        follow_ups=(
            FollowUpRow(
                date(2026, 2, 1), date(2026, 2, 2), "入户走访", "李晓梅", "生活安定，已返校。", "已完成"
            ),
            FollowUpRow(
                date(2026, 3, 1), date(2026, 3, 3), "入户走访", "李晓梅、王建国", LONG_TEXT, "已完成"
            ),
            FollowUpRow(date(2026, 6, 1), None, "电话回访", "李晓梅", "", "计划中"),
        ),
        referrals=(
            ReferralRow(
                "某某县法律援助中心",
                "刑事附带民事诉讼",
                date(2026, 3, 3),
                True,
                "已转介",
                None,
                date(2026, 3, 10),
                "",
                "监护人同意",
            ),
        ),
        placements=(
            PlacementRow(date(2026, 1, 12), date(2026, 1, 30), "救助管理机构临时安置", "某某县救助管理站"),
            PlacementRow(date(2026, 1, 30), None, "回归家庭和社区", "祖母家", "收买家庭已排除，不得由其抚养"),
        ),
    )


# ---------------------------------------------------------------- annual report from synthetic victims

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = ["小红", "春梅", "秀英", "建华", "丽娟", "海燕", "玉兰", "志强", "晓燕", "桂芳", "明珠", "雪梅"]
SERVICE_LABELS = (
    "临时性帮扶救助",
    "寻亲",
    "落户",
    "医疗",
    "康复",
    "回归学校",
    "技能培训和就业",
    "回归家庭和社区",
    "持续帮扶",
    "纳入社会救助",
    "法律援助",
)
PLACEMENT_LABELS = (
    "救助机构临时安置",
    "寻亲中",
    "送还亲生父母",
    "儿童福利机构",
    "返乡",
    "异地就业",
    "已落户",
    "外籍安全送返",
)
REFERRAL_STATUS_LABELS = ("已转介", "已受理", "不予受理", "已指派律师", "已办结", "已撤回")
REFERRAL_OUTCOME_LABELS = ("获得赔偿", "监护权确定", "调解结案", "其他")
TOWNSHIPS = (("城关镇", 31), ("河西乡", 14), ("石门镇", 6), ("龙泉乡", 2))


@dataclass(frozen=True)
class SyntheticVictim:
    name: str
    id_number: str
    township: str
    services: tuple[int, ...]
    placement: int
    referral_status: int | None
    outcome: int | None
    followups_planned: int
    followups_done: int


def _id_number(rng: random.Random, birth: date, female: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (0 if female else 1)
    body = f"510123{birth:%Y%m%d}{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def synthetic_victims() -> list[SyntheticVictim]:
    rng = random.Random(20260301)
    people: list[SyntheticVictim] = []
    for township, count in TOWNSHIPS:
        for _ in range(count):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            birth = date(rng.randrange(1985, 2018), rng.randrange(1, 13), rng.randrange(1, 28))
            services = tuple(1 if rng.random() < 0.45 else 0 for _ in SERVICE_LABELS)
            has_referral = rng.random() < 0.5
            planned = rng.randrange(0, 5)
            people.append(
                SyntheticVictim(
                    name=name,
                    id_number=_id_number(rng, birth, female=rng.random() < 0.7),
                    township=township,
                    services=services,
                    placement=rng.randrange(len(PLACEMENT_LABELS)),
                    referral_status=rng.randrange(len(REFERRAL_STATUS_LABELS)) if has_referral else None,
                    outcome=rng.randrange(len(REFERRAL_OUTCOME_LABELS)) if has_referral else None,
                    followups_planned=planned,
                    followups_done=rng.randrange(0, planned + 1),
                )
            )
    return people


def annual_units_from(people: list[SyntheticVictim], year: int = 2026) -> list[Unit]:
    """What the statistics service would do: count per township, keep no identity."""
    labels = default_labels()
    units = []
    for i, (township, _) in enumerate(TOWNSHIPS):
        mine = [p for p in people if p.township == township]
        n = len(mine)
        cells: dict[str, int | str] = {m: 0 for m in _measures(labels)}
        cells.update({"open_end": n, "new": n // 2, "closed": n // 5, "open_year": n + n // 5})
        female = sum(1 for p in mine if int(p.id_number[16]) % 2 == 0)
        minors = sum(1 for p in mine if int(p.id_number[6:10]) > year - 18)
        cells.update({"sex.F": female, "sex.M": n - female, "age.minor": minors, "age.adult": n - minors,
                      "nat.cn": n, "id.known": n - n // 7, "id.unknown": n // 7})
        for j, (m, _) in enumerate(labels.services):
            cells[m] = sum(p.services[j % len(p.services)] for p in mine)
        cells["svc_total"] = sum(int(cells[m]) for m, _ in labels.services)
        cells["persons_assisted"] = sum(1 for p in mine if any(p.services))
        for j, (m, _) in enumerate(labels.placements):
            cells[m] = sum(1 for p in mine if p.placement % len(labels.placements) == j)
        for j, (m, _) in enumerate(labels.outcomes):
            cells[m] = sum(1 for p in mine if p.outcome is not None and p.outcome % len(labels.outcomes) == j)
        cells["ref_total"] = sum(int(cells[m]) for m, _ in labels.outcomes)
        cells["ref_green"] = int(cells["ref_total"]) // 2
        cells["ref_overdue"] = sum(1 for p in mine if p.referral_status == 0 and p.outcome is not None)
        cells["fu.due"] = sum(p.followups_planned for p in mine)
        cells["fu.done"] = sum(p.followups_done for p in mine)
        cells["fu.overdue"] = int(cells["fu.due"]) - int(cells["fu.done"])
        cells["fu.visited"] = sum(1 for p in mine if p.followups_done)
        units.append(Unit(f"51012{i}", township, cells))
    return units


def _measures(labels: Labels) -> list[str]:
    from fanguai_desk.reports.county import _Builder

    return _Builder(labels).measures()


def annual_view_from(people: list[SyntheticVictim], year: int = 2026) -> StatReportView:
    return StatReportView(
        kind="annual", title=f"某某县 {year} 年度工作情况统计表", county="某某县", reporting_unit="某某县民政局",
        period_start=date(year, 1, 1), period_end=date(year, 12, 31), generated_at=datetime(2027, 1, 20, 10, 0),
        book=annual_book(year, annual_units_from(people, year), default_labels()), prepared_by="李晓梅",
        header_right=f"统计年度：{year} 年　某某县",
    )


# ---------------------------------------------------------------- rendered PDFs (once per session)


@pytest.fixture(scope="session")
def victims() -> list[SyntheticVictim]:
    return synthetic_victims()


@pytest.fixture(scope="session")
def unsigned_reports(victims: list[SyntheticVictim]) -> dict[str, bytes]:
    return {
        "followup": render_followup_record(followup_view()),
        "file_summary": render_file_summary(file_summary_view()),
        "annual": render_stat_report(annual_view_from(victims)),
    }


@pytest.fixture(scope="session")
def signed_reports(unsigned_reports: dict[str, bytes], report_pki: ReportPki) -> dict[str, bytes]:
    return {kind: sign_as(pdf, report_pki.signer) for kind, pdf in unsigned_reports.items()}


# ---------------------------------------------------------------- poppler


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed; apt-get install poppler-utils")
    return path


def run_tool(name: str, *args: str, input_pdf: bytes, tmp_path: Path) -> str:
    """Run a poppler tool on ``input_pdf`` (written to tmp_path) and return its stdout."""
    exe = _tool(name)
    pdf_path = tmp_path / f"input-{hashlib.sha256(input_pdf).hexdigest()[:16]}.pdf"
    pdf_path.write_bytes(input_pdf)
    tail = ["-"] if name == "pdftotext" else []
    result = subprocess.run([exe, *args, str(pdf_path), *tail], capture_output=True, check=False, timeout=60)
    if name != "pdfsig":  # pdfsig exits non-zero when a certificate is not in its NSS store
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8", "replace")


@pytest.fixture
def poppler(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``poppler("pdftotext", pdf, "-layout")`` → stdout."""

    def call(tool: str, pdf: bytes, *args: str) -> str:
        return run_tool(tool, *args, input_pdf=pdf, tmp_path=tmp_path)

    return call


# ---------------------------------------------------------------- helpers as fixtures (tests/ is not a package)


@pytest.fixture(scope="session")
def make_followup():  # type: ignore[no-untyped-def]
    return followup_view


@pytest.fixture(scope="session")
def sign_report():  # type: ignore[no-untyped-def]
    return sign_as


@pytest.fixture(scope="session")
def annual_view(victims: list[SyntheticVictim]) -> StatReportView:
    return annual_view_from(victims)


@pytest.fixture(scope="session")
def summary_view() -> FileSummaryView:
    return file_summary_view()
