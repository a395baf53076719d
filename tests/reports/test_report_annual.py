"""The yearly report PDF and spreadsheet: no names or ID numbers, protected cells everywhere, charts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from fanguai_desk.reports.annual import chart_drawing, chart_series, render_stat_report
from fanguai_desk.reports.county import Unit, annual_book, default_labels
from fanguai_desk.reports.spreadsheet import render_stat_workbook
from fanguai_desk.reports.views import StatReportView
from tests.reports.attack import narrow_cells

Poppler = Callable[..., str]


def test_annual_report_has_no_victim_names_or_id_numbers(
    victims: list[Any], signed_reports: dict[str, bytes], poppler: Poppler
) -> None:
    text = poppler("pdftotext", signed_reports["annual"], "-layout")
    squashed = re.sub(r"\s+", "", text)
    assert len(victims) > 40
    for person in victims:
        assert person.name not in squashed
        assert person.id_number not in squashed
        assert person.id_number[6:14] not in squashed  # not even a birth date
    assert not re.search(r"(?<![\d-])\d{15}(?:\d{2}[\dXx])?(?![\d-])", text)  # nothing shaped like an ID
    assert "<5" in text and "×" in text


def _first_row(text: str, township: str) -> list[str]:
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] == township:
            return cells[1:]
    raise AssertionError(township)


def test_small_township_counts_are_suppressed_and_the_pdf_prints_what_the_book_decided(
    victims: list[Any], signed_reports: dict[str, bytes], annual_view: StatReportView, poppler: Poppler
) -> None:
    text = poppler("pdftotext", signed_reports["annual"], "-layout")
    small = [p for p in victims if p.township == "龙泉乡"]
    assert 0 < len(small) < 5
    files = annual_view.book.tables[0]
    row = files.rows.index("龙泉乡")
    assert files.cells[row][2] == "<5"  # open at the end of the year
    assert _first_row(text, "龙泉乡") == [c for c in files.cells[row]]
    assert not narrow_cells(annual_view.book)


def _tiny_view() -> StatReportView:
    labels = default_labels()
    units = [Unit("1", "甲乡", {"open_end": 1, "sex.F": 1, "age.minor": 1, "nat.cn": 1, "id.known": 1,
                                "pl.returned_home": 1, "open_year": 1, "new": 1}),
             Unit("2", "乙镇", {"open_end": 2, "sex.F": 1, "sex.M": 1, "age.adult": 2, "nat.cn": 2, "id.known": 2,
                                "pl.returned_home": 2, "open_year": 2, "new": 2})]
    book = annual_book(2026, units, labels)
    return StatReportView(kind="annual", title="某某县 2026 年度工作情况统计表", county="某某县",
                          reporting_unit="某某县民政局", period_start=date(2026, 1, 1),
                          period_end=date(2026, 12, 31), generated_at=datetime(2027, 1, 20, 10, 0), book=book)


def test_every_nonzero_count_of_a_tiny_county_is_hidden(poppler: Poppler) -> None:
    view = _tiny_view()
    text = poppler("pdftotext", render_stat_report(view), "-layout")
    for township in ("甲乡", "乙镇", "合计"):
        for cell in _first_row(text, township):
            assert cell in {"<5", "×", "0"}, (township, cell)
    assert not narrow_cells(view.book)


def test_charts_use_printed_cells_only() -> None:
    view = _tiny_view()
    for table in view.book.tables:
        if table.chart is None:
            continue
        _categories, _names, data = chart_series(table)
        printed = {int(c) for row in table.cells for c in row if c.isdigit()}
        assert all(v is None or v in printed for series in data for v in series)
    # nothing but zeros and suppressed cells: the files chart has no bar to draw
    assert chart_drawing(view.book.tables[0], 400) is None


def test_empty_year_still_renders(poppler: Poppler) -> None:
    labels = default_labels()
    view = StatReportView(kind="annual", title="某某县 2026 年度工作情况统计表", county="某某县",
                          reporting_unit="某某县民政局", period_start=date(2026, 1, 1),
                          period_end=date(2026, 12, 31), generated_at=datetime(2027, 1, 20, 10, 0),
                          book=annual_book(2026, [], labels))
    text = poppler("pdftotext", render_stat_report(view), "-layout")
    assert "年度工作情况统计表" in text and "合计" in text


def test_the_spreadsheet_has_the_same_protected_tables(annual_view: StatReportView) -> None:
    wb = load_workbook(io.BytesIO(render_stat_workbook(annual_view)))
    assert wb.sheetnames[0] == "说明"
    assert len(wb.sheetnames) == 1 + len(annual_view.book.tables)
    for table, name in zip(annual_view.book.tables, wb.sheetnames[1:], strict=True):
        ws = wb[name]
        assert ws["A1"].value == table.title
        assert [c.value for c in ws[2]] == [table.row_header, *table.columns]  # Chinese headers
        for i, (label, cells) in enumerate(zip(table.rows, table.cells, strict=True)):
            values = [c.value for c in ws[3 + i]]
            assert values[0] == label
            assert [str(v) if v is not None else "" for v in values[1:]] == list(cells)
            assert all(isinstance(v, int) for v, c in zip(values[1:], cells, strict=True) if c.isdigit())
