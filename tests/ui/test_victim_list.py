"""The victim list in the window: search (pinyin initials, ID tail), keyboard, opening a file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.ui.file_view import VictimFileView
from fanguai_desk.ui.models import VictimIdRole
from tests.ui.conftest import TIMEOUT_MS, register


def _list(o):
    o.window.navigate("victims")
    return o.window.pages["victims"].list


def test_search_by_pinyin_initials_finds_the_person(qtbot, desk, open_window) -> None:
    target = register(desk, name="张三华")
    register(desk, name="李四明", birth_date=None)
    register(desk, name="赵世豪", birth_date=None)
    o = open_window(desk)
    panel = _list(o)
    qtbot.waitUntil(lambda: panel.model.total == 3, timeout=TIMEOUT_MS)
    qtbot.keyClick(o.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "zsh")
    qtbot.waitUntil(lambda: panel.model.query.text == "zsh", timeout=TIMEOUT_MS)
    # 张三华 (zsh) and 赵世豪 (zsh) both have these initials; full pinyin narrows it down
    names = {panel.model.index(i, 1).data() for i in range(panel.model.rowCount())}
    assert names == {"张**", "赵**"}
    panel.search.setText("zhangsanhua")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT_MS)
    assert panel.model.index(0, 0).data(VictimIdRole) == target
    assert panel.count_label.text() == "共 1 份档案"


def test_search_by_id_number_tail_and_file_number(qtbot, desk, open_window) -> None:
    target = register(desk, name="王芳", id_number="11010519491231002X", sex="F", birth_date=None)
    register(desk, name="李四明", birth_date=None)
    o = open_window(desk)
    panel = _list(o)
    panel.search.setText("002x")
    qtbot.waitUntil(lambda: panel.model.query.text == "002x", timeout=TIMEOUT_MS)
    assert panel.model.rowCount() == 1 and panel.model.index(0, 0).data(VictimIdRole) == target
    number = panel.model.index(0, 0).data()
    panel.search.setText(number)
    qtbot.waitUntil(lambda: panel.model.query.text == number, timeout=TIMEOUT_MS)
    assert panel.model.rowCount() == 1


def test_enter_on_a_row_opens_the_file_masked_and_the_read_is_audited(qtbot, desk, open_window) -> None:
    victim_id = register(desk, name="张三华", id_number="11010519491231002X", sex="F", birth_date=None)
    o = open_window(desk)
    panel = _list(o)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT_MS)
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    page = o.window.pages["victims"]
    view = page.tabs.currentWidget()
    assert isinstance(view, VictimFileView) and view.victim_id == victim_id
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    assert view.name_label.text() == "张**"
    assert "1101**********002X" in view.id_label.text()
    assert page.tabs.tabText(page.tabs.currentIndex()) == view.file.victim.file_number
    assert view.profile.form.value("name") == "张**"
    assert view.profile.form.editor("name").isReadOnly()
    actions = [e.action for e in desk.victims.audit_trail(victim_id)]
    assert AuditAction.READ in actions


def test_double_click_opens_the_file_once(qtbot, desk, open_window) -> None:
    register(desk)
    o = open_window(desk)
    panel = _list(o)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT_MS)
    rect = panel.table.visualRect(panel.model.index(0, 0))
    for _ in range(2):
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = o.window.pages["victims"]
    assert len(page.file_views()) == 1


def test_filters_and_the_new_file_form(qtbot, desk, open_window) -> None:
    register(desk, name="张三华")
    register(desk, name="小红", birth_date=None, estimated_birth_year=2014)
    o = open_window(desk)
    panel = _list(o)
    qtbot.waitUntil(lambda: panel.model.total == 2, timeout=TIMEOUT_MS)
    panel.minors.setChecked(True)
    o.wait()
    assert panel.model.total == 1 and panel.model.index(0, 1).data() == "小*"
    panel.clear_filters()
    o.wait()
    assert panel.model.total == 2

    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    page = o.window.pages["victims"]
    new = page.tabs.currentWidget()
    new.form.editor("alias").setText("小梅")
    new.form.editor("identity_status").set_value("unknown")
    new.form.editor("estimated_birth_year").setValue(2012)
    new.form.editor("id_number").setText("110105194912310021")  # wrong check digit
    new.form.editor("id_number").editingFinished.emit()
    assert any("校验位不正确" in e for e in new.form.visible_errors())
    new.form.editor("id_number").clear()
    qtbot.mouseClick(new.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.tabs.currentWidget(), VictimFileView), timeout=TIMEOUT_MS)
    view = page.tabs.currentWidget()
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    assert "身份信息不明确" in view.info_label.text()
    assert desk.victims.count() == 3
