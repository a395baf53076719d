"""The main window: navigation on the left, one page at a time, the status bar, and the lock screen.

Locking (Ctrl+L, or after the idle time) shows the lock screen *instead of* the workspace: the content is
hidden, the key dropped (``AppContext.lock``), and every page, open file and form — with whatever the user
had typed — stays alive behind it until the same user unlocks again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.services.desk import clock_warning
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.forms import Form
from fanguai_desk.ui.i18n import format_datetime
from fanguai_desk.ui.idle import IdleWatcher
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Page
from fanguai_desk.ui.resources import app_icon
from fanguai_desk.ui.unlock import UnlockPanel
from fanguai_desk.ui.widgets import Banner

if TYPE_CHECKING:
    from fanguai_desk.ui.pages.victims import VictimsPage

NAV_KEYS = ("dashboard", "victims", "cases", "followups", "legal_aid", "placements", "reports", "exchange",
            "audit", "settings")
#: Each page's class as "module:Class", imported the first time the page is shown: the exchange and reports
#: pages pull in pyHanko and ReportLab, which signing in must not wait for.
PAGE_CLASSES: dict[str, str] = {
    "dashboard": "dashboard:DashboardPage", "victims": "victims:VictimsPage", "cases": "cases:CasesPage",
    "followups": "worklists:FollowUpsPage", "legal_aid": "worklists:LegalAidPage",
    "placements": "worklists:PlacementsPage", "reports": "placeholders:ReportsPage",
    "exchange": "placeholders:ExchangePage", "audit": "audit:AuditPage", "settings": "settings:SettingsPage",
    "services": "worklists:ServicesOverduePage", "attention": "attention:AttentionPage",
}


def page_class(key: str) -> type[Page]:
    import importlib

    module, name = PAGE_CLASSES[key].split(":")
    cls: type[Page] = getattr(importlib.import_module(f"fanguai_desk.ui.pages.{module}"), name)
    return cls


class _Pages(dict[str, Page]):
    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def __missing__(self, key: str) -> Page:
        page = page_class(key)(self._window.ctx, self._window)
        self[key] = page
        self._window.stack.addWidget(page)
        return page


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, idle: IdleWatcher | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.idle = idle
        self.setWindowIcon(app_icon())
        self._hidden_dialogs: list[QDialog] = []
        self._force_close = False

        titles = {
            "dashboard": self.tr("Workbench"), "victims": self.tr("Victim files"), "cases": self.tr("Cases"),
            "followups": self.tr("Follow-up visits"), "legal_aid": self.tr("Legal aid"),
            "placements": self.tr("Placement"), "reports": self.tr("Reports"), "exchange": self.tr("Data exchange"),
            "audit": self.tr("Audit log"), "settings": self.tr("Settings / users"),
        }
        self.nav = QListWidget()
        self.nav.setObjectName("Nav")
        self.nav.setFixedWidth(168)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.pages = _Pages(self)  # each page is built the first time it is shown
        for i, key in enumerate(NAV_KEYS):
            item = QListWidgetItem(titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"Alt+{(i + 1) % 10}")
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.banner = Banner(reserve=False)
        ctx.error.connect(self.banner.error)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        rl.addWidget(self.banner)
        rl.addWidget(self.stack, 1)
        self.workspace = QWidget()
        wl = QHBoxLayout(self.workspace)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(0)
        wl.addWidget(self.nav)
        wl.addWidget(right, 1)

        self.lock_panel = UnlockPanel(lambda _login, pw, ok, err: ctx.unlock(pw, ok, err), lock_mode=True)
        self.lock_panel.quit_requested.connect(self._quit_from_lock)
        self.lock_screen = QWidget()
        self.lock_screen.setObjectName("LockScreen")
        ll = QVBoxLayout(self.lock_screen)
        ll.addWidget(self.lock_panel)
        self.central = QStackedWidget()
        self.central.addWidget(self.workspace)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)

        self.user_label = QLabel()
        self.township_label = QLabel()
        self.registry_label = QLabel()
        self.lock_label = QLabel()
        self.lock_button = QPushButton(self.tr("Lock (Ctrl+L)"))
        self.lock_button.setFlat(True)
        self.lock_button.clicked.connect(self.lock)
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        for w in (self.user_label, self.township_label, self.registry_label):
            bar.addWidget(w)
        bar.addPermanentWidget(self.lock_label)
        bar.addPermanentWidget(self.lock_button)

        self.lock_action = QAction(self.tr("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)
        find = QAction(self.tr("Find a file"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        for i, key in enumerate(NAV_KEYS):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Alt+{(i + 1) % 10}"))
            act.triggered.connect(lambda _c=False, k=key: self.navigate(k))
            self.addAction(act)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.help_action = QAction(self.tr("User manual"), self)
        self.help_action.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        self.help_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        self.addAction(self.help_action)

        ctx.locked.connect(self._on_locked)
        ctx.unlocked.connect(self._on_unlocked)
        ctx.settings_changed.connect(self._apply_settings)
        if idle is not None:
            idle.idle.connect(self._idle)
        self._update_status()
        self._apply_settings()
        self.resize(1366, 768)
        self.navigate("dashboard")
        if idle is not None and not ctx.is_locked:
            idle.start()
        self._tell_failed_sign_ins()

    # ------------------------------------------------------------------ navigation

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(NAV_KEYS):
            key = NAV_KEYS[row]
            page = self.pages[key]
            if self.stack.currentWidget() is not page:
                self.stack.setCurrentWidget(page)
                page.activate()

    def navigate(self, key: str, **filters: Any) -> None:
        if self.ctx.is_locked:  # shortcuts do nothing behind the lock screen
            return
        page = self.pages[key]
        self.nav.blockSignals(True)
        if key in NAV_KEYS:
            self.nav.setCurrentRow(NAV_KEYS.index(key))
        else:
            self.nav.clearSelection()
            self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(page)
        page.activate(**filters)

    def open_file(self, victim_id: str, tab: str | None = None, select_id: str | None = None) -> None:
        if self.ctx.is_locked:
            return
        page = self._victims_page()
        if self.stack.currentWidget() is not page:
            self.navigate("victims")
        page.open_file(victim_id, tab, select_id)

    def show_help(self) -> None:
        from fanguai_desk.ui.help import open_help

        open_help(self)

    def focus_search(self) -> None:
        if self.ctx.is_locked:
            return
        self.navigate("victims")
        page = self._victims_page()
        page.focus_search()

    def _victims_page(self) -> VictimsPage:
        from fanguai_desk.ui.pages.victims import VictimsPage

        page = self.pages["victims"]
        assert isinstance(page, VictimsPage)
        return page

    def current_key(self) -> str:
        for key, page in list(self.pages.items()):
            if page is self.stack.currentWidget():
                return key
        return ""

    # ------------------------------------------------------------------ lock

    def lock(self) -> None:
        self.ctx.lock()

    def _idle(self) -> None:
        if not self.ctx.is_locked:
            self.ctx.lock()

    def _on_locked(self) -> None:
        # Dialogs (message boxes, progress) go behind the lock too, and come back after unlocking.
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for d in self._hidden_dialogs:
            d.hide()
        self.central.setCurrentWidget(self.lock_screen)
        self.lock_panel.prepare(login=self.ctx.login, subtitle=self.tr(
            "Locked. Enter your password to continue — what you were typing is kept."))
        if self.idle is not None:
            self.idle.stop()
        self._update_status()

    def _tell_failed_sign_ins(self) -> None:
        """Failed attempts since the last sign-in, said to the person who gets in (they may not be hers)."""
        desk = self.ctx.desk
        warning = clock_warning(desk.clock_check) if desk is not None else None
        clock_text = error_text(warning) if warning is not None else ""  # a wrong clock (store/high_water.py)
        failed = getattr(desk, "failed_sign_ins", None)
        if failed is None or not failed.count:
            if clock_text:
                self.banner.show_message(clock_text, "warning")
            return
        text = self.tr("%1 failed sign-in attempt(s) since the last sign-in").replace("%1", str(failed.count))
        if failed.last_at is not None:
            text += self.tr(" (the last on %1)").replace("%1", format_datetime(failed.last_at))
        text += self.tr(". If that was not you, tell the administrator.")
        self.banner.show_message(f"{clock_text}\n{text}" if clock_text else text, "warning")

    def _on_unlocked(self) -> None:
        self.central.setCurrentWidget(self.workspace)
        self._tell_failed_sign_ins()
        for d in self._hidden_dialogs:
            d.show()
        self._hidden_dialogs = []
        if self.idle is not None:
            self.idle.start()
        self._update_status()

    def _quit_from_lock(self) -> None:
        self._force_close = True  # the unsaved input cannot be saved while locked; the button says so
        self.close()

    def is_locked_view(self) -> bool:
        return self.central.currentWidget() is self.lock_screen

    # ------------------------------------------------------------------ status

    def _apply_settings(self) -> None:
        settings = self.ctx.registry_settings
        if settings is not None and self.idle is not None:
            self.idle.set_minutes(settings.idle_lock_minutes)
        self._update_status()

    def _update_status(self) -> None:
        actor = self.ctx.actor
        settings = self.ctx.registry_settings
        if actor is not None:
            self.user_label.setText(self.tr("User: %1 (%2)").replace("%1", actor.display_name)
                                    .replace("%2", enum_label(actor.role)))
            self.township_label.setText(self.tr("Township: %1").replace("%1", actor.township_name or "—"))
        county = settings.county_name if settings else ""
        self.registry_label.setText(self.tr("Registry: %1 (%2)").replace("%1", county or self.ctx.data_dir.name)
                                    .replace("%2", enum_label(self.ctx.installation)))
        self.registry_label.setToolTip(str(self.ctx.data_dir))
        if self.ctx.is_locked:
            self.lock_label.setText(self.tr("Locked"))
            self.lock_button.hide()
        else:
            self.lock_label.setText(self.tr("Unlocked"))
            self.lock_button.show()
        town = actor.township_name if actor and actor.township_name else ""
        self.setWindowTitle(self.tr("Anti-trafficking case registry") + (f" — {town}" if town else ""))

    # ------------------------------------------------------------------ closing

    def has_unsaved_input(self) -> bool:
        """Unsaved input in any form of any page (the files, the new-file form, a case form, …): every
        ``Form`` is found, so a form added later is covered without being listed here."""
        page = self._victims_page()
        return page.has_unsaved_input() or any(form.is_dirty() for form in self.workspace.findChildren(Form))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._force_close and not self.ctx.is_locked and self.has_unsaved_input():
            event.ignore()
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                              self.tr("Some files have changes that are not saved. Quit and discard them?"),
                              QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.finished.connect(lambda _r: self._close_anyway() if box.standardButton(box.clickedButton())
                                 == QMessageBox.StandardButton.Discard else None)
            box.open()
            return
        if self.idle is not None:
            self.idle.stop()
        self.ctx.shutdown()
        super().closeEvent(event)

    def _close_anyway(self) -> None:
        self._force_close = True
        self.close()
