"""Packaging smoke test only (``packaging/smoke_test.sh``): drive the real start-up once, headless.

Inert unless ``FANGUAI_SMOKE_QUIT_AFTER_MS`` is set (``run_app`` imports this module only then).  It
prints one line to stderr per step — ``smoke: <event> <epoch seconds> key=value…`` — so the smoke test can
measure the bundle's start-up time and check that the bundle's resources were found:

- no registry in the data folder: ``first-run-wizard-shown``, then quits after the delay (exit 0);
- otherwise ``sign-in-window-shown`` (with the window title, the application font family, whether the
  app icon loaded and which heavy libraries were already loaded when it first showed: ``heavy=none``), signs in with ``FANGUAI_USER`` / ``FANGUAI_PASSWORD`` (the variables the command line
  already honours), ``main-window-shown``, and quits ``FANGUAI_SMOKE_QUIT_AFTER_MS`` later (exit 0).

With ``FANGUAI_SMOKE_SCREENSHOT_DIR`` set, each window reached is also saved there as it appears on the
screen (``sign-in.png``, ``main-window.png``, grabbed from the screen itself, so on a real X server it is
what a user would see), and the Qt platform plugin in use is logged (``platform=xcb``).

Exit 4 if neither happens within ``FANGUAI_SMOKE_TIMEOUT_S`` (default 120 s): a wrong password, an error
page, a crash in a page.  Prints no personal data: times, fixed UI strings and font names only.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

EXIT_TIMEOUT = 4


def _log(event: str, **info: object) -> None:
    extra = "".join(f" {key}={str(value).replace(' ', '_')}" for key, value in info.items())
    # cpu= is this process's CPU time so far: a start-up figure that a busy machine does not inflate.
    print(f"smoke: {event} {time.time():.3f}{extra} cpu={time.process_time():.3f}", file=sys.stderr, flush=True)


def _screenshot(app: QApplication, widget: Any, name: str) -> None:
    folder = os.environ.get("FANGUAI_SMOKE_SCREENSHOT_DIR")
    if not folder:
        return
    app.processEvents()
    screen = widget.screen() or app.primaryScreen()
    geometry = widget.frameGeometry()
    pixmap = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
    source = "screen"
    image = pixmap.toImage()
    if pixmap.isNull() or all(image.pixel(x, y) & 0xFFFFFF == 0 for x in range(0, image.width(), 37)
                              for y in range(0, image.height(), 37)):
        # No screen to grab (offscreen platform, Wine without a display): render the window itself.
        pixmap, source = widget.grab(), "widget"
    path = os.path.join(folder, name)
    _log("screenshot", file=name, ok=pixmap.save(path), size=f"{pixmap.width()}x{pixmap.height()}", source=source)


def arm(app: QApplication, controller: Any) -> None:
    """Watch ``controller`` (an ``AppController`` that has just been started) from the event loop."""
    quit_after_ms = int(os.environ.get("FANGUAI_SMOKE_QUIT_AFTER_MS", "1000"))
    timeout_ms = int(float(os.environ.get("FANGUAI_SMOKE_TIMEOUT_S", "120")) * 1000)
    state = {"signed_in": False, "done": False}

    def finish(event: str, **info: object) -> None:
        state["done"] = True
        timer.stop()
        _log(event, **info)
        QTimer.singleShot(quit_after_ms, app.quit)

    def poll() -> None:
        if state["done"]:
            return
        start = controller.start_window
        wizard = controller.wizard
        if not state["signed_in"] and start is not None and start.isVisible():
            state["signed_in"] = True
            heavy = getattr(start, "heavy_at_first_show", None) or []
            _log("sign-in-window-shown", title=start.windowTitle(), font=app.font().family(),
                 icon="ok" if not app.windowIcon().isNull() else "missing", platform=app.platformName(),
                 heavy=",".join(heavy) or "none")
            _screenshot(app, start, "sign-in.png")
            start.panel.login_edit.setText(os.environ.get("FANGUAI_USER", "admin"))
            start.panel.password_edit.setText(os.environ.get("FANGUAI_PASSWORD", ""))

            def submit() -> None:
                _log("sign-in-submitted")
                start.panel.submit()

            # FANGUAI_SMOKE_TYPING_MS: how long a person takes to type the password (the benchmark's 2 s).
            QTimer.singleShot(int(os.environ.get("FANGUAI_SMOKE_TYPING_MS", "0")), submit)
        elif not state["signed_in"] and wizard is not None and wizard.isVisible():
            finish("first-run-wizard-shown", title=wizard.windowTitle(), font=app.font().family())
        elif controller.window is not None and controller.window.isVisible():
            _screenshot(app, controller.window, "main-window.png")
            finish("main-window-shown", title=controller.window.windowTitle())

    def give_up() -> None:
        if not state["done"]:
            _log("timeout")
            app.exit(EXIT_TIMEOUT)

    timer = QTimer(app)
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(0, poll)  # the first turn of the event loop: the first window is on screen
    QTimer.singleShot(timeout_ms, give_up)
