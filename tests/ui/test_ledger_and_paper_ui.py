"""The ledger wizard (导入台账) and the paper-copy check (核验纸质件), driven through their widgets."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fanguai_desk.ui.ledger_wizard import LedgerImportDialog
from tests.ledger.sample_ledger import write_sample
from tests.services import test_reports
from tests.ui.conftest import TIMEOUT_MS

report_registries = test_reports.report_registries
town_path = test_reports.town_path
cw1 = test_reports.cw1


def _shot(widget, name: str) -> None:
    folder = os.environ.get("FANGUAI_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_ledger_wizard_refuses_a_bad_ledger_then_imports_the_corrected_one(qtbot, desk, open_window,
                                                                           tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    where = write_sample(bad, bad=True)
    write_sample(good, bad=False)
    o = open_window(desk)
    page = o.window.pages["victims"]
    dialog = page.list.open_ledger_wizard()
    assert isinstance(dialog, LedgerImportDialog)
    dialog.load(bad)
    qtbot.waitUntil(lambda: dialog.mapping_table.rowCount() == 14, timeout=TIMEOUT_MS)
    assert dialog.mapping()["身份证号码"] == "id_number" and dialog.mapping()["序号"] == ""
    dialog.run(dry_run=False)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    assert dialog.outcome is not None and dialog.outcome.errors and not dialog.outcome.created
    report = dialog.report.toPlainText()
    assert f"第 {where['id_as_number']} 行 E{where['id_as_number']}（身份证号码）" in report
    assert "未导入" in dialog.banner.text() or "未建立" in dialog.banner.text()
    _shot(dialog, "ledger-wizard-errors.png")
    dialog.outcome = None

    dialog.load(good)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT_MS)
    dialog.run(dry_run=True)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    assert dialog.outcome is not None and dialog.outcome.would_create == 8 and "未写入" in dialog.banner.text()
    dialog.outcome = None
    dialog.run(dry_run=False)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    assert dialog.outcome is not None and len(dialog.outcome.created) == 8
    _shot(dialog, "ledger-wizard-done.png")
    dialog.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_paper_check_from_a_typed_code_and_from_a_scan(qtbot, cw1, report_registries, open_window,
                                                       tmp_path: Path) -> None:
    pdf = cw1.reports.followup_record(report_registries.visit_id)
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "p.pdf"), str(tmp_path / "page")], check=True)
    scan = sorted(tmp_path.glob("page-*.png"))[0]
    o = open_window(cw1)
    o.window.navigate("reports")
    page = o.window.pages["reports"]
    panel = page.paper_check
    panel.check_image(scan)
    qtbot.waitUntil(lambda: panel.last is not None, timeout=TIMEOUT_MS)
    assert panel.last is not None and panel.last.genuine
    assert "真实" in panel.result.text() and "第 1 页" in panel.result.text() and "北京时间" in panel.result.text()
    _shot(o.window, "paper-check.png")
    panel.last = None
    panel.code.setText("FG1-AAAAAAAA-1-AAAAAAAA")
    panel.check_typed()
    qtbot.waitUntil(lambda: panel.last is not None, timeout=TIMEOUT_MS)
    assert panel.last is not None and not panel.last.genuine and "无法确认" in panel.result.text()
