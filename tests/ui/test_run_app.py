"""The entry point the CLI's ``gui`` command calls: ``run_app(data_dir, lang)``, driven to the main window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fanguai_desk.ui.app import StartWindow, run_app
from fanguai_desk.ui.main_window import MainWindow
from fanguai_desk.ui.wizard import FirstRunWizard
from tests.conftest import ADMIN_PASSWORD


def _visible(cls):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)


def test_run_app_signs_in_to_an_existing_registry(qtbot, zh_app, desk) -> None:
    data_dir = desk.registry.data_dir
    desk.registry.close()
    seen: dict[str, object] = {}
    timer = QTimer()

    def drive() -> None:
        start = _visible(StartWindow)
        main = _visible(MainWindow)
        if main is not None:
            if main.ctx.tasks.is_idle():
                seen["title"] = main.windowTitle()
                seen["page"] = main.current_key()
                main._force_close = True
                timer.stop()
                main.close()  # the last window: the application quits by itself
        elif start is not None and "submitted" not in seen:
            start.panel.login_edit.setText("admin")
            start.panel.password_edit.setText(ADMIN_PASSWORD)
            start.panel.submit()
            seen["submitted"] = True
        if int(seen.get("ticks", 0)) > 1000:  # never hang the suite
            timer.stop()
            QApplication.instance().exit(1)
        seen["ticks"] = int(seen.get("ticks", 0)) + 1

    timer.timeout.connect(drive)
    timer.start(20)
    assert run_app(data_dir, "zh_CN") == 0
    assert seen["title"] == "反拐专门档案登记库 — 青龙镇"
    assert seen["page"] == "dashboard"


def test_run_app_on_an_empty_folder_starts_the_wizard(qtbot, zh_app, tmp_path) -> None:
    seen: dict[str, object] = {}

    def check() -> None:
        wizard = _visible(FirstRunWizard)
        seen["wizard"] = wizard is not None and wizard.stack.currentIndex() == 0
        if wizard is not None:
            wizard.close()  # the last window: the application quits by itself
        else:
            QApplication.instance().exit(1)

    QTimer.singleShot(300, check)
    assert run_app(tmp_path / "nothing-here", "zh_CN") == 0
    assert seen["wizard"] is True
