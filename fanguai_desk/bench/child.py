"""Operations run in a fresh process, so their wall time and peak memory are their own.

    python -m fanguai_desk.bench.child OP ARG…   →   one JSON line on stdout:
    {"seconds": …, "peak_rss_mb": …, …}

``seconds`` is timed inside the child (after the interpreter started); the parent also times the
whole process.  Peak RSS is the child's own high-water mark, which is what "export of everything stays
under 600 MB" means.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    """This process's peak resident memory.  On Linux from VmHWM: ``getrusage`` would report at least the
    parent's peak, since the high-water mark survives the fork + exec that started this process."""
    hwm = _vm_hwm_mb("/proc/self/status")
    if hwm is not None:
        return hwm
    try:
        import resource
    except ImportError:  # Windows
        import psutil

        return float(psutil.Process().memory_info().peak_wset) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB elsewhere


def _vm_hwm_mb(status_path: str) -> float | None:
    """VmHWM of a Linux ``/proc/<pid>/status`` file, or None where there is none."""
    try:
        with open(status_path, encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10  # kB
    except OSError:
        pass
    return None


def _process_peak_mb(process: Any) -> float:
    """Another process's peak resident memory (VmHWM on Linux; the peak working set on Windows)."""
    peak = _vm_hwm_mb(f"/proc/{process.pid}/status")
    if peak is not None:
        return peak
    info = process.memory_info()
    return float(getattr(info, "peak_wset", info.rss)) / 2**20


def _ended_children_cpu() -> float:
    """CPU seconds of the child processes that ended and were waited for (the import's helper is joined)."""
    try:
        import resource
    except ImportError:  # Windows: not counted
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class ChildrenPeak:
    """The peak memory of the processes this one starts (a large import's helper, exchange/preparing.py, and
    multiprocessing's resource tracker), watched every 50 ms while ``op`` runs: each one's high-water mark as
    last seen.  Added to this process's own peak it bounds what the operation held at once from above."""

    def __init__(self) -> None:
        import threading

        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ChildrenPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        import psutil

        me = psutil.Process()
        while True:
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error, OSError):
                    self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), _process_peak_mb(child))
            if self._stop.wait(0.05):
                return

    @property
    def total_mb(self) -> float:
        return sum(self.peaks.values())


def _desk(registry_dir: str, login: str | None = None, password: str | None = None) -> Any:
    from fanguai_desk.bench.builder import BENCH_LOGIN, BENCH_PASSWORD
    from fanguai_desk.services.desk import Desk
    from fanguai_desk.store.keyslots import KdfParams

    return Desk.unlock(Path(registry_dir), login or BENCH_LOGIN, password or BENCH_PASSWORD,
                       kdf=KdfParams.cheap_for_tests())


def cold_unlock(registry_dir: str) -> dict[str, Any]:
    """What starting the app costs: import the core, unlock, count the files and fetch the first page."""
    desk = _desk(registry_dir)
    try:
        total = desk.victims.count()
        rows = desk.victims.list_rows(limit=200)
    finally:
        desk.close()
    return {"files": total, "rows": len(rows)}


def export_all(registry_dir: str, recipient_pem: str, bundle_path: str, login: str | None = None,
               password: str | None = None) -> dict[str, Any]:
    """Every record of the registry, signed and encrypted to the recipient, written to ``bundle_path`` — as the
    CLI and the GUI do it: a bundle set (the list there, the parts beside it) once it exceeds one part."""
    desk = _desk(registry_dir, login, password)
    try:
        out = desk.exchange.export(Path(recipient_pem).read_bytes(), out=Path(bundle_path))
    finally:
        desk.close()
    return {"records": sum(out.counts.values()), "parts": len(out.parts) or 1}


def import_all(registry_dir: str, bundle_path: str) -> dict[str, Any]:
    desk = _desk(registry_dir)
    try:
        outcome = desk.exchange.import_bundle(Path(bundle_path))
    finally:
        desk.close()
    return {"added": sum(outcome.report.added.values())}


OPS: dict[str, Callable[..., dict[str, Any]]] = {"cold_unlock": cold_unlock, "export": export_all,
                                                 "import": import_all}


def main(argv: list[str]) -> int:
    started, cpu_started, helpers_started = time.perf_counter(), time.process_time(), _ended_children_cpu()
    with ChildrenPeak() as children:
        result = OPS[argv[0]](*argv[1:])
    own = peak_rss_mb()
    helpers_cpu = _ended_children_cpu() - helpers_started
    # peak_rss_mb: this process's and its helpers' together (each one's own peak: an upper bound of the sum);
    # cpu_seconds: both processes' CPU
    result.update(seconds=time.perf_counter() - started,
                  cpu_seconds=time.process_time() - cpu_started + helpers_cpu, helpers_cpu_seconds=helpers_cpu,
                  peak_rss_mb=own + children.total_mb, own_peak_rss_mb=own, helpers_peak_rss_mb=children.total_mb)
    print(json.dumps(result))
    return 0


def run_child(op: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run ``op`` in a fresh interpreter; adds ``wall_seconds`` (the whole process, start-up included)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fanguai_desk.bench.child", op, *args], capture_output=True,
                          text=True, timeout=timeout, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"bench child {op} failed ({done.returncode}): {tail[0]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    return result


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
