"""The benchmark at a small size, so it cannot rot: every figure comes out (or says why not).

Never a time assertion: this machine's timings are the benchmark's business, not the tests'.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from fanguai_desk.bench.builder import BuiltRegistry, ensure_registry
from fanguai_desk.bench.context import BenchConfig
from fanguai_desk.bench.measurements import MEASUREMENTS
from fanguai_desk.bench.report import PLOT_FILE, plot, table
from fanguai_desk.bench.runner import BenchOutput, run_benchmark
from fanguai_desk.cli import main
from fanguai_desk.services.victims import VictimQuery

SMALL = BenchConfig(repeat=2, warmup=1, slow_repeat=2, kdf_repeat=1, long_repeat=1, samples=5)
SQL_FIGURES = ("search_file_number", "search_name_prefix", "search_surname", "search_pinyin_initials",
               "search_id_tail", "search_name_prefix_caseworker", "list_count", "list_count_overdue",
               "list_count_placement", "dashboard",
               "dashboard_supervisor", "dashboard_caseworker", "open_file", "record_followup")


@pytest.fixture(scope="module")
def bench_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def small_run(bench_root: Path) -> BenchOutput:
    return run_benchmark(500, bench_root, config=SMALL, make_plot=False)


def test_every_figure_is_measured_or_says_why_not(small_run: BenchOutput) -> None:
    results = small_run.document["results"]
    assert list(results) == list(MEASUREMENTS)
    for key, r in results.items():
        assert r["status"] in ("ok", "not_available"), (key, r.get("reason"), r.get("traceback"))
        if r["status"] == "ok":
            assert r["median_ms"] is not None and r["p95_ms"] is not None and r["reps"] >= 1, key
            if r["target_ms"] is not None:
                assert r["met"] in (True, False), key
        else:
            assert r["reason"] and r["median_ms"] is None and r["met"] is None, key


def test_queries_are_compared_with_the_bare_engine(small_run: BenchOutput) -> None:
    results = small_run.document["results"]
    for key in SQL_FIGURES:
        r = results[key]
        assert r["raw_sqlcipher_ms"] is not None and r["raw_sqlite_ms"] is not None and r["ratio"] is not None, key
        assert r["statements_per_run"] >= 1, key
    assert [s["sql"] for s in results["dashboard"]["statements"]]
    assert results["unlock_open"]["raw_sqlcipher_ms"] is not None
    assert results["cold_start"]["peak_rss_mb"] > 0


def test_searches_and_scrolling_are_compared_with_the_engines_best_plan(small_run: BenchOutput) -> None:
    results = small_run.document["results"]
    assert results["list_count"]["engine_best_ms"] is not None and results["list_count"]["ratio"] is not None
    for key in [k for k in results if k.startswith("search_")] + ["list_scroll_end"]:
        r = results[key]
        assert r["engine_best_ms"] is not None and r["replay_ratio"] is not None, key
        # the ratio is of the unrounded times; the JSON rounds each to the microsecond, which at 10 µs is 5 %
        half = 0.0005
        low = (r["median_ms"] - half) / (r["engine_best_ms"] + half)
        high = (r["median_ms"] + half) / max(r["engine_best_ms"] - half, 1e-9)
        assert low * 0.99 <= r["ratio"] <= high * 1.01, key
        assert r["met"] in (True, False), key  # scrolling: ≤ 2× one full read
    for key, r in results.items():  # the load average before / after every figure, and CPU next to wall time
        if r["status"] == "ok":
            assert len(r["load_average"]) == 2, key


def test_a_figure_over_its_memory_target_is_not_met() -> None:
    from fanguai_desk.bench.context import Timing
    from fanguai_desk.bench.measurements import Result

    fast_but_fat = Result("import_all", "import", 120_000, None, 600, Timing([1000.0], extra={"peak_rss_mb": 601}))
    assert fast_but_fat.summary()["met"] is False
    fast_but_fat.timing = Timing([1000.0], extra={"peak_rss_mb": 599})
    assert fast_but_fat.summary()["met"] is True


def test_results_are_written_as_json_with_the_machine(small_run: BenchOutput) -> None:
    doc = json.loads(small_run.json_path.read_text("utf-8"))
    assert small_run.json_path.name.startswith("bench-500-")
    assert doc["victims"] == 500 and doc["registry"]["counts"]["victims"] == 500
    machine = doc["machine"]
    assert machine["cpu_count"] >= 1 and machine["memory_bytes"] > 0
    assert machine["sqlcipher"] and machine["python"]
    lines = table(doc)
    assert all(any(r["label"][:40] in line for line in lines) for r in doc["results"].values())


def test_the_registry_is_cached_and_runs_leave_no_copies(small_run: BenchOutput, bench_root: Path) -> None:
    again = ensure_registry(bench_root / "cache", 500)
    assert again.reused and again.counts == small_run.document["registry"]["counts"]
    assert not list(bench_root.rglob("plain.db")), "the decrypted copy must be deleted"
    assert not list(bench_root.rglob("run-*")), "working copies must be deleted"


def test_plot_of_latency_against_size(small_run: BenchOutput, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    results = tmp_path / "results"
    results.mkdir()
    shutil.copy(small_run.json_path, results / small_run.json_path.name)
    bigger = dict(small_run.document, victims=1000)
    (results / "bench-1000-x.json").write_text(json.dumps(bigger), "utf-8")
    path = plot(results)
    assert path == results / PLOT_FILE and path.stat().st_size > 10_000


def test_cli_bench_prints_json_for_the_figures_asked(bench_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--victims", "500", "--out", str(bench_root), "--only", "search_id_tail,export_all",
                 "--repeat", "1", "--warmup", "0", "--no-plot", "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["results"]) == {"search_id_tail", "export_all"}
    assert doc["results"]["search_id_tail"]["median_ms"] is not None


def test_cli_bench_refuses_an_unknown_figure(bench_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--out", str(bench_root), "--only", "nonsense"]) == 1
    assert "nonsense" in capsys.readouterr().err


def test_a_cache_built_under_other_migrations_of_the_same_revision_is_built_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reserved no-op revisions are filled in later under the same name: the cache must notice."""
    from fanguai_desk.bench import builder

    first = ensure_registry(tmp_path / "cache", 20)
    assert not first.reused and ensure_registry(tmp_path / "cache", 20).reused
    monkeypatch.setattr(builder, "migrations_digest", lambda: "filled-in-later")
    assert not ensure_registry(tmp_path / "cache", 20).reused


