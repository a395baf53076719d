"""One serialized worker for core calls, results handed back on the UI thread (Anki's ``taskman``).

Every job runs on a single background thread, one after the other, so two writes from the UI never race
and "lock" (closing the registry) runs only after the work in front of it.  Results and errors come back
through a queued signal to the main thread.  Generators that yield progress (``DemoService.generate``)
run with a progress dialog that appears only if the work takes longer than ~600 ms, and Cancel is
cooperative: the generator is closed at its next yield, which rolls its transaction back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600

Callback = Callable[[Any], None]


class TaskManager(QObject):
    _to_main = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One plain worker thread (as Anki's taskman): no Qt object lives on it, results come back through
        # the queued signal below, so no Qt object is ever touched off the UI thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fanguai-worker")
        self._pending = 0
        self._to_main.connect(self._run_on_main, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ plumbing

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the UI thread (safe from any thread)."""
        self._to_main.emit(fn)

    @Slot(object)
    def _run_on_main(self, fn: Callable[[], None]) -> None:
        fn()

    def _started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _finished(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def is_idle(self) -> bool:
        return self._pending == 0

    def wait_for_done(self, timeout_ms: int = 30000) -> None:
        """Block until the jobs queued so far have run (shutdown only; never while the UI is in use)."""
        with contextlib.suppress(FutureTimeout, RuntimeError):
            self._executor.submit(lambda: None).result(timeout=timeout_ms / 1000)

    # ------------------------------------------------------------------ jobs

    def run(self, fn: Callable[[], Any], on_done: Callback | None = None,
            on_error: Callback | None = None) -> None:
        """Run ``fn()`` on the worker; then ``on_done(result)`` or ``on_error(exception)`` on the UI thread."""
        self._started()

        def job() -> None:
            try:
                result = fn()
            except Exception as exc:  # handed to the UI thread, which decides what the user sees
                error = exc
                self.run_on_main(lambda: self._deliver(on_error, error, failed=True))
            else:
                self.run_on_main(lambda: self._deliver(on_done, result, failed=False))

        self._executor.submit(job)

    def _deliver(self, callback: Callback | None, value: Any, *, failed: bool) -> None:
        try:
            if callback is not None:
                callback(value)
            elif failed:
                log.error("background job failed: %s", type(value).__name__)
        finally:
            self._finished()

    def run_iter(self, make: Callable[[], Generator[tuple[int, int], None, None]], *, title: str, parent: QWidget | None,
                 on_done: Callback | None = None, on_error: Callback | None = None,
                 on_cancelled: Callable[[], None] | None = None) -> ProgressDialog:
        """Run a generator yielding (done, total) with a delayed, cancellable progress dialog."""
        cancel = threading.Event()
        dialog = ProgressDialog(title, parent)
        dialog.cancel_requested.connect(cancel.set)
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(dialog.show)
        timer.start(PROGRESS_DELAY_MS)

        def finish() -> None:
            timer.stop()
            dialog.close()
            dialog.deleteLater()

        def work() -> bool:
            gen = make()
            try:
                for done, total in gen:
                    self.run_on_main(partial(dialog.set_progress, done, total))
                    if cancel.is_set():
                        gen.close()  # GeneratorExit at the yield: the transaction rolls back
                        return False
            finally:
                gen.close()
            return True

        def done(completed: bool) -> None:
            finish()
            if completed:
                if on_done is not None:
                    on_done(None)
            elif on_cancelled is not None:
                on_cancelled()

        def failed(exc: Exception) -> None:
            finish()
            if on_error is not None:
                on_error(exc)

        self.run(work, done, failed)
        return dialog


class ProgressDialog(QDialog):
    """Shown only after the delay; Cancel asks the job to stop at its next step."""

    cancel_requested = Signal()

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.label = QLabel(title)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(row)

    shown_once = False

    def showEvent(self, event: Any) -> None:
        self.shown_once = True
        super().showEvent(event)

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling… nothing will be saved."))
        self.cancel_requested.emit()

    def reject(self) -> None:  # Esc = Cancel
        if self.cancel_button.isEnabled():
            self._cancel()
