"""Users and settings (administrator): add, reset, remove; the idle timeout; the language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fanguai_desk.domain.enums import Role
from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.i18n import saved_language
from tests.ui.conftest import TIMEOUT_MS


def _settings(o):
    o.window.navigate("settings")
    page = o.window.pages["settings"]
    o.wait()
    return page


def test_admin_adds_resets_and_removes_a_caseworker(qtbot, desk, open_window) -> None:
    o = open_window(desk)
    page = _settings(o)
    assert page.users.rowCount() == 1
    page.new_login.setText("cw2")
    page.new_name.setText("李社工")
    page.new_role.set_value(Role.CASEWORKER)
    page.new_township.setCurrentText("青龙镇")
    page.new_pw.setText("Lishegong-2026!")
    page.new_pw2.setText("Lishegong-2026?")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "两次输入的密码不一致" in page.users_banner.text()
    page.new_pw2.setText("Lishegong-2026!")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已添加用户 cw2" in page.users_banner.text(), timeout=TIMEOUT_MS)
    o.wait()
    assert {u.login for u in page.users.rows} == {"admin", "cw2"}
    worker = Desk.unlock(desk.registry.data_dir, "cw2", "Lishegong-2026!")
    assert worker.actor.role is Role.CASEWORKER and worker.actor.township_name == "青龙镇"
    worker.registry.close()

    row = next(i for i, u in enumerate(page.users.rows) if u.login == "cw2")
    page.user_table.selectRow(row)
    page.reset_pw.setText("Reset-pass-2026!")
    page.reset_pw2.setText("Reset-pass-2026!")
    page.reset_compromised.setChecked(True)  # suspected compromise: the database is re-keyed too
    key_before = desk.database_key
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已重置 cw2 的密码" in page.users_banner.text(), timeout=TIMEOUT_MS)
    assert desk.database_key != key_before and not page.reset_compromised.isChecked()
    worker = Desk.unlock(desk.registry.data_dir, "cw2", "Reset-pass-2026!")
    worker.registry.close()

    o.wait()
    row = next(i for i, u in enumerate(page.users.rows) if u.login == "cw2")
    page.user_table.selectRow(row)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    box = page._confirm_box
    assert box.isVisible() and "cw2" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "已停用用户 cw2" in page.users_banner.text(), timeout=TIMEOUT_MS)
    assert not desk.users.login_exists("cw2")
    o.wait()
    assert _user_cells(page, "cw2")[-2:] == ["已停用", "不能登录（已停用）"]
    assert _user_cells(page, "admin")[-2:] == ["启用", "已设密码"]


def _user_cells(page, login: str) -> list[str]:
    row = next(i for i, u in enumerate(page.users.rows) if u.login == login)
    return [page.users.index(row, c).data() for c in range(page.users.columnCount())]


def test_users_table_says_in_words_who_can_sign_in_here(qtbot, desk, open_window) -> None:
    """A user record that arrived from another laptop has no password here: the table says what fixes it."""
    from fanguai_desk.store.models import User

    with desk.tx() as s:
        s.add(User(login="baima", display_name="白马镇社工", role=Role.CASEWORKER, active=True))
    o = open_window(desk)
    page = _settings(o)
    qtbot.waitUntil(lambda: page.users.rowCount() == 2, timeout=TIMEOUT_MS)
    headers = [page.users.headerData(c, Qt.Orientation.Horizontal) for c in range(page.users.columnCount())]
    assert headers[-2:] == ["账户", "本机登录"]
    assert _user_cells(page, "baima")[-3:] == ["全县", "启用", "本机未设密码：需管理员重置"]
    assert _user_cells(page, "admin")[-2:] == ["启用", "已设密码"]
    assert not any(cell in ("是", "否", "无") for login in ("admin", "baima") for cell in _user_cells(page, login))


def test_idle_timeout_setting_reaches_the_lock_timer(qtbot, desk, open_window) -> None:
    o = open_window(desk)
    page = _settings(o)
    page.idle.setValue(12)
    page.save_settings()
    qtbot.waitUntil(lambda: "设置已保存" in page.registry_banner.text(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: o.idle.timeout_ms() == 12 * 60_000, timeout=TIMEOUT_MS)
    assert desk.settings().idle_lock_minutes == 12


def test_language_choice_is_remembered_for_the_next_start(qtbot, desk, open_window) -> None:
    o = open_window(desk)
    page = _settings(o)
    page.language.setCurrentIndex(page.language.findData("en"))
    assert saved_language() == "en"
    assert "下次启动程序时生效" in page.language_note.text()
