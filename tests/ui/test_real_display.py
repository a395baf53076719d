"""The app on a real X server, not offscreen: Xvfb + Qt's xcb platform plugin, in a subprocess.

This is what ``scripts/dev.sh run`` does on a caseworker's screen; it catches a missing xcb library
("Could not load the Qt platform plugin xcb", exit 134) that offscreen tests never load.  Xvfb comes from
the project's setup (``scripts/dev.sh`` installs it), so this runs in CI too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.xvfb import xvfb_display
from tests.conftest import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_app_reaches_sign_in_and_main_window_on_a_real_x_server(tmp_path: Path) -> None:
    data = tmp_path / "reg"
    Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇").close()
    shots = tmp_path / "shots"
    shots.mkdir()
    with xvfb_display(1366, 768) as display:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT), HOME=str(tmp_path),
                   XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path),
                   FANGUAI_USER="admin", FANGUAI_PASSWORD=ADMIN_PASSWORD, FANGUAI_LANG="zh_CN",
                   FANGUAI_SMOKE_QUIT_AFTER_MS="300", FANGUAI_SMOKE_TIMEOUT_S="90",
                   FANGUAI_SMOKE_SCREENSHOT_DIR=str(shots))
        run = subprocess.run([sys.executable, "-m", "fanguai_desk", "--data", str(data), "gui"], env=env,
                             cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "smoke: sign-in-window-shown" in run.stderr and "platform=xcb" in run.stderr, run.stderr[-2000:]
    assert "smoke: main-window-shown" in run.stderr, run.stderr[-2000:]
    for name in ("sign-in.png", "main-window.png"):
        image = QImage(str(shots / name))
        assert not image.isNull() and image.width() > 400 and image.height() > 300, name
        # Something was drawn: a real window, not a blank frame.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)}
        assert len(colours) > 5, name
    if os.environ.get("FANGUAI_KEEP_SCREENSHOTS"):
        keep = Path(os.environ["FANGUAI_KEEP_SCREENSHOTS"])
        keep.mkdir(parents=True, exist_ok=True)
        for png in shots.glob("*.png"):
            (keep / png.name).write_bytes(png.read_bytes())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([__file__]))
