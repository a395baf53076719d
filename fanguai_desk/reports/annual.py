"""年度 / 阶段 工作情况统计表 — the county's report to the joint-conference office (Lincang table 七(一);
阶段性评估 and 终期评估 of the plans), as PDF.

Counts only.  The renderer is given the tables exactly as published (:mod:`fanguai_desk.reports.disclosure`
decided every string: "<5" for 1–4, "×" for a complementary suppression, "—" for a rate that cannot be
shown) and draws its charts from those strings only — a suppressed cell is no bar and no point.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from fanguai_desk.reports.disclosure import HIDDEN, SMALL, THRESHOLD, PublishedTable
from fanguai_desk.reports.fonts import register_fonts
from fanguai_desk.reports.layout import (
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
from fanguai_desk.reports.views import StatReportView

TITLES = {"annual": "年度工作情况统计表", "period": "阶段工作情况统计表"}
PAGE = landscape(A4)
ROW_HEADER_COL = 30 * mm
MAX_NUMBER_COL = 32 * mm
CHART_HEIGHT = 62 * mm
CHART_LABEL_CHARS = 8
SERIES_COLOURS = [colors.HexColor(c) for c in ("#2F5D8A", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646",
                                                 "#7F7F7F", "#1F7A5C", "#B8860B", "#5B9BD5", "#A5A5A5")]
METHOD_NOTE = (
    f"说明：1. 数值为 1～{THRESHOLD - 1} 的单元格以“{SMALL}”显示；为防止由合计、比例或其他表格推算出这些数值，"
    f"另有部分单元格以“{HIDDEN}”隐去（互补隐匿）。经线性规划核验，任何隐去的数值都无法被推算到宽度小于 {THRESHOLD} "
    "的区间内。分子或分母被隐去的比例不予显示（—）。图表只使用表中公开的数值。"
)


def _numbers(table: PublishedTable, row: int, columns: Sequence[int]) -> list[int | None]:
    values = table.numbers(row)
    return [values[c] for c in columns]


def chart_series(table: PublishedTable) -> tuple[list[str], list[str], list[list[int | None]]]:
    """(category labels, series names, series values) of a table's chart, from its printed cells only."""
    spec = table.chart
    assert spec is not None
    if spec.by_row:  # one series per row, the columns are the categories
        categories = [table.columns[c] for c in spec.columns]
        names = [table.rows[r] for r in spec.rows]
        data = [_numbers(table, r, spec.columns) for r in spec.rows]
    else:  # one series per column, the rows are the categories
        categories = [table.rows[r] for r in spec.rows]
        names = [table.columns[c] for c in spec.columns]
        data = [[table.numbers(r)[c] for r in spec.rows] for c in spec.columns]
    return categories, names, data


