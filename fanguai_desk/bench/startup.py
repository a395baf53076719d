"""Start-up figures: a new process each time, as a caseworker starts the program.

* ``--version``: the wall and CPU time of ``python -m fanguai_desk --version``;
* launch → sign-in window: from starting ``fanguai-desk gui`` to the sign-in window on the screen, and
  sign-in → main window, from the packaging smoke hook's log lines (``ui/smoke_hook.py``: it types the
  password after ``typing_ms``, as a person would, and quits once the main window shows).

The GUI runs offscreen unless a display is given (``benchmarks/startup.py`` runs it on Xvfb with xcb).
Also reported: which heavy libraries were already loaded when the sign-in window first showed (none).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _child_cpu(before: os.times_result, after: os.times_result) -> float:
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def version_run() -> tuple[float, float]:
    """(wall, CPU) seconds of one ``--version`` run."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fanguai_desk", "--version"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    return wall, _child_cpu(before, os.times())


@dataclass(frozen=True)
class GuiRun:
    launch_seconds: float  # process start → sign-in window shown
    launch_cpu_seconds: float  # the app's CPU time until then
    sign_in_seconds: float  # sign-in pressed → main window shown
    sign_in_cpu_seconds: float
    heavy_at_sign_in_window: str  # heavy libraries loaded when the sign-in window first showed ("none")


def gui_run(data: Path, login: str, password: str, *, display: dict[str, str] | None = None,
            typing_ms: int = 2000, home: Path | None = None) -> GuiRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(display or {"QT_QPA_PLATFORM": "offscreen"})
    env.update(PYTHONPATH=str(ROOT), FANGUAI_USER=login, FANGUAI_PASSWORD=password,
               FANGUAI_SMOKE_QUIT_AFTER_MS="100", FANGUAI_SMOKE_TYPING_MS=str(typing_ms))
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    started = time.time()
    run = subprocess.run([sys.executable, "-m", "fanguai_desk", "--data", str(data), "gui"], env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"gui start-up failed ({run.returncode}): {run.stderr.strip().splitlines()[-1:]}")
    at: dict[str, float] = {}
    cpu: dict[str, float] = {}
    info: dict[str, str] = {}
    for line in run.stderr.splitlines():
        if line.startswith("smoke: "):
            parts = line.split()
            event = parts[1]
            at.setdefault(event, float(parts[2]))
            cpu.setdefault(event, float(parts[-1].removeprefix("cpu=")))
            if event == "sign-in-window-shown":
                for part in parts[3:]:
                    key, _eq, value = part.partition("=")
                    info[key] = value
    return GuiRun(at["sign-in-window-shown"] - started, cpu["sign-in-window-shown"],
                  at["main-window-shown"] - at["sign-in-submitted"],
                  cpu["main-window-shown"] - cpu["sign-in-submitted"], info.get("heavy", "?"))