def _cache_built_before_0014_was_filled_in(tmp_path: Path) -> tuple[BuiltRegistry, Path]:
    """A cached registry whose 0014 was still the reserved no-op: its column is absent, its marker says so."""
    import json

    from fanguai_desk.bench.builder import database_key
    from fanguai_desk.bench.raw import raw_cipher_connection
    from fanguai_desk.store.engine import DB_FILE

    built = ensure_registry(tmp_path / "cache", 20)
    conn = raw_cipher_connection(built.path / DB_FILE, database_key(built.path))
    conn.execute("ALTER TABLE record_sync DROP COLUMN synced_epoch")
    conn.commit()
    conn.close()
    marker = built.path.parent / "built.json"
    info = json.loads(marker.read_text("utf-8"))
    info["migrations"] = "built-before"
    info["migration_digests"]["0014"] = "the-reserved-no-op"
    marker.write_text(json.dumps(info), "utf-8")
    return built, marker


def test_a_revision_filled_in_later_is_replayed_on_the_cache_not_regenerated(tmp_path: Path) -> None:
    """The 100,000-file cache takes half an hour to generate: when a revision changed under its name, the
    migrations from that revision on run again on a copy (as on a laptop), and the cache says so."""
    import json

    from fanguai_desk.bench.builder import database_key, migrations_digest
    from fanguai_desk.bench.raw import raw_cipher_connection
    from fanguai_desk.store.engine import DB_FILE

    built, marker = _cache_built_before_0014_was_filled_in(tmp_path)

    again = ensure_registry(tmp_path / "cache", 20)
    assert again.reused and again.counts == built.counts
    info = json.loads(marker.read_text("utf-8"))
    assert info["replayed_from"] == "0014" and info["migrations"] == migrations_digest()
    conn = raw_cipher_connection(again.path / DB_FILE, database_key(again.path))
    assert "synced_epoch" in {r[1] for r in conn.execute("PRAGMA table_info(record_sync)")}
    conn.close()


