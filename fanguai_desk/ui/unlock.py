"""Unlock: user name + password, a clear message on failure, and the core's throttling made visible.

The same panel is the start screen (any user) and the lock screen (the signed-in user only: the login is
fixed, and the unsaved work behind the lock stays where it was).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.errors import UnlockError
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.tasks import TaskManager
from fanguai_desk.ui.widgets import muted

if TYPE_CHECKING:  # the core loads on the worker at the first sign-in, not before the window shows
    from fanguai_desk.services.desk import Desk, RegistrySettings

UnlockJob = Callable[[str, str, Callable[[object], None], Callable[[Exception], None]], None]


class UnlockPanel(QWidget):
    """A centred card.  ``unlock_job(login, password, on_done, on_error)`` does the work off the UI thread."""

    unlocked = Signal(object)  # the result of the job (a Desk, or (Desk, settings))
    quit_requested = Signal()
    open_other_requested = Signal()

    def __init__(self, unlock_job: UnlockJob, *, lock_mode: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = unlock_job
        self._lock_mode = lock_mode
        self._wait = 0
        self._busy = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.title = QLabel(self.tr("Anti-trafficking case registry"))
        self.title.setObjectName("PageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = muted("")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("login")
        self.login_edit.setPlaceholderText(self.tr("User name"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.message = QLabel()
        self.message.setObjectName("FieldError")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.hide()
        self.button = QPushButton(self.tr("Unlock") if lock_mode else self.tr("Sign in"))
        self.button.setObjectName("Primary")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.password_edit.returnPressed.connect(self.submit)
        self.login_edit.returnPressed.connect(self.password_edit.setFocus)
        self.quit_button = QPushButton(self.tr("Quit without saving"))
        self.quit_button.setObjectName("Link")
        self.quit_button.clicked.connect(self.quit_requested)
        self.other_button = QPushButton(self.tr("Open another registry…"))
        self.other_button.setObjectName("Link")
        self.other_button.clicked.connect(self.open_other_requested)

        card = QFrame()
        card.setObjectName("LockCard")
        card.setFixedWidth(420)
        box = QVBoxLayout(card)
        box.setContentsMargins(32, 28, 32, 24)
        box.setSpacing(10)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addSpacing(8)
        box.addWidget(QLabel(self.tr("User name")))
        box.addWidget(self.login_edit)
        box.addWidget(QLabel(self.tr("Password")))
        box.addWidget(self.password_edit)
        box.addWidget(self.message)
        box.addWidget(self.button)
        links = QHBoxLayout()
        links.addWidget(self.other_button if not lock_mode else self.quit_button)
        links.addStretch(1)
        box.addLayout(links)
        self.quit_button.setVisible(lock_mode)
        self.other_button.setVisible(not lock_mode)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    # ------------------------------------------------------------------ state

    def prepare(self, *, login: str | None, subtitle: str) -> None:
        """Reset for a new unlock: the login is fixed in lock mode."""
        self.subtitle.setText(subtitle)
        if login is not None:
            self.login_edit.setText(login)
        self.login_edit.setReadOnly(self._lock_mode)
        self.password_edit.clear()
        self._set_busy(False)
        if not self._wait:
            self.message.hide()
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button.setEnabled(not busy and self._wait == 0)
        self.password_edit.setEnabled(not busy)
        if busy:
            self.button.setText(self.tr("Checking…"))
        elif self._wait == 0:
            self.button.setText(self.tr("Unlock") if self._lock_mode else self.tr("Sign in"))

    # ------------------------------------------------------------------ actions

    def submit(self) -> None:
        if self._busy or self._wait:
            return
        login = self.login_edit.text().strip()
        password = self.password_edit.text()
        if not login:
            self._show_message(self.tr("Enter your user name."))
            self.login_edit.setFocus()
            return
        if not password:
            self._show_message(self.tr("Enter your password."))
            self.password_edit.setFocus()
            return
        self._set_busy(True)
        self.message.hide()
        self._job(login, password, self._done, self._failed)

    def _done(self, result: object) -> None:
        self.password_edit.clear()
        self._set_busy(False)
        self.message.hide()
        self.unlocked.emit(result)

    def _failed(self, exc: Exception) -> None:
        self.password_edit.clear()
        self._set_busy(False)
        self.password_edit.setFocus()
        if isinstance(exc, UnlockError) and exc.code == "unlock_throttled":
            self._start_wait(int(exc.params.get("seconds", 1)))
        self._show_message(error_text(exc))

    def _start_wait(self, seconds: int) -> None:
        self._wait = max(1, seconds)
        self._countdown.start()
        self._render_wait()

    def _tick(self) -> None:
        self._wait = max(0, self._wait - 1)
        if self._wait == 0:
            self._countdown.stop()
            self.message.hide()
            self._set_busy(False)
        else:
            self._render_wait()

    def _render_wait(self) -> None:
        self.button.setEnabled(False)
        self.button.setText(self.tr("Try again in %1 s").replace("%1", str(self._wait)))

    def waiting_seconds(self) -> int:
        return self._wait


def desk_unlock_job(tasks: TaskManager, data_dir: Path) -> UnlockJob:
    """The start screen's job: open the registry as whoever signs in (and read its settings)."""

    def job(login: str, password: str, on_done: Callable[[object], None], on_error: Callable[[Exception], None]) -> None:
        def work() -> tuple[Desk, RegistrySettings]:
            from fanguai_desk.services.desk import Desk

            desk = Desk.unlock(data_dir, login, password)
            return desk, desk.settings()

        tasks.run(work, on_done, on_error)

    return job
