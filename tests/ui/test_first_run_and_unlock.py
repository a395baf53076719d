"""Start-up through the real windows: the first-run wizard, and signing in (good, bad, throttled)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fanguai_desk.domain.enums import Installation
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.desk import Desk, registry_exists
from fanguai_desk.ui.app import AppController
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import TIMEOUT_MS


@pytest.fixture
def controller(zh_app: Any, tmp_path: Path) -> Iterator[Any]:
    made: list[AppController] = []

    def make(data_dir: Path) -> AppController:
        c = AppController(zh_app, data_dir)
        made.append(c)
        c.start()
        return c

    yield make
    for c in made:
        for w in (c.wizard, c.start_window, c.window):
            if w is not None:
                w.hide()
        c.shutdown()


def test_first_run_wizard_creates_the_registry_and_signs_the_administrator_in(qtbot, controller, tmp_path) -> None:
    data_dir = tmp_path / "new-registry"
    c = controller(data_dir)
    wizard = c.wizard
    assert wizard is not None and c.start_window is None
    qtbot.mouseClick(wizard.create_choice, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentIndex() == 1
    wizard.township.setText("白马镇")
    wizard.admin_name.setText("王主任")
    wizard.password.setText("Baima-2026!key")
    wizard.password2.setText("Baima-2026!key")
    assert wizard.meter.bar.value() >= 3
    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    assert "密码丢失后无法找回" in wizard.banner.text()  # the box must be ticked first
    assert not registry_exists(data_dir)
    wizard.acknowledge.setChecked(True)
    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.window is not None, timeout=TIMEOUT_MS)
    assert registry_exists(data_dir)
    assert c.ctx.actor is not None and c.ctx.actor.login == "admin" and c.ctx.actor.township_name == "白马镇"
    assert "王主任" in c.window.user_label.text() and "白马镇" in c.window.township_label.text()
    assert c.window.windowTitle() == "反拐专门档案登记库 — 白马镇"
    reopened = Desk.unlock(data_dir, "admin", "Baima-2026!key")
    assert reopened.actor.display_name == "王主任"
    assert reopened.installation is Installation.TOWNSHIP  # the wizard's default: a township laptop
    reopened.registry.close()


def test_wizard_creates_the_countys_laptop_when_chosen(qtbot, controller, tmp_path) -> None:
    data_dir = tmp_path / "county"
    c = controller(data_dir)
    wizard = c.wizard
    qtbot.mouseClick(wizard.create_choice, Qt.MouseButton.LeftButton)
    assert wizard.installation.currentData() == Installation.TOWNSHIP.value
    wizard.installation.setCurrentIndex(wizard.installation.findData(Installation.COUNTY.value))
    wizard.township.setText("县民政局")
    wizard.township_code.setText("510100")
    wizard.password.setText("County-2026!key")
    wizard.password2.setText("County-2026!key")
    wizard.acknowledge.setChecked(True)
    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.window is not None, timeout=TIMEOUT_MS)
    assert c.ctx.installation is Installation.COUNTY and c.ctx.can(Permission.COUNTY_CA)
    assert not c.ctx.can(Permission.EXPORT)


def test_wizard_explains_a_weak_password_before_creating_anything(qtbot, controller, tmp_path) -> None:
    data_dir = tmp_path / "weak"
    c = controller(data_dir)
    wizard = c.wizard
    wizard.stack.setCurrentIndex(1)
    wizard.township.setText("白马镇")
    wizard.password.setText("abc")
    assert "至少需要 10 个字符" in wizard.password_hint.text()
    wizard.password.setText("admin-2026-key")
    assert "不能包含用户名" in wizard.password_hint.text()
    wizard.acknowledge.setChecked(True)
    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    assert "不能包含用户名" in wizard.banner.text()
    assert not registry_exists(data_dir)


def test_unlock_refuses_a_wrong_password_clearly_and_opens_with_the_right_one(qtbot, controller, desk) -> None:
    data_dir = desk.registry.data_dir
    desk.registry.close()
    c = controller(data_dir)
    assert c.wizard is None and c.start_window is not None
    panel = c.start_window.panel
    qtbot.keyClicks(panel.login_edit, "admin")
    qtbot.keyClicks(panel.password_edit, "Not-the-password-1")
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message_text() != "", timeout=TIMEOUT_MS)
    assert panel.message_text() == "用户名或密码错误。"
    assert c.window is None and panel.password_edit.text() == ""
    qtbot.keyClicks(panel.password_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: c.window is not None, timeout=TIMEOUT_MS)
    assert c.ctx.actor.login == "admin"
    assert "已解锁" in c.window.lock_label.text()


def test_throttling_after_repeated_failures_is_shown_as_a_countdown(qtbot, controller, desk) -> None:
    data_dir = desk.registry.data_dir
    desk.registry.close()
    c = controller(data_dir)
    panel = c.start_window.panel
    panel.login_edit.setText("admin")
    for _ in range(4):  # three free attempts, then the core makes the user wait
        qtbot.waitUntil(lambda: panel.button.isEnabled(), timeout=TIMEOUT_MS)
        panel.password_edit.setText("Wrong-password-99")
        panel.submit()
        qtbot.waitUntil(lambda: panel.message_text() != "", timeout=TIMEOUT_MS)
    panel.password_edit.setText("Wrong-password-99")
    panel.submit()
    qtbot.waitUntil(lambda: "秒后再试" in panel.message_text(), timeout=TIMEOUT_MS)
    assert panel.waiting_seconds() >= 1
    assert not panel.button.isEnabled()
    assert panel.button.text().startswith("请 ") and panel.button.text().endswith("秒后再试")
