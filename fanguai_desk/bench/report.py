"""Results: the JSON document, the printed table, and the latency-against-size plot."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy

from fanguai_desk.bench.builder import BuiltRegistry
from fanguai_desk.bench.context import BenchConfig
from fanguai_desk.bench.measurements import Result

PLOT_FILE = "latency-vs-size.png"


def memory_bytes() -> int | None:
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except ImportError:
        try:
            return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
        except (ValueError, OSError, AttributeError):
            return None


def machine_info(versions: dict[str, str]) -> dict[str, Any]:
    mem = memory_bytes()
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(), "memory_bytes": mem,
        "memory_gib": round(mem / 2**30, 1) if mem else None,
        "platform": platform.platform(), "machine": platform.machine(),
        "python": sys.version.split()[0], "sqlalchemy": sqlalchemy.__version__, **versions,
    }
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def build_document(built: BuiltRegistry, config: BenchConfig, results: Sequence[Result], machine: dict[str, Any],
                   started: datetime, seconds: float) -> dict[str, Any]:
    return {
        "format": 1,
        "victims": built.victims,
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "machine": machine,
        "registry": {k: v for k, v in built.describe().items() if k != "path"},
        "config": asdict(config),
        "notes": [
            "median and p95 in milliseconds over config.repeat runs after config.warmup untimed ones; "
            "slow figures use slow_repeat / kdf_repeat / long_repeat runs (see each figure's reps)",
            "raw_sqlcipher_ms: the same SQL our layers emitted, replayed on a bare sqlcipher3 connection to "
            "an encrypted copy of the same registry; raw_sqlite_ms: the same on plain sqlite3 and a "
            "decrypted copy; ratio = our median / raw_sqlcipher median",
            "the machine is shared with other work while the benchmark runs: expect noise "
            "(see machine.load_average_at_start)",
        ],
        "results": {r.key: r.summary() for r in results},
    }


def write_json(doc: dict[str, Any], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    day = doc["started_at"][:10]
    path = results_dir / f"bench-{doc['victims']}-{day}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return path


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 10_000:
        return f"{value / 1000:.1f} s"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2f}"


def table(doc: dict[str, Any]) -> list[str]:
    m = doc["machine"]
    reg = doc["registry"]
    lines = [
        f"fanguai-desk benchmark — {doc['victims']:,} files ({reg['counts'].get('followups', 0):,} follow-ups, "
        f"{reg['database_bytes'] / 2**20:.0f} MiB), {m['cpu_count']} CPUs, {m['memory_gib']} GiB, "
        f"SQLCipher {m.get('sqlcipher')}",
        "times in ms: median / p95 of ours; medians of the same SQL on bare sqlcipher3 and plain sqlite3; "
        "ratio = ours ÷ bare sqlcipher, +ms = ours − bare sqlcipher",
        f"{'operation':<58}{'median':>9}{'p95':>9}{'sqlcipher':>11}{'sqlite':>9}{'ratio':>7}{'+ms':>8}"
        f"{'target':>12}  met",
    ]
    missing = []
    for r in doc["results"].values():
        if r["status"] != "ok":
            missing.append(f"  {r['label']}: {r['status'].replace('_', ' ')} — {r['reason']}")
            continue
        target = ""
        if r["target_ms"] is not None:
            t = r["target_ms"]
            target = (f"<{t / 1000:g} s" if t >= 10_000 else f"<{t:g}") + \
                (f" ≤{r['ratio_target']:g}×" if r.get("ratio_target") else "")
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        ratio = f"{r['ratio']:.1f}" if r["ratio"] is not None else "—"
        lines.append(f"{r['label'][:57]:<58}{_ms(r['median_ms']):>9}{_ms(r['p95_ms']):>9}"
                     f"{_ms(r['raw_sqlcipher_ms']):>11}{_ms(r['raw_sqlite_ms']):>9}{ratio:>7}"
                     f"{_ms(r.get('overhead_ms')):>8}{target:>12}  {met}")
        if r.get("peak_rss_mb") is not None:
            lines.append(f"{'':<4}peak RSS {r['peak_rss_mb']:.0f} MB")
    if missing:
        lines.append("not measured:")
        lines += missing
    return lines


def latest_results(results_dir: Path) -> dict[int, dict[str, Any]]:
    """The newest result document for every registry size in ``results_dir``."""
    by_size: dict[int, dict[str, Any]] = {}
    for path in sorted(results_dir.glob("bench-*.json")):
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        n = int(doc.get("victims", 0))
        if n and (n not in by_size or doc["started_at"] >= by_size[n]["started_at"]):
            by_size[n] = doc
    return by_size


def _cjk_font(matplotlib: Any) -> None:
    """Labels may hold Chinese (阶段性评估): DejaVu Sans first, then the CJK font the PDF reports ship (else
    matplotlib warns "Glyph … missing from font DejaVu Sans" and draws boxes)."""
    from matplotlib import font_manager

    from fanguai_desk.reports.fonts import FONT_PATH

    if FONT_PATH.exists():
        font_manager.fontManager.addfont(str(FONT_PATH))
        name = font_manager.FontProperties(fname=str(FONT_PATH)).get_name()
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", name]


def plot(results_dir: Path) -> Path | None:
    """Latency (median, p95 as a band) and ratio to the bare engine against registry size; None if fewer
    than two sizes have results or matplotlib is not installed."""
    docs = latest_results(results_dir)
    if len(docs) < 2:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    _cjk_font(matplotlib)
    sizes = sorted(docs)
    keys: list[str] = []
    for n in sizes:
        keys += [k for k, r in docs[n]["results"].items() if r.get("median_ms") is not None and k not in keys]
    fig, (ax, ax_ratio) = plt.subplots(1, 2, figsize=(15, 7.5), gridspec_kw={"width_ratios": [3, 2]})
    cmap = plt.get_cmap("tab10")
    markers, styles = "osD^v<>ph*", ("-", "--")
    for i, key in enumerate(keys):
        pts = [(n, docs[n]["results"][key]) for n in sizes
               if docs[n]["results"].get(key, {}).get("median_ms") is not None]
        if not pts:
            continue
        xs = [n for n, _ in pts]
        # 10 colours × (marker, line style): every series stays distinguishable in print
        color, style = cmap(i % 10), {"marker": markers[i % len(markers)], "linestyle": styles[i // 10 % 2]}
        label_text = pts[-1][1]["label"]
        ax.plot(xs, [r["median_ms"] for _, r in pts], color=color, label=label_text, **style)
        ax.fill_between(xs, [r["median_ms"] for _, r in pts], [r["p95_ms"] for _, r in pts], color=color,
                        alpha=0.15)
        ratios = [(n, r["ratio"]) for n, r in pts if r.get("ratio") is not None]
        if ratios:
            ax_ratio.plot([n for n, _ in ratios], [q for _, q in ratios], color=color, **style)
    for target, text in ((16, "16 ms (searches, counts: one frame)"), (50, "50 ms (open a file)"),
                         (100, "100 ms (list first screen)"), (400, "400 ms (signed PDF)"), (5000, "5 s (yearly report)"),
                         (120_000, "2 min (export, import)")):
        ax.axhline(target, color="grey", linestyle=":", linewidth=0.8)
        ax.annotate(text, (sizes[0], target), fontsize=7, color="grey", va="bottom")
    ax_ratio.axhline(2, color="red", linestyle=":", linewidth=0.8)
    ax_ratio.annotate("2× target", (sizes[0], 2), fontsize=7, color="red", va="bottom")
    for a in (ax, ax_ratio):
        a.set_xscale("log")
        a.set_yscale("log")
        a.set_xticks(sizes, [f"{n // 1000}k" if n >= 1000 else str(n) for n in sizes])
        a.minorticks_off()
        a.set_xlabel("registry size (files)")
        a.grid(True, which="major", alpha=0.3)
    ax.set_ylabel("latency, ms (median; band up to p95)")
    ax.set_title("Latency against registry size")
    ax_ratio.set_ylabel("ours ÷ engine (best plan where written, else same SQL; median)")
    ax_ratio.set_title("What our layers cost over the engine")
    machine = docs[sizes[-1]]["machine"]
    fig.suptitle(f"fanguai-desk benchmark — {machine['cpu_count']} CPUs, {machine['memory_gib']} GiB, "
                 f"SQLCipher {machine.get('sqlcipher')} (shared machine: noisy)", fontsize=11)
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.17, 1, 0.96))
    path = results_dir / PLOT_FILE
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
