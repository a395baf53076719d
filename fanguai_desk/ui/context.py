"""The signed-in session as the UI sees it: the one place that holds the unlocked ``Desk``.

Widgets never keep a Desk of their own: they ask the context (``ctx.call(lambda desk: …)`` on the worker,
or ``ctx.desk`` for a quick read on the UI thread).  Locking closes the Desk and drops the only reference,
so the key is gone from the application until the password is entered again; the widgets — and whatever
the user had typed into them — stay alive, hidden behind the lock screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from fanguai_desk.domain.enums import Installation
from fanguai_desk.domain.permissions import Permission, allowed
from fanguai_desk.ui.messages import RegistryLocked, error_text
from fanguai_desk.ui.tasks import TaskManager

if TYPE_CHECKING:  # loaded on the worker by the first sign-in (start-up time)
    from fanguai_desk.services.attachments import ExternalCopies
    from fanguai_desk.services.desk import Actor, Desk, RegistrySettings

log = logging.getLogger(__name__)


class AppContext(QObject):
    locked = Signal()
    unlocked = Signal()
    #: Something was written; the argument names what ("victims", "followups", "referrals", "users", …).
    data_changed = Signal(str)
    #: A background error nobody handled: shown in the main window's banner.
    error = Signal(str)
    settings_changed = Signal()

    def __init__(self, data_dir: Path, tasks: TaskManager | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks or TaskManager(self)
        self._desk: Desk | None = None
        self.actor: Actor | None = None
        #: What this laptop is (township or county), from the registry at sign-in (store/installation.py).
        self.installation: Installation = Installation.TOWNSHIP
        self.registry_settings: RegistrySettings | None = None
        self.registry_id: str | None = None
        #: Plaintext copies of attachments opened in another program: removed on lock and on close.
        self._external_copies: ExternalCopies | None = None

    # ------------------------------------------------------------------ state

    @property
    def desk(self) -> Desk | None:
        return self._desk

    @property
    def is_locked(self) -> bool:
        return self._desk is None

    def can(self, permission: Permission) -> bool:
        """What the signed-in user may do on this laptop: the services' own table (``domain/permissions.py``)."""
        return self.actor is not None and allowed(self.actor.role, permission, self.installation)

    @property
    def login(self) -> str | None:
        return self.actor.login if self.actor else None

    def sign_in(self, desk: Desk, settings: RegistrySettings | None = None) -> None:
        """Take an unlocked Desk (from the wizard, the unlock screen or a test)."""
        if self.actor is not None and desk.actor.user_id != self.actor.user_id:
            raise ValueError("a locked session can only be unlocked by the same user")
        self._desk = desk
        self.actor = desk.actor
        self.installation = desk.installation
        self.registry_id = desk.registry.registry_id
        self.registry_settings = settings or desk.settings()
        self.unlocked.emit()

    @property
    def external_copies(self) -> ExternalCopies:
        """The session's private folder of plaintext copies, made on first use (the attachments service is
        not imported before the sign-in window: start-up time)."""
        if self._external_copies is None:
            from fanguai_desk.services.attachments import ExternalCopies

            self._external_copies = ExternalCopies()
        return self._external_copies

    def lock(self) -> None:
        """Drop the key now; the registry is closed on the worker after any job already running."""
        if self._external_copies is not None:
            self._external_copies.remove_all()
        desk, self._desk = self._desk, None
        if desk is None:
            return
        log.info("registry locked")
        self.tasks.run(desk.close, on_error=lambda exc: log.warning("close failed: %s", type(exc).__name__))
        del desk
        self.locked.emit()

    def unlock(self, password: str, on_done: Callable[[Desk], None], on_error: Callable[[Exception], None]) -> None:
        """Re-open the registry as the same user (the login is fixed while locked)."""
        login = self.login
        data_dir = self.data_dir

        def job() -> tuple[Desk, RegistrySettings]:
            from fanguai_desk.services.desk import Desk

            desk = Desk.unlock(data_dir, login, password)
            return desk, desk.settings()

        def done(result: tuple[Desk, RegistrySettings]) -> None:
            desk, settings = result
            self.sign_in(desk, settings)
            on_done(desk)

        self.tasks.run(job, done, on_error)

    def shutdown(self) -> None:
        if self._external_copies is not None:
            self._external_copies.remove_all()
        desk, self._desk = self._desk, None
        if desk is not None:
            self.tasks.run(desk.close, on_error=lambda exc: None)
        self.tasks.wait_for_done()

    # ------------------------------------------------------------------ work

    def call(self, fn: Callable[[Desk], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        """Run ``fn(desk)`` on the worker.  The Desk is taken when the job starts: a job queued before a
        lock fails with RegistryLocked instead of using a closed registry."""

        def job() -> Any:
            desk = self._desk
            if desk is None:
                raise RegistryLocked()
            return fn(desk)

        self.tasks.run(job, on_done, on_error or self.report_error)

    def report_error(self, exc: Exception) -> None:
        self.error.emit(error_text(exc))

    def reload_settings(self) -> None:
        def done(settings: RegistrySettings) -> None:
            self.registry_settings = settings
            self.settings_changed.emit()

        self.call(lambda desk: desk.settings(), done)
