"""Fixtures for the desktop tests: real widgets (offscreen), real encrypted registries, Chinese UI.

The translations are compiled from ``i18n/*.ts`` into a temporary folder once per session (the ``.qm`` are
build products); QSettings are redirected to a temporary folder so tests never touch the user's.
"""

from __future__ import annotations

import gc
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from fanguai_desk.i18n_build import lrelease_command
from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.app import create_application
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import set_current_language
from fanguai_desk.ui.idle import IdleWatcher
from fanguai_desk.ui.main_window import MainWindow
from fanguai_desk.ui.resources import i18n_dir, load_translators

TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qm")
    for ts in sorted(i18n_dir().glob("*.ts")):
        subprocess.run([*lrelease_command(), str(ts), "-qm", str(out / ts.with_suffix(".qm").name)], check=True,
                       capture_output=True)
    return out


@pytest.fixture(scope="session")
def zh_app(qapp: QApplication, compiled_translations: Path) -> Iterator[QApplication]:
    """The test QApplication set up like the real one: style, shipped font, Chinese translation."""
    set_current_language("zh_CN")
    app = create_application()
    translators = load_translators(app, "zh_CN", compiled_translations)
    assert translators, "the Chinese translation did not load"
    yield app
    for t in translators:
        app.removeTranslator(t)


@pytest.fixture(scope="session", autouse=True)
def _release_qt_objects_before_exit() -> Iterator[None]:
    """Widgets left from the tests are released here, on the UI thread, while the QApplication exists —
    not by the interpreter's final collection after it is gone (which can crash)."""
    yield
    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    gc.collect()
    app.processEvents()


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path: Path) -> None:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def wait_idle(qtbot: Any, ctx: AppContext) -> None:
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT_MS)


class Opened:
    """A main window on a signed-in registry, and what a test needs around it."""

    def __init__(self, qtbot: Any, desk: Desk, app: QApplication) -> None:
        self.qtbot = qtbot
        self.desk = desk
        self.ctx = AppContext(desk.registry.data_dir)
        self.ctx.sign_in(desk)
        self.idle = IdleWatcher(app)
        self.window = MainWindow(self.ctx, self.idle)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.wait()

    def wait(self) -> None:
        wait_idle(self.qtbot, self.ctx)

    def close(self) -> None:
        self.idle.dispose()
        self.ctx.tasks.wait_for_done()
        self.window.hide()


@pytest.fixture
def open_window(qtbot: Any, zh_app: QApplication) -> Iterator[Callable[[Desk], Opened]]:
    opened: list[Opened] = []

    def make(desk: Desk) -> Opened:
        o = Opened(qtbot, desk, zh_app)
        opened.append(o)
        return o

    yield make
    for o in opened:
        o.close()


def register(desk: Desk, **values: Any) -> str:
    data = {"name": "张三华", "sex": "F", "birth_date": date(1995, 3, 8), "current_residence": "青龙镇白果村3组"}
    data.update(values)
    victim_id, _hints = desk.victims.register(data)
    return victim_id
