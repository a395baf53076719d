"""How a long core operation tells its caller how far it has got — for any front end, with no Qt and no terminal.

Export, import, backup, restore and purge take an optional ``progress`` callable and call it as
``progress(stage, done, total)``:

* ``stage`` is a stable code (``export_records``, ``import_merge`` …).  Its words live in
  ``fanguai_desk/messages.py`` like every other core text (zh + en; the UI shows them through ``tr()``,
  the CLI through :func:`fanguai_desk.messages.stage_text`).
* ``done`` and ``total`` count what the stage counts (rows, bytes, steps); ``0 <= done <= total``.
  Within a stage ``done`` never goes back, and the stage's last call has ``done == total``.  A stage
  whose amount cannot be known ahead is one step: ``(0, 1)`` when it starts, ``(1, 1)`` when it ends.
* Stages come in the order of :data:`STAGES` for the operation (optional ones may be skipped).
* Never personal data: counts only, so a front end may show or log them freely.

Reports are thinned out by :class:`Steps` (about a hundred per stage), so a reporter may do real work
(a queued signal, a terminal redraw) on every call.  A reporter that raises stops the operation like any
other error would: the operations roll back what they had not committed.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(stage, done, total)``
Progress = Callable[[str, int, int], None]


#: The stages of each operation, in order (optional ones in brackets in the comment).
STAGES: dict[str, tuple[str, ...]] = {
    # attachments: if asked.  A bundle set reports ``export_parts`` (parts collected, signed and written) instead
    # of the record stages, then signs and writes its list; its import ``import_parts`` instead of ``import_merge``.
    "export": ("export_records", "export_attachments", "export_parts", "export_sign", "export_write"),
    "import": ("import_open", "import_parts", "import_merge", "import_check", "import_save"),
    "backup": ("backup_snapshot", "backup_write"),
    "restore": ("restore_extract", "restore_unlock", "restore_check", "restore_finish"),
    "purge": ("purge_collect", "purge_delete", "purge_wal"),
}


def _ignore(stage: str, done: int, total: int) -> None:
    return None


def reporter(progress: Progress | None) -> Progress:
    """``progress``, or a reporter that does nothing."""
    return progress if progress is not None else _ignore


class Steps:
    """One stage counted in units: ``add(n)`` as work gets done, ``finish()`` at the end (reports
    ``total``).  Reports at most about ``points`` times in between, never going back."""

    def __init__(self, progress: Progress | None, stage: str, total: int, *, points: int = 100) -> None:
        self.report = reporter(progress)
        self.stage = stage
        self.total = max(0, total)
        self.done = 0
        self._step = max(1, self.total // max(1, points))
        self._next = self._step
        self.report(stage, 0, self.total)

    def add(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + max(0, n))
        if self.done >= self._next and self.done < self.total:
            self.report(self.stage, self.done, self.total)
            self._next = self.done + self._step

    def to(self, done: int) -> None:
        """The amount done so far (a running total); never goes back."""
        self.add(done - self.done)

    def finish(self) -> None:
        self.done = self.total
        self.report(self.stage, self.total, self.total)


def one_step(progress: Progress | None, stage: str) -> Steps:
    """A stage of unknown length: ``(0, 1)`` now, ``(1, 1)`` at ``finish()``."""
    return Steps(progress, stage, 1)
