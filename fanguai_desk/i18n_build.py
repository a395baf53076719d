"""Compile the Qt Linguist sources in ``i18n/*.ts`` into ``.qm`` files beside them.

The ``.qm`` files are build products (never committed, never hand-edited); the dev script and the
packaging build call this module.  It uses ``pyside6-lrelease`` from the PySide6 wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def lrelease_command() -> list[str]:
    exe = shutil.which("pyside6-lrelease")
    if exe is None:
        candidate = Path(sys.executable).with_name("pyside6-lrelease")
        if candidate.exists():
            exe = str(candidate)
    if exe is None:
        raise RuntimeError("pyside6-lrelease not found; install PySide6-Essentials")
    return [exe]


def compile_all(i18n_dir: Path = I18N_DIR) -> list[Path]:
    outputs: list[Path] = []
    for ts in sorted(i18n_dir.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        subprocess.run([*lrelease_command(), str(ts), "-qm", str(qm)], check=True, capture_output=True)
        outputs.append(qm)
    return outputs


def main() -> int:
    for qm in compile_all():
        print(qm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
