"""Shared ReportLab pieces for every report.

* page decoration: the confidentiality mark 内部资料 注意保密, a header line, and a footer with
  第 N 页 共 M 页 (the total is known because :class:`_NumberedCanvas` holds pages until ``save``);
* paragraph styles in the shipped CJK font, with ``wordWrap='CJK'`` so long Chinese text wraps;
* a bordered form table (label / value cells) and a grid table for lists and counts — both may split
  inside a row, so a 3 000-character note flows onto the next page instead of overflowing;
* the signature block: handwritten-signature lines plus an empty box reserved for the digital
  signature.  The box records where it landed; :func:`build_pdf` then adds an empty signature
  field there, which :func:`fanguai_desk.reports.signing.sign_pdf` fills.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from fanguai_desk.reports.fonts import register_fonts
from fanguai_desk.reports.papercode import PaperMark, draw_paper_code
from fanguai_desk.reports.signing import DEFAULT_FIELD_NAME, add_signature_field

CONFIDENTIAL_MARK = "内部资料 注意保密"
EMPTY = "—"
SIGNATURE_FIELD_NAME = DEFAULT_FIELD_NAME
MARGIN = 18 * mm
TOP_MARGIN = 24 * mm
BOTTOM_MARGIN = 20 * mm
SIGNATURE_BOX_WIDTH = 82 * mm
SIGNATURE_BOX_HEIGHT = 26 * mm
LABEL_FILL = colors.HexColor("#EDEDED")
HEADER_FILL = colors.HexColor("#DDE3EA")
MARK_RED = colors.HexColor("#B00000")
GRID_WIDTH = 0.6
BOX_WIDTH = 1.2

FormRow = tuple[str, str] | tuple[str, str, str, str]

# ReportLab's CJK line breaking keeps Japanese closing punctuation off the start of a line but does
# not know the full-width Chinese marks (，；：！？ …), so lines began with a comma.  Add them: the mark
# then hangs at the end of the previous line (inside the cell padding), as Chinese typesetting does.
_CHINESE_CANNOT_START = "，；：！？）》〉】』」、。．”’…%"
for _module in (_rl_paragraph, _rl_textsplit):  # each holds its own copy of the string
    _module.ALL_CANNOT_START += "".join(c for c in _CHINESE_CANNOT_START if c not in _module.ALL_CANNOT_START)


def fmt_date(value: date | None) -> str:
    """Dates the Chinese way on paper: 2026年11月22日."""
    return f"{value.year}年{value.month}月{value.day}日" if value is not None else EMPTY


def fmt_datetime(value: datetime) -> str:
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def or_dash(text: str | None) -> str:
    return text if text and text.strip() else EMPTY


@dataclass(frozen=True)
class ReportStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    meta: ParagraphStyle
    section: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle
    note: ParagraphStyle
    sign_line: ParagraphStyle


@lru_cache(maxsize=1)
def report_styles() -> ReportStyles:
    font = register_fonts()

    def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    return ReportStyles(
        title=style("title", 18, 24, alignment=TA_CENTER, spaceAfter=2 * mm),
        subtitle=style("subtitle", 10.5, 15, alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
        meta=style("meta", 9.5, 14, alignment=TA_LEFT),
        section=style("section", 12, 17, spaceBefore=4 * mm, spaceAfter=2 * mm, keepWithNext=1),
        label=style("label", 9.5, 13, alignment=TA_CENTER),
        value=style("value", 10, 14.5),
        head=style("head", 8.5, 11, alignment=TA_CENTER),
        cell=style("cell", 8.5, 11.5),
        number=style("number", 9, 12, alignment=TA_CENTER),
        note=style("note", 8.5, 12.5, textColor=colors.HexColor("#333333")),
        sign_line=style("sign_line", 10.5, 16),
    )


def para(text: str | None, style: ParagraphStyle, *, dash: bool = True) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept; empty → "—" unless ``dash=False``)."""
    raw = text if text is not None else ""
    if not raw.strip():
        raw = EMPTY if dash else ""
    markup = escape(raw.strip()).replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(markup, style)


# ---------------------------------------------------------------- page decoration


@dataclass(frozen=True)
class PageDecoration:
    doc_title: str  # footer, right
    header_right: str  # e.g. 档案编号：5101-2026-0001
    footer_left: str  # e.g. 打印时间：2026-11-22 10:03
    paper: PaperMark | None = None  # a signed print: QR code and short code on every page


