"""``fanguai-desk bench``: time every operation on a county-sized synthetic registry, next to the raw engine.

    fanguai-desk bench [--victims 100000] [--json] [--repeat 30] [--only KEY,…] [--out benchmarks]

The registry is built once per size and schema revision (``OUT/cache``, git-ignored) from synthetic
people only; results go to ``OUT/results/bench-<N>-<date>.json`` and the plot to
``OUT/results/latency-vs-size.png`` (once two sizes have results).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("bench", help="性能基准测试（虚构数据）",
                              description="Benchmark every operation on a synthetic registry of N files.")
    p.add_argument("--victims", type=int, default=100_000, help="registry size in files (default 100000)")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the JSON document")
    p.add_argument("--repeat", type=int, default=30, help="timed runs of each fast operation (default 30)")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs before them (default 3)")
    p.add_argument("--slow-repeat", type=int, default=10, help="timed runs of PDF signing, cold starts")
    p.add_argument("--only", help="comma-separated figure keys (default: all)")
    p.add_argument("--out", default="benchmarks", help="directory for cache/ and results/ (default benchmarks)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached registry")
    p.add_argument("--no-plot", dest="plot", action="store_false", help="do not redraw the plot")
    p.add_argument("--list", dest="list_figures", action="store_true", help="list the figure keys and exit")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> None:
    from fanguai_desk.bench.context import BenchConfig
    from fanguai_desk.bench.measurements import MEASUREMENTS
    from fanguai_desk.bench.report import table
    from fanguai_desk.bench.runner import run_benchmark
    from fanguai_desk.commands.common import CliError

    if args.list_figures:
        for m in MEASUREMENTS.values():
            print(f"{m.key:<32} {m.label}")
        return
    only = [k.strip() for k in args.only.split(",") if k.strip()] if args.only else None
    unknown = sorted(set(only or []) - set(MEASUREMENTS))
    if unknown:
        raise CliError(f"未知的测试项：{', '.join(unknown)}", f"Unknown figure(s): {', '.join(unknown)}")
    if args.victims < 50 or args.repeat < 1 or args.warmup < 0 or args.slow_repeat < 1:
        raise CliError("参数超出范围（--victims 至少 50，--repeat 至少 1）。",
                       "Out of range (--victims at least 50, --repeat at least 1).")
    config = BenchConfig(repeat=args.repeat, warmup=args.warmup, slow_repeat=args.slow_repeat)
    # Killed politely (SIGTERM), still delete the run's working copies and the decrypted copy.
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))
    try:
        out = run_benchmark(args.victims, Path(args.out), config=config, only=only, rebuild=args.rebuild,
                            make_plot=args.plot, say=lambda m: print(m, file=sys.stderr, flush=True))
    finally:
        signal.signal(signal.SIGTERM, previous)
    if args.json:
        print(json.dumps(out.document, ensure_ascii=False, indent=1))
        return
    for line in table(out.document):
        print(line)
    print(f"results: {out.json_path}")
    if out.plot_path is not None:
        print(f"plot: {out.plot_path}")
