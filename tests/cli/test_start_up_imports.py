"""Nothing heavy is imported before it is needed (start-up time; the figures are in benchmarks/startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "pypinyin", "pyhanko", "reportlab", "PySide6")


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    return {m.split(".")[0] for m in out}


def test_version_loads_no_heavy_library() -> None:
    loaded = _loaded_after("from fanguai_desk.cli import main\nimport contextlib, io\n"
                           "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--version'])")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_sign_in_window_needs_no_core_library() -> None:
    loaded = _loaded_after("import fanguai_desk.ui.app")
    assert not loaded & {"sqlalchemy", "alembic", "pypinyin", "pyhanko", "reportlab"}


def test_the_sign_in_window_shows_before_any_heavy_library_loads(tmp_path: Path) -> None:
    """The real start-up (``fanguai-desk gui`` in a new process, offscreen): when the sign-in window first
    shows, none of the core's heavy libraries is loaded — neither by the CLI nor by the app — and the core
    then loads on its own while the password is typed (the sign-in still reaches the main window)."""
    import os

    from fanguai_desk.services.desk import Desk
    from fanguai_desk.ui.app import HEAVY_MODULES
    from tests.conftest import ADMIN_PASSWORD, CHEAP

    assert set(HEAVY) - {"PySide6"} <= set(HEAVY_MODULES)
    data = tmp_path / "reg"
    Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇", kdf=CHEAP).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path), FANGUAI_USER="admin",
               FANGUAI_PASSWORD=ADMIN_PASSWORD, FANGUAI_LANG="zh_CN", FANGUAI_SMOKE_QUIT_AFTER_MS="100",
               FANGUAI_SMOKE_TYPING_MS="500", FANGUAI_SMOKE_TIMEOUT_S="90")
    run = subprocess.run([sys.executable, "-m", "fanguai_desk", "--data", str(data), "gui"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    shown = [line for line in run.stderr.splitlines() if line.startswith("smoke: sign-in-window-shown")]
    assert shown and " heavy=none " in shown[0] + " ", shown
    assert "smoke: main-window-shown" in run.stderr, run.stderr[-2000:]