def _decorate(canv: Canvas, page: int, total: int, deco: PageDecoration) -> None:
    font = register_fonts()
    width, height = canv._pagesize
    canv.saveState()
    # confidentiality mark, boxed in red, top left
    size = 10.5
    y = height - 14 * mm
    mark_width = stringWidth(CONFIDENTIAL_MARK, font, size)
    canv.setStrokeColor(MARK_RED)
    canv.setFillColor(MARK_RED)
    canv.setLineWidth(1)
    canv.rect(MARGIN, y - 3.2, mark_width + 8, size + 5.5, stroke=1, fill=0)
    canv.setFont(font, size)
    canv.drawString(MARGIN + 4, y, CONFIDENTIAL_MARK)
    # header right
    canv.setFillColor(colors.black)
    canv.setFont(font, 9)
    canv.drawRightString(width - MARGIN, y, deco.header_right)
    canv.setStrokeColor(colors.black)
    canv.setLineWidth(0.5)
    canv.line(MARGIN, y - 6, width - MARGIN, y - 6)
    # footer
    fy = 11 * mm
    canv.line(MARGIN, fy + 11, width - MARGIN, fy + 11)
    canv.setFont(font, 8.5)
    canv.drawString(MARGIN, fy, deco.footer_left)
    canv.drawCentredString(width / 2, fy, f"第 {page} 页 共 {total} 页")
    canv.drawRightString(width - MARGIN, fy, f"{deco.doc_title}　{CONFIDENTIAL_MARK}")
    canv.restoreState()
    if deco.paper is not None:
        draw_paper_code(canv, deco.paper.code(page, total), font, width - MARGIN)


