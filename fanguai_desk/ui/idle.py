"""Auto-lock: an application-wide event filter notices user input; a timer fires after the idle time."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

DEFAULT_IDLE_MINUTES = 5

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.ShortcutOverride,
})


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, app: QApplication, minutes: float = DEFAULT_IDLE_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_timeout_ms(int(minutes * 60_000))
        app.installEventFilter(self)

    def set_timeout_ms(self, ms: int) -> None:
        self._timer.setInterval(max(1, ms))
        if self._timer.isActive():
            self._timer.start()

    def set_minutes(self, minutes: float) -> None:
        self.set_timeout_ms(int(minutes * 60_000))

    def timeout_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def remaining_ms(self) -> int:
        """Milliseconds until the lock, or -1 when the countdown is not running."""
        return self._timer.remainingTime()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False

    def dispose(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)