def chart_drawing(table: PublishedTable, width: float, height: float = CHART_HEIGHT) -> Drawing | None:
    """A bar or line chart of the table (``None`` when it has nothing printed to draw)."""
    if table.chart is None:
        return None
    font = register_fonts()
    categories, names, data = chart_series(table)
    if not categories or all(v is None for series in data for v in series):
        return None
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # the renderer's first setFont: no stray, unembedded Helvetica
    drawing.initialFontSize = 8
    chart: VerticalBarChart | HorizontalLineChart
    # a line needs two points in every series (a suppressed year is a gap): otherwise draw bars
    line = table.chart.kind == "line" and all(sum(v is not None for v in series) >= 2 for series in data)
    chart = HorizontalLineChart() if line else VerticalBarChart()
    legend_width = 40 * mm if len(names) > 1 else 0
    chart.x, chart.y = 14 * mm, 16 * mm
    chart.width, chart.height = width - chart.x - legend_width - 6 * mm, height - chart.y - 10 * mm
    chart.data = [tuple(v for v in series) for series in data]
    chart.categoryAxis.categoryNames = [c if len(c) <= CHART_LABEL_CHARS else c[: CHART_LABEL_CHARS - 1] + "…"
                                        for c in categories]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    if len(categories) > 6:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.y = 24 * mm
        chart.height = height - chart.y - 10 * mm
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    top = max((v for series in data for v in series if v is not None), default=0)
    if top < THRESHOLD:
        chart.valueAxis.valueMax = THRESHOLD * 2
    for i, _ in enumerate(names):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        if isinstance(chart, VerticalBarChart):
            chart.bars[i].fillColor = colour
            chart.bars[i].strokeColor = colour
        else:
            chart.lines[i].strokeColor = colour
            chart.lines[i].strokeWidth = 1.6
            chart.lines[i].symbol = None
    if isinstance(chart, VerticalBarChart):
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 6.5
        chart.barLabels.nudge = 6
        chart.groupSpacing = 6
    drawing.add(chart)
    drawing.add(String(chart.x, height - 6 * mm, table.chart.title, fontName=font, fontSize=9))
    if legend_width:
        legend = Legend()
        legend.fontName = font
        legend.fontSize = 7.5
        legend.x = width - legend_width
        legend.y = height - 14 * mm
        legend.alignment = "right"
        legend.columnMaximum = 10
        legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], n) for i, n in enumerate(names)]
        drawing.add(legend)
    return drawing


def _table(t: PublishedTable, width: float) -> Flowable:
    n = len(t.columns)
    col = min(MAX_NUMBER_COL, (width - ROW_HEADER_COL) / max(n, 1))
    rows = [[label, *cells] for label, cells in zip(t.rows, t.cells, strict=True)]
    return grid_table([t.row_header, *t.columns], rows, [ROW_HEADER_COL] + [col] * n,
                      centered_cols=range(1, n + 1), bold_last_row=bool(t.total_rows), empty_text="（无数据）")


def render_stat_report(view: StatReportView, paper: PaperMark | None = None) -> bytes:
    """The annual or period report as PDF bytes (A4 landscape), with an empty signature field."""
    st = report_styles()
    width = content_width(PAGE)
    slot = SignatureSlot()
    doc_title = TITLES.get(view.kind, TITLES["annual"])
    story: list[Flowable] = [
        para(view.title, st.title),
        para("被拐卖受害人救助、安置、康复和回归社会工作", st.subtitle),
        Spacer(1, 4 * mm),
        meta_table([("填报单位", view.reporting_unit), ("报送", view.recipient),
                    ("统计期间", f"{fmt_date(view.period_start)} 至 {fmt_date(view.period_end)}")], width),
    ]
    for t in view.book.tables:
        story.append(KeepTogether([section(t.title), _table(t, width)]))
        drawing = chart_drawing(t, min(width, 200 * mm))
        if drawing is not None:
            story += [Spacer(1, 2 * mm), KeepTogether([drawing])]
    story.append(Spacer(1, 3 * mm))
    lines = [METHOD_NOTE, "2. 本表不含被拐卖受害人姓名、公民身份号码等个人信息。", *view.notes]
    if view.sources:
        lines.append("乡镇报送的统计数据（仅统计、已作隐匿处理）：" + "；".join(
            f"{s.township}（{s.author}，{fmt_date(s.created)}制作，{fmt_date(s.received)}接收）" for s in view.sources))
    story += notes(lines)
    sign_lines = [
        underline("填报人（签名）：", 12) if not view.prepared_by else f"填报人：{view.prepared_by}",
        underline("审核人（签名）：", 12),
        underline("单位负责人（签名）：", 10),
    ]
    story.append(signature_block(sign_lines, slot, width))
    decoration = PageDecoration(
        doc_title=doc_title,
        header_right=view.header_right or view.county,
        footer_left=f"生成时间：{fmt_datetime(view.generated_at)}",
        paper=paper,
    )
    return build_pdf(story, title=doc_title, decoration=decoration, slot=slot, pagesize=PAGE)


__all__ = ["TITLES", "chart_drawing", "chart_series", "render_stat_report"]
