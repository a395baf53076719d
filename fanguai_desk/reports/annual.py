"""年度工作情况统计表 — the yearly report to the joint-conference office (Lincang table 七(一)).

Counts only, by township.  No names, no ID numbers: the view carries none.  Small-cell
suppression: every count from 1 to 4 — in any cell, totals included — prints as "<5", and a rate
whose numerator or denominator is such a count prints as "—" (it would reveal the count).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.reports.layout import (
    EMPTY,
    PageDecoration,
    SignatureSlot,
    build_pdf,
    content_width,
    fmt_date,
    fmt_datetime,
    grid_table,
    meta_table,
    notes,
    para,
    report_styles,
    section,
    signature_block,
    underline,
)
from fanguai_desk.reports.papercode import PaperMark
from fanguai_desk.reports.views import AnnualReportView, AnnualTownshipRow

TITLE = "年度工作情况统计表"
SUPPRESSION_THRESHOLD = 5
PAGE = landscape(A4)
TOWNSHIP_COL = 30 * mm
MAX_NUMBER_COL = 32 * mm


def suppress_small(n: int) -> str:
    """Small-cell suppression: "0" for 0, "<5" for 1–4, the number otherwise."""
    if n < 0:
        raise ValidationError("count_negative")
    if 0 < n < SUPPRESSION_THRESHOLD:
        return f"<{SUPPRESSION_THRESHOLD}"
    return str(n)


def suppressed_rate(numerator: int, denominator: int) -> str:
    """A percentage, or "—" when it is undefined or would reveal a suppressed count."""
    if numerator < 0 or denominator < 0:
        raise ValidationError("count_negative")
    if denominator < SUPPRESSION_THRESHOLD or 0 < numerator < SUPPRESSION_THRESHOLD:
        return EMPTY
    return f"{100 * numerator / denominator:.1f}%"


def _check_columns(view: AnnualReportView) -> None:
    for row in view.townships:
        if (
            len(row.services) != len(view.service_labels)
            or len(row.placements) != len(view.placement_labels)
            or len(row.referrals) != len(view.referral_status_labels)
            or len(row.referral_outcomes) != len(view.referral_outcome_labels)
        ):
            raise ValidationError("report_columns_mismatch")


def _sum(values: Sequence[int]) -> int:
    return sum(values)


def _column_totals(rows: Sequence[Sequence[int]], width: int) -> list[int]:
    return [sum(r[i] for r in rows) for i in range(width)]


def _count_table(
    headers: Sequence[str],
    view: AnnualReportView,
    counts: Callable[[AnnualTownshipRow], Sequence[int]],
    *,
    total_column: bool,
    width: float,
) -> Flowable:
    """Townships down, categories across, a 合计 row (and column); every cell suppressed."""
    raw = [list(counts(row)) for row in view.townships]
    if total_column:
        raw = [[*r, _sum(r)] for r in raw]
        headers = [*headers, "合计"]
    n = len(headers)
    totals = _column_totals(raw, n)
    rows = [[t.township] + [suppress_small(v) for v in r] for t, r in zip(view.townships, raw, strict=True)]
    rows.append(["合计"] + [suppress_small(v) for v in totals])
    col = min(MAX_NUMBER_COL, (width - TOWNSHIP_COL) / n)
    return grid_table(
        ["乡镇（街道）", *headers],
        rows,
        [TOWNSHIP_COL] + [col] * n,
        centered_cols=range(1, n + 1),
        bold_last_row=True,
        empty_text="（无数据）",
    )


def _followup_table(view: AnnualReportView, width: float) -> Flowable:
    headers = [
        "应回访（次）",
        "已回访（次）",
        "逾期未回访（次）",
        "回访完成率",
        "应回访人数",
        "已回访人数",
        "回访覆盖率",
    ]

    def cells(planned: int, done: int, overdue: int, due: int, seen: int) -> list[str]:
        return [
            suppress_small(planned),
            suppress_small(done),
            suppress_small(overdue),
            suppressed_rate(done, planned),
            suppress_small(due),
            suppress_small(seen),
            suppressed_rate(seen, due),
        ]

    rows = [
        [
            t.township,
            *cells(
                t.followups_planned,
                t.followups_done,
                t.followups_overdue,
                t.persons_due,
                t.persons_followed_up,
            ),
        ]
        for t in view.townships
    ]
    ts = view.townships
    rows.append(
        [
            "合计",
            *cells(
                sum(t.followups_planned for t in ts),
                sum(t.followups_done for t in ts),
                sum(t.followups_overdue for t in ts),
                sum(t.persons_due for t in ts),
                sum(t.persons_followed_up for t in ts),
            ),
        ]
    )
    col = min(MAX_NUMBER_COL, (width - TOWNSHIP_COL) / len(headers))
    return grid_table(
        ["乡镇（街道）", *headers],
        rows,
        [TOWNSHIP_COL] + [col] * len(headers),
        centered_cols=range(1, len(headers) + 1),
        bold_last_row=True,
        empty_text="（无数据）",
    )


def _block(title: str, table: Flowable) -> Flowable:
    # keep a section title with (the start of) its table
    return KeepTogether([section(title), table])


def render_annual_report(view: AnnualReportView, paper: PaperMark | None = None) -> bytes:
    """The yearly statistical report as PDF bytes (A4 landscape), with an empty signature field."""
    _check_columns(view)
    st = report_styles()
    width = content_width(PAGE)
    slot = SignatureSlot()
    start = view.period_start or date(view.year, 1, 1)
    end = view.period_end or date(view.year, 12, 31)
    story: list[Flowable] = [
        para(f"{view.county} {view.year} 年度工作情况统计表", st.title),
        para("被拐卖受害人救助、安置、康复和回归社会工作", st.subtitle),
        Spacer(1, 4 * mm),
        meta_table(
            [
                ("填报单位", view.reporting_unit),
                ("报送", view.recipient),
                ("统计期间", f"{fmt_date(start)} 至 {fmt_date(end)}"),
            ],
            width,
        ),
        _block(
            "一、建档与帮扶总体情况",
            _count_table(
                ["在档专门档案数（年末，份）", "本年新建档案（份）", "本年接受帮扶人数（人）"],
                view,
                lambda t: (t.files_total, t.files_new, t.persons_assisted),
                total_column=False,
                width=width,
            ),
        ),
        _block(
            "二、救助帮扶服务（按服务类型，件）",
            _count_table(
                list(view.service_labels), view, lambda t: t.services, total_column=True, width=width
            ),
        ),
        _block(
            "三、安置状况（年末，人）",
            _count_table(
                list(view.placement_labels), view, lambda t: t.placements, total_column=True, width=width
            ),
        ),
        _block(
            "四、法律援助转介（按办理状态，件）",
            _referral_table(view, width),
        ),
        _block(
            "五、法律援助办理结果（件）",
            _count_table(
                list(view.referral_outcome_labels),
                view,
                lambda t: t.referral_outcomes,
                total_column=True,
                width=width,
            ),
        ),
        _block("六、跟踪回访覆盖情况", _followup_table(view, width)),
        Spacer(1, 3 * mm),
    ]
    lines = [
        "说明：1. 数值为 1～4 的单元格（含合计）以“<5”显示；分子或分母为 1～4 的比例不予显示（—），以防识别个人。",
        "2. 本表不含被拐卖受害人姓名、公民身份号码等个人信息。回访完成率＝已回访次数÷应回访次数；"
        "回访覆盖率＝已回访人数÷应回访人数。",
    ]
    if view.files_excluded_no_consent:
        lines.append(
            f"3. 另有 {suppress_small(view.files_excluded_no_consent)} 份档案因本人（监护人）未同意纳入统计，未计入本表。"
        )
    lines += list(view.notes)
    story += notes(lines)
    sign_lines = [
        underline("填报人（签名）：", 12) if not view.prepared_by else f"填报人：{view.prepared_by}",
        underline("审核人（签名）：", 12),
        underline("单位负责人（签名）：", 10),
    ]
    story.append(signature_block(sign_lines, slot, width))
    decoration = PageDecoration(
        doc_title=TITLE,
        header_right=f"统计年度：{view.year} 年　{view.county}",
        footer_left=f"生成时间：{fmt_datetime(view.generated_at)}",
        paper=paper,
    )
    return build_pdf(story, title=TITLE, decoration=decoration, slot=slot, pagesize=PAGE)


def _referral_table(view: AnnualReportView, width: float) -> Flowable:
    headers = [*view.referral_status_labels, "其中：绿色通道", "其中：超期未答复", "转介合计"]

    def counts(t: AnnualTownshipRow) -> list[int]:
        return [*t.referrals, t.green_channel, t.referrals_overdue, sum(t.referrals)]

    return _count_table(headers, view, counts, total_column=False, width=width)
