"""Long work runs on the worker with a delayed, cancellable progress dialog; Cancel leaves nothing written."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.ui.tasks import PROGRESS_DELAY_MS, TaskManager
from tests.ui.conftest import TIMEOUT_MS


def test_demo_generation_runs_off_the_ui_thread_and_commits(qtbot, zh_app, desk) -> None:
    tasks = TaskManager()
    seen: dict[str, object] = {}
    main = threading.get_ident()

    def make():
        seen["thread"] = threading.get_ident()
        return desk.demo.generate(DemoSpec(victims=120, townships=2, seed=3))

    tasks.run_iter(make, title="生成演示档案", parent=None, on_done=lambda _r: seen.setdefault("done", True))
    qtbot.waitUntil(lambda: "done" in seen, timeout=TIMEOUT_MS)
    assert seen["thread"] != main
    assert desk.victims.count() == 120


def test_cancelling_long_work_rolls_everything_back(qtbot, zh_app, desk) -> None:
    tasks = TaskManager()
    state: dict[str, object] = {}
    release = threading.Event()

    def make():
        inner = desk.demo.generate(DemoSpec(victims=1500, townships=2, seed=5))

        def slowed():
            for step in inner:
                yield step
                release.wait(5)  # hold the job until the dialog is up and Cancel is pressed

        return slowed()

    dialog = tasks.run_iter(make, title="生成演示档案", parent=None, on_done=lambda _r: state.setdefault("done", 1),
                            on_cancelled=lambda: state.setdefault("cancelled", 1))
    assert not dialog.shown_once  # not before the delay
    qtbot.waitUntil(dialog.isVisible, timeout=PROGRESS_DELAY_MS + 2000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert "正在取消" in dialog.label.text()
    release.set()
    qtbot.waitUntil(lambda: "cancelled" in state, timeout=TIMEOUT_MS)
    assert "done" not in state
    assert desk.victims.count() == 0


def test_quick_work_never_shows_the_progress_dialog(qtbot, zh_app, desk) -> None:
    tasks = TaskManager()
    done: list[bool] = []
    dialog = tasks.run_iter(lambda: iter_steps(3), title="x", parent=None, on_done=lambda _r: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert not dialog.shown_once


def iter_steps(n: int):
    for i in range(n):
        yield i + 1, n
