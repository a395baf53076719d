"""Start-up figures (a benchmark, not a test): how long a caseworker waits.

    PYTHONPATH=. .venv/bin/python benchmarks/startup.py [--runs 5] [--offscreen]

- ``--version``: wall time of ``python -m fanguai_desk --version`` (target < 0.5 s);
The runs themselves are ``fanguai_desk/bench/startup.py`` (also measured by ``fanguai-desk bench``, offscreen).

- launch → sign-in window: from starting ``fanguai-desk gui`` to the sign-in window on screen (target < 1 s);
- sign-in → main window: from pressing 登录 to the workbench on screen, on a registry whose key slot uses the
  tests' cheap KDF, so the figure is the app's own time beyond the deliberate key derivation (target < 1 s).
  Pressed 2 s after the window appears, the time a person takes to type a password.

The GUI runs on a private Xvfb at 1366×768 through Qt's xcb plugin (as a user's screen), or offscreen with
``--offscreen``; times come from the packaging smoke hook's log lines.  Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fanguai_desk.bench.startup import gui_run, version_run  # noqa: E402
from fanguai_desk.services.desk import Desk  # noqa: E402
from fanguai_desk.store.keyslots import KdfParams  # noqa: E402
from fanguai_desk.ui.xvfb import xvfb_display  # noqa: E402

PASSWORD = "Bench-startup-2026!"


CPU: list[tuple[float, float]] = []  # process CPU seconds at the sign-in window; during sign-in


def version_time() -> tuple[float, float]:
    return version_run()


def gui_times(data: Path, env: dict[str, str]) -> tuple[float, float]:
    run = gui_run(data, "admin", PASSWORD, display={k: v for k, v in env.items() if k in ("QT_QPA_PLATFORM", "DISPLAY")},
                  typing_ms=2000, home=Path(env["HOME"]))
    CPU.append((run.launch_cpu_seconds, run.sign_in_cpu_seconds))
    return run.launch_seconds, run.sign_in_seconds


@contextlib.contextmanager
def display(offscreen: bool) -> Iterator[dict[str, str]]:
    if offscreen:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    with xvfb_display(1366, 768) as d:
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": d}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offscreen", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "reg"
        Desk.create(data, admin_login="admin", admin_password=PASSWORD, township_name="青龙镇",
                    kdf=KdfParams.cheap_for_tests()).close()
        timed = [version_time() for _ in range(args.runs)]
        versions = [w for w, _ in timed]
        version_cpu = [c for _, c in timed]
        launch, signin = [], []
        with display(args.offscreen) as extra:
            env = {**extra, "HOME": tmp}
            for _ in range(args.runs):
                a, b = gui_times(data, env)
                launch.append(a)
                signin.append(b)
    platform = "offscreen" if args.offscreen else "xcb on Xvfb 1366x768"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {platform}; median of {args.runs} runs")
    print(f"{'':32} {'wall':>8} {'(min':>6} {'max)':>6} {'CPU':>8}")

    def row(name: str, wall: list[float], cpu: list[float]) -> None:
        print(f"{name:32} {statistics.median(wall):7.2f}s {min(wall):6.2f} {max(wall):6.2f} "
              f"{statistics.median(cpu):7.2f}s")

    row("--version", versions, version_cpu)
    row("launch -> sign-in window", launch, [c for c, _ in CPU])
    row("sign-in -> main window (no KDF)", signin, [c for _, c in CPU])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