def test_a_replay_leaves_a_hard_linked_copy_of_the_cache_alone(tmp_path: Path) -> None:
    """Worktrees share a cache as hard links: one replaying its copy must not rewrite the other's built.json
    (the other's registry did not change, so its marker must still say what it was built with)."""
    import json
    import os


    _, marker = _cache_built_before_0014_was_filled_in(tmp_path)
    other = tmp_path / "other" / "built.json"
    other.parent.mkdir()
    os.link(marker, other)
    ensure_registry(tmp_path / "cache", 20)
    assert json.loads(marker.read_text("utf-8"))["migration_digests"]["0014"] != "the-reserved-no-op"
    assert json.loads(other.read_text("utf-8"))["migration_digests"]["0014"] == "the-reserved-no-op"


def test_a_replay_that_fails_says_so_and_keeps_the_cache(tmp_path: Path) -> None:
    """A changed revision that cannot run again must not send the bench into a silent half-hour rebuild."""
    import json

    from fanguai_desk.store.engine import DB_FILE

    built = ensure_registry(tmp_path / "cache", 20)
    marker = built.path.parent / "built.json"
    info = json.loads(marker.read_text("utf-8"))
    info["migrations"] = "built-before"
    info["migration_digests"]["0021"] = "changed"  # 0021 creates a table the copy already has
    marker.write_text(json.dumps(info), "utf-8")
    with pytest.raises(RuntimeError, match="--rebuild"):
        ensure_registry(tmp_path / "cache", 20)
    assert (built.path / DB_FILE).exists()
    assert json.loads(marker.read_text("utf-8"))["migrations"] == "built-before"


def test_next_to_the_best_plan_both_sides_are_timed_warm(bench_root: Path, small_run: BenchOutput) -> None:
    """The engine's best plan runs after the replay of our SQL has read the same pages on its connection: our
    operation gets one untimed pass over the same inputs first, and the bare connections the same page cache
    as the engine's (neither side flattered by the other's cold reads)."""
    from fanguai_desk.bench.context import BenchContext
    from fanguai_desk.store.engine import DB_FILE, page_cache_kib

    ctx = BenchContext(ensure_registry(bench_root, 500), SMALL)
    try:
        desk = ctx.desk()
        capture = ctx.capture(desk)
        ours: list[tuple[int, bool]] = []
        engine: list[int] = []

        def op(i: int) -> None:  # which input, and whether the capture's listener was on our connection
            ours.append((i, event.contains(desk.registry.engine, "before_cursor_execute", capture._on_execute)))
            desk.victims.count(VictimQuery())

        timing = ctx.timed(op, desk=desk, best=lambda _conn, i: engine.append(i), reps=3, warmup=1)
        # Every input once untimed (its SQL captured for the replays), then the warm-up and the timed runs
        # without the capture's listener (the engine's side has none).
        assert ours == [(0, True), (1, True), (2, True), (3, True), (0, False), (1, False), (2, False), (3, False)]
        assert engine == [0, 1, 2, 3]
        assert timing.extra["statements_per_run"] == 1 and len(timing.raw_cipher_ms or []) == 3
        ours.clear()
        ctx.timed(op, desk=desk, reps=3, warmup=1)  # no best plan to compare with: as before, captured as timed
        assert ours == [(0, True), (1, True), (2, True), (3, True)]
        kib = page_cache_kib(ctx.registry_dir / DB_FILE)
        assert ctx.cipher is not None and ctx.plain is not None
        assert ctx.cipher.main.execute("PRAGMA cache_size").fetchone()[0] == -kib
        assert ctx.plain.main.execute("PRAGMA cache_size").fetchone()[0] == -kib
        with ctx.desk().read_rows() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -kib
    finally:
        ctx.close()
