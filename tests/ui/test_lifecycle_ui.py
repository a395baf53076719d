"""A file's whole life in the app (issue 13): close with a reason (obligations shown first), reopen with a
reason, transfer to another township, delete a mistaken file; the workbench's "nobody forgotten" cards open
their lists; work lists are lazy, sortable and filtered; planning a visit in the past asks first."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from fanguai_desk.domain.enums import FileStatus, FollowUpStatus, Role
from fanguai_desk.services.worklists import WorkList
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Victim
from fanguai_desk.ui.file_view import VictimFileView
from fanguai_desk.ui.lifecycle_dialogs import CloseFileDialog, DeleteFileDialog, ReopenDialog, TransferDialog
from tests.conftest import USER_PASSWORD
from tests.exchange.conftest import templates  # noqa: F401  (the certificates fixture)
from tests.helpers import content_fingerprint
from tests.ui.conftest import TIMEOUT_MS, register

TODAY = local_today()


def _open(o, victim_id: str, tab: str | None = None) -> VictimFileView:
    o.window.open_file(victim_id, tab)
    view = next(v for v in o.window.pages["victims"].file_views() if v.victim_id == victim_id)
    o.qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    return view


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_close_dialog_shows_obligations_then_closes_and_reopen_needs_a_reason(qtbot, desk, open_window) -> None:
    vid = register(desk)
    desk.followups.plan(vid, TODAY + timedelta(days=12))
    desk.assistance.add(vid, {"service_type": "medical", "start_date": TODAY.isoformat(),
                              "due_date": (TODAY + timedelta(days=5)).isoformat()})
    o = open_window(desk)
    view = _open(o, vid)
    assert view.close_file_button.isVisible() and not view.reopen_button.isVisible()
    view.open_close_dialog()
    dialog = view.dialog
    assert isinstance(dialog, CloseFileDialog)
    qtbot.waitUntil(lambda: dialog.obligations is not None, timeout=TIMEOUT_MS)
    text = dialog.obligations_label.text()
    assert "计划回访" in text and "服务" in text and "结案将取消" in text
    # "other" needs a note: the dialog says so and writes nothing
    before = content_fingerprint(desk)
    dialog.form.editor("reason").set_value("other")
    _ok(dialog)
    assert "请说明理由" in dialog.form.errors["note"].text()
    assert content_fingerprint(desk) == before
    dialog.form.editor("reason").set_value("returned_home")
    _ok(dialog)
    qtbot.waitUntil(lambda: "已结案" in view.banner.text(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: view.reopen_button.isVisible(), timeout=TIMEOUT_MS)
    assert not view.close_file_button.isVisible() and "只能查看" in view.closed_notice.text()
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.status is FileStatus.CLOSED and v.retention_until is not None
    assert [r.status for r in desk.followups.list(victim_id=vid, include_done=True)] == [FollowUpStatus.CANCELLED]

    # the closed file refuses a new visit, in the file's own form, with the reason
    tab = view.followups
    view.show_tab("followups")
    tab.plan_date.set_value(TODAY + timedelta(days=3))
    tab.plan()
    qtbot.waitUntil(lambda: "已结案" in tab.banner.text(), timeout=TIMEOUT_MS)

    view.open_reopen_dialog()
    reopen = view.dialog
    assert isinstance(reopen, ReopenDialog)
    reopen.form.editor("reason").setPlainText("急！")
    _ok(reopen)
    qtbot.waitUntil(lambda: "至少" in reopen.form.errors["reason"].text(), timeout=TIMEOUT_MS)
    reopen.form.editor("reason").setPlainText("本人回到本乡，需要继续跟踪帮扶")
    _ok(reopen)
    qtbot.waitUntil(lambda: view.close_file_button.isVisible(), timeout=TIMEOUT_MS)
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.status is FileStatus.OPEN and v.reopen_reason == "本人回到本乡，需要继续跟踪帮扶"


def test_transfer_dialog_moves_the_file_to_another_township(qtbot, desk, open_window) -> None:
    desk.users.township_by_name("白马镇", create=True)
    desk.users.add("bm1", USER_PASSWORD, Role.CASEWORKER, "白马镇", display_name="白马社工")
    vid = register(desk)
    o = open_window(desk)
    view = _open(o, vid)
    view.open_transfer_dialog()
    dialog = view.dialog
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.caseworker.count() > 0, timeout=TIMEOUT_MS)
    assert dialog.township.currentText() == "白马镇" and dialog.caseworker.currentText() == "白马社工"
    _ok(dialog)
    qtbot.waitUntil(lambda: "已移交至 白马镇" in view.banner.text(), timeout=TIMEOUT_MS)
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.township.name == "白马镇"


def test_admin_deletes_a_mistaken_file(qtbot, desk, open_window) -> None:
    vid = register(desk)
    o = open_window(desk)
    view = _open(o, vid)
    assert view.delete_button.isVisible()
    view.open_delete_dialog()
    dialog = view.dialog
    assert isinstance(dialog, DeleteFileDialog)
    dialog.form.editor("reason").setPlainText("。。")
    _ok(dialog)
    qtbot.waitUntil(lambda: bool(dialog.form.visible_errors()), timeout=TIMEOUT_MS)
    dialog.form.editor("reason").setPlainText("同一人重复录入的档案")
    _ok(dialog)
    qtbot.waitUntil(lambda: desk.victims.count() == 0, timeout=TIMEOUT_MS)


def test_consent_override_needs_a_real_reason_and_the_ui_says_why(qtbot, desk, open_window) -> None:
    vid = register(desk)
    o = open_window(desk)
    view = _open(o, vid, "legal_aid")
    tab = view.legal_aid
    tab.form.editor("institution").setText("县法律援助中心")
    tab.form.editor("matter").set_value("compensation")
    tab.form.editor("override").setChecked(True)
    tab.form.editor("consent_override_reason").setPlainText("急")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "至少" in tab.form.errors["consent_override_reason"].text(), timeout=TIMEOUT_MS)
    assert "标点" in tab.form.errors["consent_override_reason"].text()
    assert desk.referrals.list(victim_id=vid) == []


def test_planning_a_visit_in_the_past_asks_first(qtbot, desk, open_window) -> None:
    vid = register(desk)
    o = open_window(desk)
    view = _open(o, vid, "followups")
    tab = view.followups
    tab.plan_date.set_value(TODAY - timedelta(days=2))
    tab.plan()
    box = tab.confirm_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    o.wait()
    assert desk.followups.list(victim_id=vid) == []
    tab.plan()
    tab.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: len(desk.followups.list(victim_id=vid)) == 1, timeout=TIMEOUT_MS)
    # planned: the date field is emptied, so a second click cannot plan the same visit twice
    qtbot.waitUntil(lambda: tab.plan_date.value() is None, timeout=TIMEOUT_MS)
    tab.plan()
    assert "请选择" in tab.banner.text() and len(desk.followups.list(victim_id=vid)) == 1


def test_nobody_forgotten_cards_open_their_lists(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    page = o.window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=TIMEOUT_MS)
    expected = demo_desk.dashboard.compute()
    for key in ("files_without_plan", "files_without_contact", "school_age_without_school", "turning_16",
                "turning_18", "unidentified_past_threshold"):
        assert page.cards[key].number.text() == str(getattr(expected, key)), key
        o.window.navigate("dashboard")
        qtbot.mouseClick(page.cards[key], Qt.MouseButton.LeftButton)
        attention = o.window.pages["attention"]
        assert o.window.current_key() == "attention"
        o.wait()
        assert attention.panel.kind is WorkList(key)
        assert attention.panel.model.total == getattr(expected, key), key
    assert expected.files_without_plan > 0


def test_work_list_is_lazy_sortable_and_filtered(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    o.window.navigate("followups", mode="all")
    page = o.window.pages["followups"]
    o.wait()
    model = page.model
    total = demo_desk.worklists.count("followups_planned")
    assert model.total == total and model.rowCount() <= 200
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total  # no cap: every planned visit can be reached
    # sort by file number through the header
    page.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    o.wait()
    numbers = [r.file_number for r in model.rows]
    assert numbers == sorted(numbers)
    # filter by township
    panel = page.panel
    qtbot.waitUntil(lambda: panel.township.count() > 2, timeout=TIMEOUT_MS)
    panel.township.setCurrentIndex(1)
    o.wait()
    tid = panel.township.currentData()
    assert model.total == demo_desk.worklists.count("followups_planned", panel.current_filter())
    assert {r.township for r in model.rows} <= {panel.township.currentText()} and tid


def test_transfer_to_another_laptop_writes_a_bundle_and_closes_the_file(
        qtbot, open_window, templates, tmp_path) -> None:  # noqa: F811 (fixture imported above)
    from fanguai_desk.services.victims import VictimQuery
    from tests.exchange.conftest import open_desk

    town_a, town_b = templates.copy("town_a", tmp_path), templates.copy("town_b", tmp_path)
    b = open_desk(town_b)
    (tmp_path / "to.pem").write_bytes(b.pki.export_encryption_certificate())
    b.close()
    a = open_desk(town_a)
    vid = a.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    o = open_window(a)
    view = _open(o, vid)
    view.open_transfer_dialog()
    dialog = view.dialog
    assert isinstance(dialog, TransferDialog)
    dialog.modes.setCurrentIndex(1)
    _ok(dialog)
    assert "请选择" in dialog.banner.text() or "Choose" in dialog.banner.text()
    dialog.cert_path.setText(str(tmp_path / "to.pem"))
    dialog.destination.setText("白马镇民政办")
    dialog.out_path.setText(str(tmp_path / "file.p7m"))
    _ok(dialog)
    qtbot.waitUntil(lambda: "已移交至 白马镇民政办" in view.banner.text(), timeout=TIMEOUT_MS * 3)
    assert (tmp_path / "file.p7m").exists()
    qtbot.waitUntil(lambda: view.reopen_button.isVisible(), timeout=TIMEOUT_MS)
    o.close()
    b = open_desk(town_b)
    try:
        b.exchange.import_bundle((tmp_path / "file.p7m").read_bytes())
        assert b.victims.open_file(vid, audit_read=False).victim.township.name == "白马镇"
    finally:
        b.close()
