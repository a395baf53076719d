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
