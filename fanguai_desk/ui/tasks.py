"""One serialized worker for core calls, results handed back on the UI thread (Anki's ``taskman``).

Every job runs on a single background thread, one after the other, so two writes from the UI never race
and "lock" (closing the registry) runs only after the work in front of it.  Results and errors come back
through a queued signal to the main thread.  Generators that yield progress (``DemoService.generate``)
run with a progress dialog that appears only if the work takes longer than ~600 ms, and Cancel is
cooperative: the generator is closed at its next yield, which rolls its transaction back.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import threading
import weakref
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600
GC_INTERVAL_MS = 10_000

_gc_timer: QTimer | None = None


def collect_garbage_on_the_ui_thread() -> None:
    """Python's automatic cycle collector runs in whichever thread happens to allocate: on the worker it
    can collect a cycle holding a widget and destroy that QObject off the UI thread, which crashes.  As
    Anki does, switch automatic collection off and collect on the UI thread, on a timer (idempotent)."""
    global _gc_timer
    app = QCoreApplication.instance()
    if _gc_timer is not None or app is None:
        return
    gc.collect()
    # What is alive now (modules, classes, Qt's wrappers of the application) lives as long as the program:
    # move it out of the collector's sight, so each timed collection scans only what was made since, a few
    # milliseconds instead of a full-heap pass that stalls the UI thread (measured 0.27 s under load).
    gc.freeze()
    gc.disable()
    _gc_timer = QTimer(app)
    _gc_timer.setInterval(GC_INTERVAL_MS)
    _gc_timer.timeout.connect(_collect)
    _gc_timer.start()


def _collect() -> None:
    gc.collect()

Callback = Callable[[Any], None]


class TaskManager(QObject):
    _wake = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One plain worker thread, as Anki's taskman.  Nothing Qt lives on it, and it never holds the last
        # reference to a Python object that wraps a Qt object (a callback's widget, a closure's page): what
        # goes back to the UI thread is put in this queue first and the worker drops its own references
        # before waking the UI thread, so such objects are always released on the UI thread.  (Releasing
        # one on the worker destroys a QObject on the wrong thread, which crashes.)
        collect_garbage_on_the_ui_thread()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fanguai-worker")
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._pending = 0
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._self_ref = weakref.ref(self)

    # ------------------------------------------------------------------ plumbing

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the UI thread (safe from any thread).  The caller should drop its own reference to
        ``fn`` afterwards (the worker code here does)."""
        self._inbox.put(fn)
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        while True:
            try:
                fn = self._inbox.get_nowait()
            except queue.Empty:
                return
            fn()
            del fn

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
            self._executor.submit(_noop).result(timeout=timeout_ms / 1000)
        self._drain()
        gc.collect()  # here, on the UI thread

    # ------------------------------------------------------------------ jobs

    def run(self, fn: Callable[[], Any], on_done: Callback | None = None,
            on_error: Callback | None = None) -> None:
        """Run ``fn()`` on the worker; then ``on_done(result)`` or ``on_error(exception)`` on the UI thread."""
        self._started()
        self._executor.submit(_work, [(fn, on_done, on_error)], self._inbox, self._self_ref)

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
                    self.run_on_main(partial(dialog.set_progress, done, total))  # (the partial is not kept)
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

    #: A stage's counts are scaled to this range (bytes of a large file do not fit a QProgressBar's int).
    STAGE_SCALE = 1000

    def set_stage(self, text: str, done: int, total: int) -> None:
        """A core operation's stage (fanguai_desk/progress.py): its words above a determinate bar; a stage
        of unknown size (total 0) pulses."""
        if self.cancel_button.isEnabled() or not self.cancel_button.isVisible():
            self.label.setText(text)
        if total > 0:
            self.bar.setRange(0, self.STAGE_SCALE)
            self.bar.setValue(min(self.STAGE_SCALE, done * self.STAGE_SCALE // total))
        else:
            self.bar.setRange(0, 0)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling… nothing will be saved."))
        self.cancel_requested.emit()

    def reject(self) -> None:  # Esc = Cancel
        if self.cancel_button.isEnabled():
            self._cancel()


def _noop() -> None:
    return None


def _work(box: list[tuple[Callable[[], Any], Callback | None, Callback | None]],
          inbox: queue.SimpleQueue[Callable[[], None]], manager_ref: weakref.ref[TaskManager]) -> None:
    """The worker side of ``TaskManager.run``: runs the job, then hands everything — the job, its callbacks
    and its outcome — to the UI thread and keeps no reference of its own."""
    fn, on_done, on_error = box.pop()
    try:
        outcome: tuple[bool, Any] = (True, fn())
    except Exception as exc:  # handed to the UI thread, which decides what the user sees
        outcome = (False, exc)

    def deliver(fn: Any = fn, on_done: Any = on_done, on_error: Any = on_error, outcome: Any = outcome) -> None:
        manager = manager_ref()
        ok, value = outcome
        if manager is not None:
            manager._deliver(on_done if ok else on_error, value, failed=not ok)

    inbox.put(deliver)
    del fn, on_done, on_error, outcome, deliver
    manager = manager_ref()
    if manager is not None:
        manager._wake.emit()
    del manager
