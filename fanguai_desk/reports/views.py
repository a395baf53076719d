"""What the report renderers are given: plain, frozen, already-masked values.

The service layer fills these from the store (masking names and ID numbers unless the user chose
to reveal them for this print, which it audits), and turns enums into their Chinese labels.
Renderers never see ORM objects and never decide what may be shown.  Empty strings and ``None``
dates print as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from fanguai_desk.reports.disclosure import ProtectedBook


@dataclass(frozen=True)
class FollowUpRecordView:
    """One follow-up visit (回访记录表)."""

    county: str  # 县（区）
    township: str  # 乡镇（街道）
    file_number: str  # 档案编号, e.g. 5101-2026-0001
    display_name: str  # masked (张*华) unless the caseworker chose the full name for this print
    sex: str  # label: 女 / 男 / 不详
    age: str  # "14", "约 30" (estimated)
    planned_date: date | None
    actual_date: date | None
    method: str  # label: 入户走访 / 电话回访 / 到校回访 / 到工作单位回访 / 其他
    visitors: str  # 回访人员
    living_situation: str  # 生活状况
    schooling: str  # 就学情况
    work: str  # 就业情况
    health: str  # 身体健康状况
    psychological_state: str  # 心理状况
    needs_found: str  # 发现的需求
    difficulties_referred: str  # 需协调解决的困难
    referred_to_unit: str  # 转介（协调）单位
    next_visit_date: date | None
    notes: str  # 备注
    caseworker_name: str  # who signs the record
    printed_at: datetime
    purpose: str  # 打印用途, e.g. 存档 / 移交
    visit_number: int | None = None  # 第 N 次回访
    location: str = ""  # 回访地点
    interviewees: str = ""  # 受访人/在场人员
    full_name_shown: bool = False  # the print shows the unmasked name (printed as a note)
    record_ref: str = ""  # short record id for the archive (no personal data)


@dataclass(frozen=True)
class ServiceRow:
    service_type: str  # label
    responsible_unit: str  # 负责单位
    cooperating_units: str  # 配合单位
    start_date: date | None
    end_date: date | None
    status: str  # label
    notes: str = ""


@dataclass(frozen=True)
class FollowUpRow:
    planned_date: date | None
    actual_date: date | None
    method: str
    visitors: str
    summary: str  # short summary of findings
    status: str  # label: 已完成 / 计划中 / 已逾期 …


@dataclass(frozen=True)
class ReferralRow:
    institution: str  # 法律援助机构
    matter: str  # label
    referral_date: date | None
    green_channel: bool
    status: str  # label
    decision_date: date | None
    deadline: date | None  # 法律援助法 art. 43 clock
    outcome: str
    consent: str = ""  # "本人同意" / "监护人同意" / "未取得同意（已记录理由）"


@dataclass(frozen=True)
class PlacementRow:
    start_date: date | None
    end_date: date | None
    state: str  # label
    place: str  # institution / household / place
    notes: str = ""


@dataclass(frozen=True)
class FileSummaryView:
    """The dedicated file (专门档案) summarised for a handover or transfer."""

    county: str
    township: str
    file_number: str
    display_name: str  # masked unless revealed for this print
    sex: str
    birth: str  # "2011-05-03" or "约 2011 年"
    age: str
    id_number: str  # masked (5101**********123X) or "" if unknown
    identity_status: str  # 身份明确 / 身份信息不明确
    ethnicity: str
    nationality: str
    hukou_place: str  # 户籍地
    residence: str  # 现住址
    guardians: str  # minors: guardian(s) and relation
    disability: str  # 残疾情况及等级
    case_reference: str  # 公安案件编号
    case_unit: str  # 办案单位
    rescue_date: date | None
    rescuing_unit: str
    caseworker_name: str
    file_status: str  # 在档 / 已结案（原因）
    opened_date: date | None
    printed_at: datetime
    purpose: str  # 打印用途, e.g. 移交
    alias: str = ""
    exploitation_type: str = ""
    closure: str = ""  # closure reason and date, if closed
    consents: str = ""  # summary of consents on record
    handover_to: str = ""  # 接收单位/接收人
    alerts: tuple[str, ...] = ()  # flags: overdue follow-ups, pending referrals …
    services: tuple[ServiceRow, ...] = ()
    follow_ups: tuple[FollowUpRow, ...] = ()
    referrals: tuple[ReferralRow, ...] = ()
    placements: tuple[PlacementRow, ...] = ()
    full_name_shown: bool = False


@dataclass(frozen=True)
class ReceivedSource:
    """A township's statistics-only bundle counted in a county report (listed on the report)."""

    township: str
    author: str  # who signed it (a staff member)
    created: date  # when it was made
    received: date


@dataclass(frozen=True)
class StatReportView:
    """年度 / 阶段 工作情况统计表 for the joint-conference office: protected counts only, no names, no ID numbers.

    ``book`` holds the tables exactly as published (``reports.disclosure``): the renderers print its
    strings and draw their charts from it, and never see a raw count.
    """

    kind: str  # "annual" or "period"
    title: str  # e.g. 某某县 2025 年度工作情况统计表
    county: str
    reporting_unit: str  # 填报单位
    period_start: date
    period_end: date
    generated_at: datetime
    book: ProtectedBook
    recipient: str = "县反拐工作联席会议办公室"
    prepared_by: str = ""  # 填报人
    header_right: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    sources: tuple[ReceivedSource, ...] = ()
