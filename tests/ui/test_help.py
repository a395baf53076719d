"""F1 and the 帮助 menu open the offline Chinese manual, with its pictures, in the app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fanguai_desk.ui.help import HelpWindow, manual_path

TASKS = ("register", "visit", "refer", "place", "print", "export", "import", "backup")


def test_the_manual_covers_the_daily_tasks_and_its_pictures_exist() -> None:
    html = Path(manual_path()).read_text("utf-8")
    for anchor in TASKS:
        assert f'name="{anchor}"' in html, anchor
    images = [part.split('"')[0] for part in html.split('src="')[1:]]
    assert images
    for image in images:
        assert (Path(manual_path()).parent / image).is_file(), image
    assert "http" not in html  # offline


def test_f1_and_the_help_menu_open_the_manual(qtbot, desk, open_window) -> None:
    o = open_window(desk)
    o.window.activateWindow()
    qtbot.keyClick(o.window, Qt.Key.Key_F1)
    window = o.window.findChild(HelpWindow)
    assert window is not None and window.isVisible()
    text = window.browser.toPlainText()
    assert "新建档案" in text and "记录回访" in text and "备份" in text
    window.close()
    menu = o.window.menuBar().actions()[-1]
    assert menu.text().replace("&", "").startswith("帮助")
    o.window.help_action.trigger()
    assert window.isVisible()
