"""The desktop application: ``run_app(data_dir, lang)`` is what ``fanguai-desk gui`` calls.

No registry in ``data_dir`` → the first-run wizard; otherwise the sign-in screen.  After signing in, the
main window; the idle timer and Ctrl+L lock it.  Everything the user sees goes through ``tr()``; the
shipped CJK font is the application font.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPaintEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from fanguai_desk.store.presence import registry_present
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import APPLICATION, ORGANIZATION, choose_language, set_current_language
from fanguai_desk.ui.idle import IdleWatcher
from fanguai_desk.ui.resources import app_icon, ensure_compiled_translations, install_font, load_translators
from fanguai_desk.ui.style import stylesheet
from fanguai_desk.ui.tasks import TaskManager
from fanguai_desk.ui.unlock import UnlockPanel, desk_unlock_job
from fanguai_desk.ui.widgets import WheelGuard

if TYPE_CHECKING:
    # Start-up time: the sign-in window needs none of these.  The core is imported on a background thread
    # while the user types (``preload_core``), the main window when she is signed in.
    from fanguai_desk.services.desk import Desk, RegistrySettings
    from fanguai_desk.ui.main_window import MainWindow
    from fanguai_desk.ui.wizard import FirstRunWizard

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (an existing one is reused, e.g. under pytest-qt), styled, with the shipped font."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("反拐专门档案登记库")
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    install_font(app)
    app.setStyleSheet(stylesheet())
    if app.findChild(WheelGuard, "WheelGuard") is None:
        guard = WheelGuard(app)
        guard.setObjectName("WheelGuard")
        app.installEventFilter(guard)
    return app


#: Libraries the sign-in window must not wait for (tests/cli/test_start_up_imports.py checks the list).
HEAVY_MODULES = ("sqlalchemy", "alembic", "pypinyin", "pyhanko", "reportlab", "openpyxl", "PIL", "cryptography")


def heavy_modules_loaded() -> list[str]:
    return sorted({name.partition(".")[0] for name in sys.modules} & set(HEAVY_MODULES))


class StartWindow(QWidget):
    """The sign-in screen shown before the main window exists.  Once it has painted itself the first time,
    the core starts loading on a background thread (``preload_core``): nothing competes with the first
    paint, and the password is typed while the rest loads."""

    def __init__(self, panel: UnlockPanel) -> None:
        super().__init__()
        self.heavy_at_first_show: list[str] | None = None  # start-up diagnostics (smoke hook, tests)
        self._painted = False
        self.setObjectName("LockScreen")
        self.setWindowTitle(self.tr("Anti-trafficking case registry — sign in"))
        self.setWindowIcon(app_icon())
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.addWidget(panel)
        self.resize(900, 640)
        self.help_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self)  # F1

        def show_help() -> None:
            from fanguai_desk.ui.help import open_help

            open_help(self)

        self.help_shortcut.activated.connect(show_help)

    def showEvent(self, event: QShowEvent) -> None:
        if self.heavy_at_first_show is None:
            self.heavy_at_first_show = heavy_modules_loaded()
        super().showEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, after_first_paint)


class AppController(QObject):
    """Which window is showing: wizard → sign-in → main window."""

    def __init__(self, app: QApplication, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.tasks = TaskManager(self)
        self.ctx = AppContext(data_dir, self.tasks, self)
        self.idle = IdleWatcher(app, parent=self)
        self.wizard: FirstRunWizard | None = None
        self.start_window: StartWindow | None = None
        self.window: MainWindow | None = None

    def start(self) -> None:
        if registry_present(self.ctx.data_dir):
            self.show_sign_in()
        else:
            self.show_wizard()

    def show_wizard(self, open_existing: bool = False) -> None:
        from fanguai_desk.ui.wizard import FirstRunWizard

        self.wizard = FirstRunWizard(self.ctx.data_dir, self.tasks)
        self.wizard.created.connect(self._signed_in)
        self.wizard.open_requested.connect(self._open_other)
        if open_existing:
            self.wizard.stack.setCurrentIndex(2)
        self.wizard.show()
        self._close_start_window()

    def _open_other(self, path: Path) -> None:
        self.ctx.data_dir = path
        self.show_sign_in()

    def show_sign_in(self) -> None:
        panel = UnlockPanel(desk_unlock_job(self.tasks, self.ctx.data_dir), lock_mode=False)
        panel.prepare(login=None, subtitle=str(self.ctx.data_dir))
        panel.unlocked.connect(lambda result: self._signed_in(*result))
        panel.open_other_requested.connect(lambda: self.show_wizard(open_existing=True))
        self._close_start_window()
        self.start_window = StartWindow(panel)
        self.start_window.show()
        panel.prepare(login=None, subtitle=str(self.ctx.data_dir))
        if self.wizard is not None:
            self.wizard.close()
            self.wizard.deleteLater()
            self.wizard = None

    def _close_start_window(self) -> None:
        if self.start_window is not None:
            self.start_window.close()
            self.start_window.deleteLater()
            self.start_window = None

    def _signed_in(self, desk: Desk, settings: RegistrySettings) -> None:
        from fanguai_desk.ui.main_window import MainWindow

        self.ctx.sign_in(desk, settings)
        self.window = MainWindow(self.ctx, self.idle)
        self.window.show()
        if self.window.screen() is not None and self.window.screen().availableGeometry().width() <= 1440:
            self.window.setWindowState(Qt.WindowState.WindowMaximized)
        if self.wizard is not None:
            self.wizard.close()
            self.wizard.deleteLater()
            self.wizard = None
        self._close_start_window()

    def shutdown(self) -> None:
        self.idle.dispose()
        self.ctx.shutdown()


#: The modules the first sign-in needs (the core: SQLAlchemy models, schema check, search keys with their
#: pinyin dictionary).  Pure Python, no Qt: safe to import on a background thread while the sign-in window
#: waits for the password, so signing in does not pay for them.
PRELOAD = ("fanguai_desk.services.desk", "fanguai_desk.store.registry", "fanguai_desk.services.victims",
           "fanguai_desk.services.dashboard", "fanguai_desk.domain.search_keys", "pypinyin")
_preloaded = threading.Event()


def after_first_paint() -> None:
    """The sign-in window is on the screen: load the rest while the user types."""
    preload_core()
    # The main window's own modules (Qt classes: on this thread) a little later, while the user types her
    # password; keystrokes meanwhile wait in the queue, none is lost.
    QTimer.singleShot(300, preload_main_window)


def preload_core() -> None:
    if _preloaded.is_set():
        return
    _preloaded.set()

    def work() -> None:
        import importlib

        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError:  # the import proper reports it later, where it is needed
                log.warning("preload of %s failed", name)

    threading.Thread(target=work, name="preload-core", daemon=True).start()


def preload_main_window() -> None:
    import importlib

    for name in ("fanguai_desk.ui.main_window", "fanguai_desk.ui.pages.dashboard"):
        importlib.import_module(name)


def run_app(data_dir: Path, lang: str) -> int:
    """Open the desktop application on ``data_dir``; returns the exit code."""
    from fanguai_desk.hardening import harden_process

    harden_process()  # also when started without the CLI (no core dumps with keys and names)
    language = choose_language(lang)
    set_current_language(language)
    app = create_application()
    ensure_compiled_translations()
    translators = load_translators(app, language)
    from fanguai_desk.store.external_copies import remove_stale

    remove_stale()  # copies left by a session that crashed before it could remove them (standard library only)
    controller = AppController(app, Path(data_dir))
    controller.start()
    # Packaging smoke test only (packaging/smoke_test.sh): inert unless FANGUAI_SMOKE_QUIT_AFTER_MS is set.
    if os.environ.get("FANGUAI_SMOKE_QUIT_AFTER_MS"):
        from fanguai_desk.ui.smoke_hook import arm

        arm(app, controller)
    try:
        return int(app.exec())
    finally:
        controller.shutdown()
        for translator in translators:
            app.removeTranslator(translator)
        gc.collect()  # release the windows here, on the UI thread, not in the interpreter's final collection