class _NumberedCanvas(Canvas):
    """Keeps every page until ``save`` so the decoration can say 第 N 页 共 M 页."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        kwargs["initialFontName"] = register_fonts()  # no stray, unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._decorate_page = decorate
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._decorate_page(self, self._pageNumber, total)
            super().showPage()
        super().save()


# ---------------------------------------------------------------- tables


def form_table(rows: Sequence[FormRow], width: float, label_width: float = 30 * mm) -> list[Flowable]:
    """Bordered form: ``(label, value)`` rows span the width; ``(l1, v1, l2, v2)`` rows are pairs.

    Values are paragraphs, so long Chinese text wraps inside its cell, and a row taller than the
    rest of the page continues on the next one.  Built as a stack of tables without column spans
    (consecutive pair rows share one 4-column table, consecutive wide rows one 2-column table):
    ReportLab wraps a spanned cell to its first column's width when it splits a row.
    """
    st = report_styles()
    value_width = (width - 2 * label_width) / 2
    groups: list[list[FormRow]] = []
    for row in rows:
        if groups and len(groups[-1][0]) == len(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    flowables: list[Flowable] = []
    for index, group in enumerate(groups):
        pair = len(group[0]) == 4
        data: list[list[Any]] = []
        for row in group:
            cells = [para(text, st.label if i % 2 == 0 else st.value) for i, text in enumerate(row)]
            data.append(cells)
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
            ("GRID", (0, 0), (-1, -1), GRID_WIDTH, colors.black),
            ("LINEBEFORE", (0, 0), (0, -1), BOX_WIDTH, colors.black),
            ("LINEAFTER", (-1, 0), (-1, -1), BOX_WIDTH, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
        ]
        if pair:
            commands.append(("BACKGROUND", (2, 0), (2, -1), LABEL_FILL))
            col_widths = [label_width, value_width, label_width, value_width]
        else:
            # TOP, not MIDDLE: when ReportLab splits a row across pages it pads a middle-aligned
            # cell by half the original row height, which leaves a page of empty cell behind.
            commands.append(("VALIGN", (0, 0), (-1, -1), "TOP"))
            col_widths = [label_width, width - label_width]
        if index == 0:
            commands.append(("LINEABOVE", (0, 0), (-1, 0), BOX_WIDTH, colors.black))
        if index == len(groups) - 1:
            commands.append(("LINEBELOW", (0, -1), (-1, -1), BOX_WIDTH, colors.black))
        flowables.append(
            Table(data, colWidths=col_widths, style=TableStyle(commands), splitInRow=1, hAlign="CENTER")
        )
    return flowables


def grid_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    *,
    centered_cols: Sequence[int] = (),
    bold_last_row: bool = False,
    empty_text: str = "（无记录）",
) -> Table:
    """A list/count table with a shaded header row repeated on each page."""
    st = report_styles()
    centered = set(centered_cols)
    data: list[list[Any]] = [[para(h, st.head) for h in headers]]
    for row in rows:
        data.append([para(v, st.number if i in centered else st.cell) for i, v in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, colors.black),
        ("BOX", (0, 0), (-1, -1), BOX_WIDTH, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),  # see form_table: MIDDLE breaks in-row splits
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if not rows:
        data.append([para(empty_text, st.number)] + [""] * (len(headers) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    elif bold_last_row:
        commands.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), LABEL_FILL))
    return Table(
        data,
        colWidths=list(col_widths),
        style=TableStyle(commands),
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",  # narrow tables line up with their section title
    )


def meta_table(items: Sequence[tuple[str, str]], width: float) -> Table:
    """A borderless line of "label：value" items in equal columns (above a form)."""
    st = report_styles()
    cells = [para(f"{label}：{or_dash(value)}", st.meta) for label, value in items]
    return Table(
        [cells],
        colWidths=[width / len(items)] * len(items),
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        ),
        hAlign="CENTER",
    )


def section(title: str) -> Paragraph:
    return para(title, report_styles().section)


def notes(lines: Sequence[str]) -> list[Flowable]:
    st = report_styles()
    return [para(line, st.note, dash=False) for line in lines if line.strip()]


# ---------------------------------------------------------------- signature block


@dataclass
class SignatureSlot:
    """Filled in while drawing: where the digital-signature box landed (page is 1-based)."""

    page: int | None = None
    rect: tuple[float, float, float, float] | None = None


class SignatureBox(Flowable):
    """An empty, dashed box reserved for the visible digital signature."""

    def __init__(
        self, slot: SignatureSlot, width: float = SIGNATURE_BOX_WIDTH, height: float = SIGNATURE_BOX_HEIGHT
    ):
        super().__init__()
        self.slot = slot
        self.width = width
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        font = register_fonts()
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setDash(3, 2)
        canv.setLineWidth(0.6)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.setFillColor(colors.HexColor("#888888"))
        canv.setFont(font, 8)
        canv.drawCentredString(self.width / 2, self.height / 2 - 3, "（电子签名处）")
        canv.restoreState()
        x0, y0 = canv.absolutePosition(0, 0)
        x1, y1 = canv.absolutePosition(self.width, self.height)
        self.slot.page = canv.getPageNumber()
        self.slot.rect = (x0, y0, x1, y1)


def signature_block(
    lines: Sequence[str], slot: SignatureSlot, width: float, *, heading: str | None = None
) -> Flowable:
    """Handwriting lines on the left (e.g. "回访人（签名）：" …), the digital-signature box on the right."""
    st = report_styles()
    left: list[Flowable] = []
    for line in lines:
        left.append(para(line, st.sign_line, dash=False))
        left.append(Spacer(1, 3 * mm))
    box_col = SIGNATURE_BOX_WIDTH + 6
    table = Table(
        [[left, SignatureBox(slot)]],
        colWidths=[width - box_col, box_col],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    parts: list[Flowable] = [Spacer(1, 4 * mm)]
    if heading:
        parts.append(section(heading))
    parts.append(table)
    return KeepTogether(parts)


def underline(label: str, blanks: int = 16) -> str:
    """A label followed by a blank to write on (full-width spaces, underlined by the form)."""
    return f"{label}{'＿' * blanks}"


# ---------------------------------------------------------------- document


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    decoration: PageDecoration,
    slot: SignatureSlot | None,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """Lay out ``story`` and return the PDF; adds the empty signature field where ``slot`` landed."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author="",
        subject="",
        creator="fanguai_desk",
        producer="fanguai_desk (ReportLab)",
    )

    def decorate(canv: Canvas, page: int, total: int) -> None:
        _decorate(canv, page, total, decoration)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, decorate=decorate, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    pdf = buffer.getvalue()
    if slot is not None and slot.page is not None and slot.rect is not None:
        pdf = add_signature_field(pdf, SIGNATURE_FIELD_NAME, page=slot.page - 1, box=slot.rect)
    return pdf


def content_width(pagesize: tuple[float, float] = A4) -> float:
    return pagesize[0] - 2 * MARGIN
