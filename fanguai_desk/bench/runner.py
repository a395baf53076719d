"""One benchmark run end to end: cached registry → measurements → JSON (+ plot)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fanguai_desk.bench.builder import ensure_registry
from fanguai_desk.bench.context import BenchConfig, BenchContext
from fanguai_desk.bench.measurements import run_measurements
from fanguai_desk.bench.raw import versions
from fanguai_desk.bench.report import build_document, machine_info, plot, write_json


@dataclass(frozen=True)
class BenchOutput:
    document: dict[str, Any]
    json_path: Path
    plot_path: Path | None


def run_benchmark(victims: int, root: Path, *, config: BenchConfig | None = None,
                  only: Iterable[str] | None = None, rebuild: bool = False, make_plot: bool = True,
                  say: Callable[[str], None] = lambda _m: None) -> BenchOutput:
    """Build or reuse ``root/cache/<victims>-<schema>``, measure, write ``root/results/bench-*.json``."""
    config = config or BenchConfig()
    started_at, started = datetime.now().astimezone(), time.perf_counter()
    last = [0.0]

    def build_progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 5 or done == total:
            last[0] = time.perf_counter()
            say(f"building the {total:,}-file registry: {done:,}/{total:,}")

    built = ensure_registry(root / "cache", victims, rebuild=rebuild, progress=build_progress)
    say(f"registry {'reused' if built.reused else 'built'}: {built.path} "
        f"({built.database_bytes / 2**20:.0f} MiB, built in {built.build_seconds:.0f} s)")
    ctx = BenchContext(built, config)
    try:
        assert ctx.cipher is not None
        machine = machine_info(versions(ctx.cipher.main))
        results = run_measurements(ctx, only, progress=lambda m: say(f"measuring: {m.label}"))
    finally:
        ctx.close()
    doc = build_document(built, config, results, machine, started_at, time.perf_counter() - started)
    results_dir = root / "results"
    path = write_json(doc, results_dir)
    return BenchOutput(doc, path, plot(results_dir) if make_plot else None)
