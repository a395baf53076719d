"""What the walkthrough scripts share: the Chinese application, waiting for the UI to settle, and grabbing a
window from the X server itself (not ``QWidget.grab``: what the screen really shows, window frame included).

    from walkthrough_common import Shooter, zh_application    # scripts/ is the script's own folder
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from fanguai_desk.ui import screenshots
from fanguai_desk.ui.app import create_application, ensure_compiled_translations
from fanguai_desk.ui.i18n import set_current_language
from fanguai_desk.ui.resources import load_translators


def zh_application() -> tuple[QApplication, Any]:
    """The application in Chinese, with the compiled translations; keep the translators alive."""
    set_current_language("zh_CN")
    app = create_application()
    ensure_compiled_translations()
    return app, load_translators(app, "zh_CN")


def settle(app: QApplication, done: Callable[[], bool] = lambda: True, seconds: float = 0.5,
           limit: float = 60) -> None:
    """The screenshot tool's settle, with the walkthroughs' longer waits (whole tasks, slower steps)."""
    screenshots.settle(app, done, seconds, limit)


class Shooter:
    """Screenshots of windows into one folder, each once the UI has settled."""

    def __init__(self, app: QApplication, out: Path, seconds: float = 0.5) -> None:
        self.app = app
        self.out = out
        self.seconds = seconds
        out.mkdir(parents=True, exist_ok=True)

    def settle(self, done: Callable[[], bool] = lambda: True, limit: float = 60) -> None:
        settle(self.app, done, self.seconds, limit)

    def __call__(self, widget: QWidget, name: str, done: Callable[[], bool] = lambda: True) -> None:
        self.settle(done)
        screen = widget.screen() or self.app.primaryScreen()
        g = widget.frameGeometry()
        pix = screen.grabWindow(0, g.x(), g.y(), g.width(), g.height())
        pix.save(str(self.out / name))
        print("shot", name, pix.width(), pix.height(), flush=True)
