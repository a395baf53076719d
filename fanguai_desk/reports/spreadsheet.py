"""The same protected tables as the PDF, as an ``.xlsx`` workbook (openpyxl): one sheet per table.

Printed counts are written as numbers (so the office can paste and add them up in its own forms);
"<5", "×" and "—" are written as text, exactly as in the PDF.  A first sheet 说明 carries the title,
period and the method note.  Nothing else: the workbook is built from the published strings only.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fanguai_desk.reports.annual import METHOD_NOTE
from fanguai_desk.reports.layout import fmt_date, fmt_datetime
from fanguai_desk.reports.views import StatReportView

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE3EA")
_TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
_SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = str.maketrans({c: "" for c in "[]:*?/\\"})


def _sheet_name(title: str, used: set[str]) -> str:
    # "一、建档与结档情况（份）" → "一 建档与结档情况"; Excel allows 31 characters, no []:*?/\
    name = title.split("（")[0].replace("、", " ").translate(_BAD_SHEET_CHARS)[:_SHEET_NAME_MAX] or "表"
    base, i = name, 2
    while name in used:
        name = f"{base[:_SHEET_NAME_MAX - 3]}_{i}"
        i += 1
    used.add(name)
    return name


def render_stat_workbook(view: StatReportView) -> bytes:
    """The report's protected tables as .xlsx bytes."""
    wb = Workbook()
    info = wb.active
    info.title = "说明"
    info.append([view.title])
    info["A1"].font = Font(bold=True, size=14)
    for label, value in (("填报单位", view.reporting_unit), ("报送", view.recipient),
                         ("统计期间", f"{fmt_date(view.period_start)} 至 {fmt_date(view.period_end)}"),
                         ("生成时间", fmt_datetime(view.generated_at))):
        info.append([label, value])
    info.append([])
    for line in (METHOD_NOTE, "本表不含被拐卖受害人姓名、公民身份号码等个人信息。", *view.notes):
        info.append([line])
    for s in view.sources:
        info.append(["乡镇报送", s.township, s.author, fmt_date(s.created), fmt_date(s.received)])
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 60
    used = {"说明"}
    for t in view.book.tables:
        ws = wb.create_sheet(_sheet_name(t.title, used))
        ws.append([t.title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([t.row_header, *t.columns])
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, (label, cells) in enumerate(zip(t.rows, t.cells, strict=True)):
            ws.append([label, *(int(c) if c.isdigit() else c for c in cells)])
            for cell in ws[ws.max_row]:
                cell.border = _BORDER
                if cell.column > 1:
                    cell.alignment = Alignment(horizontal="center")
                if i in t.total_rows:
                    cell.fill = _TOTAL_FILL
                    cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 16
        for c in range(2, len(t.columns) + 2):
            ws.column_dimensions[get_column_letter(c)].width = 14
        ws.row_dimensions[2].height = 32
        ws.freeze_panes = "B3"
        # printed from the office's spreadsheet program: landscape, each table one page wide
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["render_stat_workbook"]
