"""维护 panel: the backup reminder and "Back up now", the check-up in Chinese, the purge list (administrator)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox

from fanguai_desk.domain.enums import PurgeReason
from fanguai_desk.domain.labels import label
from fanguai_desk.ui.pages.maintenance import MaintenancePanel
from tests.helpers import closed_long_ago
from tests.ui.conftest import register
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)


def test_panel_shows_the_doctor_report_and_makes_a_backup(harness, desk) -> None:
    h = harness(desk, lambda ctx, nav: MaintenancePanel(ctx))
    panel = h.page
    panel.refresh()
    h.until(lambda: panel.status is not None)
    assert panel.reminder.isVisible() and "备份" in panel.reminder.text()
    assert "从未备份" in panel.backup_info.text()

    panel.run_doctor()
    h.until(lambda: panel.report is not None)
    assert panel.checks.rowCount() >= 5
    texts = [panel.checks.index(r, c).data() for r in range(panel.checks.rowCount()) for c in range(3)]
    assert "正常" in texts and "审计日志" in texts
    assert any("哈希链校验通过" in t for t in texts)
    assert "体检结果" in panel.doctor_status.text()

    panel.back_up()
    h.until(lambda: panel.last_backup is not None)
    assert panel.last_backup.path.exists()
    assert panel.banner.kind() == "success" and "备份已保存" in panel.banner.text()
    h.until(lambda: not panel.reminder.isVisible())
    assert desk.maintenance.backup_status().last_backup_at is not None


def test_admin_purges_a_due_file_after_an_explicit_confirmation(harness, desk) -> None:
    vid = register(desk, name="销毁测试")
    desk.lifecycle.close(vid, "returned_home", closed_on="2015-01-10")
    closed_long_ago(desk, vid, date(2015, 1, 10))
    h = harness(desk, lambda ctx, nav: MaintenancePanel(ctx))
    panel = h.page
    panel.refresh()
    h.until(lambda: panel.due.rowCount() == 1)
    assert panel.purge_box.isVisible()
    # the grounds (PIPL art. 47) in the words of the one label table, domain/labels.py
    assert [(panel.reason.itemText(i), panel.reason.itemData(i)) for i in range(panel.reason.count())] == \
        [(label(r), r.value) for r in PurgeReason]
    panel.ask_purge()
    assert "先在列表中选择" in panel.banner.text()
    panel.due_table.selectRow(0)
    panel.ask_purge()
    box = panel._confirm_box
    assert box is not None and box.isVisible() and "无法撤销" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    h.wait()
    assert panel.last_purge is None and desk.victims.list_rows()
    panel.due_table.selectRow(0)
    panel.ask_purge()
    panel._confirm_box.button(QMessageBox.StandardButton.Yes).click()
    h.until(lambda: panel.last_purge is not None)
    assert panel.last_purge.files == [vid]
    h.until(lambda: panel.due.rowCount() == 0)
    assert desk.victims.list_rows() == []


def test_a_jumped_clock_is_named_in_the_purge_question_and_yes_confirms_it(harness, desk, monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from fanguai_desk.store import clock

    vid = register(desk, name="时钟销毁测试")
    desk.lifecycle.close(vid, "returned_home", closed_on="2015-01-10")
    closed_long_ago(desk, vid, date(2015, 1, 10))
    monkeypatch.setattr(clock, "wall_clock", lambda: datetime.now(UTC) + timedelta(days=3))  # moved ahead
    h = harness(desk, lambda ctx, nav: MaintenancePanel(ctx))
    panel = h.page
    panel.refresh()
    h.until(lambda: panel.due.rowCount() == 1)
    panel.due_table.selectRow(0)
    panel.ask_purge()
    box = panel._confirm_box
    assert box is not None and "晚了一天以上" in box.text() and "确认电脑的日期和时间无误" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    h.wait()
    assert panel.last_purge is None and desk.victims.list_rows()  # nothing deleted
    panel.due_table.selectRow(0)
    panel.ask_purge()
    panel._confirm_box.button(QMessageBox.StandardButton.Yes).click()
    h.until(lambda: panel.last_purge is not None)
    assert panel.last_purge.files == [vid]
