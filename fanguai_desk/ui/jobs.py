"""Helpers shared by the feature pages (exchange, reports, certificates, maintenance).

* :func:`run_job` runs one core call on the serialized worker with the delayed progress dialog of
  ``TaskManager.run_iter``.  A single core call cannot stop half-way, so its dialog has no Cancel.
* :func:`run_staged_job` does the same for an operation that reports its progress (export, import, backup,
  purge): the dialog shows each stage's words above a determinate bar.
* :func:`core_text` shows a core message code (doctor checks, statuses) in the user's language.
* :class:`FileChoice` asks for a file with ``QFileDialog``; pages call it from a button and expose a
  plain method taking the path (``export_to(path)``), which is what tests call.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from fanguai_desk.messages import MESSAGES
from fanguai_desk.progress import Progress
from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.messages import RegistryLocked, gui_action
from fanguai_desk.ui.tasks import ProgressDialog

translate = QCoreApplication.translate


def run_job(ctx: AppContext, fn: Callable[[Desk], Any], *, title: str, parent: QWidget | None,
            on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> ProgressDialog:
    """``fn(desk)`` on the worker; a progress dialog (no Cancel) appears if it takes longer than ~0.6 s."""
    result: list[Any] = []

    def make() -> Generator[tuple[int, int], None, None]:
        desk = ctx.desk
        if desk is None:
            raise RegistryLocked()
        yield (0, 0)
        result.append(fn(desk))  # no yield after the work: once it has started it runs to the end

    dialog = ctx.tasks.run_iter(make, title=title, parent=parent, on_done=lambda _none: on_done(result[0]),
                                on_error=on_error)
    dialog.cancel_button.setEnabled(False)
    dialog.cancel_button.hide()
    return dialog


def run_staged_job(ctx: AppContext, fn: Callable[[Desk, Progress], Any], *, title: str, parent: QWidget | None,
                   on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> ProgressDialog:
    """As :func:`run_job`, for a core operation that reports progress (fanguai_desk/progress.py):
    ``fn(desk, progress)``; each stage shows its words (``CoreMessages``, through ``tr()``) above a
    determinate bar."""
    holder: list[ProgressDialog] = []

    def show(stage: str, done: int, total: int) -> None:
        if holder:
            holder[0].set_stage(core_text(stage), done, total)

    def report(stage: str, done: int, total: int) -> None:  # on the worker: hand it to the UI thread
        ctx.tasks.run_on_main(partial(show, stage, done, total))

    holder.append(run_job(ctx, lambda desk: fn(desk, report), title=title, parent=parent, on_done=on_done,
                          on_error=on_error))
    return holder[0]


def core_text(code: str, params: dict[str, Any] | None = None) -> str:
    """A core message (context ``CoreMessages``) by its code, with its parameters filled in."""
    pair = MESSAGES.get(code)
    if pair is None:
        return code
    template = translate("CoreMessages", pair[1])
    shown = dict(params or {})
    shown.setdefault("action", gui_action(code, shown))
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


class FileChoice:
    """File dialogs that remember the last folder (a USB stick, usually) for the session."""

    last_dir: str = ""

    @classmethod
    def open(cls, parent: QWidget, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, cls.last_dir, filters)
        return cls._remember(name)

    @classmethod
    def save(cls, parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
        start = str(Path(cls.last_dir) / suggested) if cls.last_dir else suggested
        name, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        return cls._remember(name)

    @classmethod
    def _remember(cls, name: str) -> Path | None:
        if not name:
            return None
        path = Path(name)
        cls.last_dir = str(path.parent)
        return path
