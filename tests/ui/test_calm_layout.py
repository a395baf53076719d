"""Calm layout: a message never moves the controls under the pointer; a new message replaces the old one."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from fanguai_desk.ui.widgets import Banner


def test_showing_or_clearing_a_banner_moves_no_button(qtbot, zh_app) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    banner = Banner()
    button = QPushButton("保存")
    layout = QVBoxLayout(page)
    layout.addWidget(banner)
    layout.addWidget(button)
    layout.addStretch(1)
    page.resize(800, 400)
    page.show()
    qtbot.wait(20)
    before = button.mapTo(page, button.rect().topLeft())
    banner.success("档案已建立")
    qtbot.wait(20)
    assert button.mapTo(page, button.rect().topLeft()) == before
    banner.error("出生日期不能晚于今天。")
    assert banner.kind() == "error" and "档案已建立" not in banner.text()  # the success is gone
    banner.clear()
    qtbot.wait(20)
    assert button.mapTo(page, button.rect().topLeft()) == before
