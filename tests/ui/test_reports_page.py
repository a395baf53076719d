"""报表 page: a follow-up record generated, previewed (real PDF pages), saved; full-name print; verify."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction, FollowUpStatus
from fanguai_desk.store.models import AuditEntry
from fanguai_desk.ui.pages.reports import SUMMARY, ReportsPage
from tests.conftest import make_desk
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)
from tests.ui.conftest_features import open_desk


def _actions(desk) -> list[AuditAction]:
    with desk.read() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _page_on_a_done_visit(harness, path: Path):
    h = harness(open_desk(path), lambda ctx, nav: ReportsPage(ctx, nav))
    page = h.page
    visit = next(r for r in h.ctx.desk.followups.list(include_done=True) if r.status is FollowUpStatus.DONE)
    page.search.setText(visit.file_number)
    page.find_files()
    h.until(lambda: page.visit_combo.count() > 0 and page.visit_combo.currentData() is not None)
    page.visit_combo.setCurrentIndex(page.visit_combo.findData(visit.id))
    return h, page, visit


def test_followup_record_is_generated_previewed_saved_and_audited(harness, town_a_dir, tmp_path) -> None:
    h, page, _visit = _page_on_a_done_visit(harness, town_a_dir)
    page.generate()
    h.until(lambda: page.last_pdf is not None)
    assert page.last_pdf.startswith(b"%PDF")
    assert page.preview.page_count() >= 1
    assert page.preview.save_button.isEnabled() and page.preview.print_button.isEnabled()
    assert "1" in page.preview.info.text()
    out = tmp_path / "saved" / "record.pdf"
    out.parent.mkdir()
    assert page.preview.save_to(out)
    assert out.read_bytes() == page.last_pdf
    assert "已保存" in page.banner.text()
    actions = _actions(h.ctx.desk)
    assert actions[-1] is AuditAction.PRINT and AuditAction.REVEAL not in actions

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert page.preview.print_to(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000

    # the saved file verifies as intact and signed by a county certificate
    page.verify_file(out)
    h.until(lambda: page.last_verification is not None)
    result = page.last_verification
    assert result.intact and result.trusted and not result.revoked
    assert "签名有效" in page.verify_result.text()
    assert "签名时间" in page.verify_result.text()


def test_full_name_print_is_recorded_as_reveal(harness, town_a_dir) -> None:
    h, page, _visit = _page_on_a_done_visit(harness, town_a_dir)
    page.set_kind(SUMMARY)
    assert page.file_combo.isVisible() and not page.visit_combo.isVisible()
    page.full_name.setChecked(True)
    assert page.full_name_warning.isVisible() and "审计" in page.full_name_warning.text()
    page.generate()
    h.until(lambda: page.last_pdf is not None)
    assert page.preview.page_count() >= 1
    actions = _actions(h.ctx.desk)
    assert actions[-2:] == [AuditAction.REVEAL, AuditAction.PRINT]


def test_without_a_certificate_the_page_points_to_settings(harness, tmp_path) -> None:
    desk = make_desk(tmp_path / "plain")
    h = harness(desk, lambda ctx, nav: ReportsPage(ctx, nav))
    page = h.page
    page.set_kind("annual")
    page.generate()
    h.until(lambda: page.banner.text() != "")
    assert page.banner.kind() == "error"
    assert "证书" in page.banner.text() and "设置" in page.banner.text()
    assert page.last_pdf is None


def test_period_report_and_spreadsheet_from_the_page(harness, town_a_dir, tmp_path) -> None:
    import io

    from openpyxl import load_workbook

    from fanguai_desk.ui.pages.reports import ANNUAL, PERIOD

    h = harness(open_desk(town_a_dir), lambda ctx, nav: ReportsPage(ctx, nav))
    page = h.page
    page.set_kind(PERIOD)
    assert page.first_year.isVisibleTo(page) and not page.year.isVisibleTo(page)
    assert page.xlsx_button.isVisibleTo(page)
    page._preset_chosen(1)  # 终期评估 2021–2030
    assert (page.first_year.value(), page.last_year.value()) == (2021, 2030)
    page.generate()
    h.until(lambda: page.last_pdf is not None)
    assert page.preview.page_count() >= 2
    target = tmp_path / "period.xlsx"
    page.save_xlsx(target)
    h.until(lambda: page.last_xlsx is not None)
    wb = load_workbook(io.BytesIO(target.read_bytes()))
    assert wb.sheetnames[0] == "说明" and wb[wb.sheetnames[1]]["A3"].value == "2021年"
    assert target.stat().st_mode & 0o077 == 0
    page.set_kind(ANNUAL)
    assert not page.first_year.isVisibleTo(page) and page.xlsx_button.isVisibleTo(page)
    page.set_kind(SUMMARY)
    assert not page.xlsx_button.isVisibleTo(page)
    assert AuditAction.EXPORT in _actions(h.ctx.desk)
