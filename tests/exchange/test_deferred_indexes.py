"""An import that more than doubles a table sets its unread secondary indexes aside and builds them once
(store/deferred_indexes.py).

Real registries, a real bundle set, the real import: afterwards every index exists with its stored SQL
unchanged and doctor is OK; a set refused after a part was merged leaves the indexes (and everything else)
exactly as they were; and every statement the import ran while the indexes were set aside — its own lookups —
searched an index, never scanned a table of the import (plans taken during the import itself).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from fanguai_desk.store.deferred_indexes import IMPORT_READS
from tests.exchange import test_bundle_sets as sets
from tests.exchange.conftest import Templates, open_desk


def _indexes(registry: Path, column: str) -> dict[str, Any]:
    """Index name → ``column`` of its row in the schema (its stored SQL, or its table)."""
    d = open_desk(registry)
    try:
        with d.read() as s:
            return {name: value for name, value in s.connection().exec_driver_sql(
                f"SELECT name, {column} FROM sqlite_master WHERE type = 'index'")}
    finally:
        d.close()


def stored_indexes(registry: Path) -> dict[str, str | None]:
    return _indexes(registry, "sql")


def table_of_index(registry: Path) -> dict[str, str]:
    return _indexes(registry, "tbl_name")


def test_a_first_import_leaves_every_index_as_it_was_and_doctor_ok(templates: Templates, sup: Path, town: Path,
                                                                   bundle_dir: Path) -> None:
    before = stored_indexes(sup)
    assert "ix_victims_status_birth" in before and "ix_followups_due" in before
    sets._set(templates, town, bundle_dir)
    result = sets.import_path(sup, bundle_dir / "B.p7m")
    assert result.report.added["victim"] == 60
    assert stored_indexes(sup) == before
    d = open_desk(sup)
    try:
        report = d.maintenance.doctor()
        assert report.ok, [(c.code, c.status, c.params) for c in report.checks]
        assert report.check("maintained_state") is not None and report.check("integrity") is not None
        with d.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        d.close()


def test_a_set_refused_after_a_part_was_merged_leaves_the_indexes_as_they_were(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    """Part 1 is merged (its indexes set aside) before the forged list is refused at part 2: the rollback
    brings them all back, and nothing else is written (the reused test checks that with ``refused``)."""
    before = stored_indexes(sup)
    sets.test_a_list_signed_by_the_author_but_in_another_order_is_refused_after_a_part_was_merged(
        templates, sup, town, bundle_dir)
    assert stored_indexes(sup) == before


def test_the_imports_own_lookups_keep_their_index_while_the_others_are_set_aside(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    """Every statement of the import, planned as it runs (indexes set aside), searches an index: no SCAN of a
    table whose indexes were set aside.  And the import did set indexes aside, none of those it reads."""
    sets._set(templates, town, bundle_dir)
    table_of = table_of_index(sup)
    d = open_desk(sup)
    dropped: list[str] = []
    scans: list[tuple[str, str]] = []
    planned = 0

    def plan(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        nonlocal planned
        text = statement.lstrip()
        if text.upper().startswith("DROP INDEX"):
            dropped.append(text.split()[2].strip('"'))
            return
        if not dropped or executemany or not text.upper().startswith(("SELECT", "UPDATE", "DELETE")):
            return
        if "count(*)" in text and "FROM" in text and "WHERE" not in text.upper():
            return
        raw = conn.connection.driver_connection.cursor()
        try:
            for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall():
                detail = str(row[3])
                planned += 1
                words = detail.split()
                if words[0] == "SCAN" and words[1] in {table_of[n] for n in dropped}:
                    scans.append((detail, text[:120]))
        finally:
            raw.close()

    event.listen(d.registry.engine, "before_cursor_execute", plan)
    try:
        d.exchange.import_bundle(bundle_dir / "B.p7m")
    finally:
        event.remove(d.registry.engine, "before_cursor_execute", plan)
        d.close()
    assert "ix_victims_status_birth" in dropped and "ix_followups_due" in dropped
    # the journal's index by record: a trigger writes one journal row per record inserted, none of it read here
    assert "ix_change_journal_record" in dropped
    assert not set(dropped) & IMPORT_READS
    assert planned > 50
    assert scans == [], "\n".join(map(str, scans))


def test_rebuilding_an_index_sorts_in_memory_never_in_a_temporary_file(sup: Path) -> None:
    """An index is rebuilt by sorting its table's keys — plaintext.  With the registry's ``temp_store = MEMORY``
    (store/engine.py) SQLite's sorter keeps its runs in memory even when they outgrow the cache; with the
    default it would spill them, unencrypted, to a deleted file in the temporary folder (checked here too, so the
    watch is known to see such a file)."""
    import contextlib
    import os
    import threading

    from fanguai_desk.store.deferred_indexes import DeferredIndexes

    def open_files() -> set[str]:
        found = set()
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # closed meanwhile
                found.add(os.readlink(f"/proc/self/fd/{fd}"))
        return found

    def files_opened_while(run: Any) -> set[str]:
        already = open_files()  # e.g. pytest's own capture files
        seen: set[str] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                seen.update(open_files() - already)
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            run()
        finally:
            done.set()
            watcher.join()
        return {f for f in seen if "(deleted)" in f or "etilqs" in f}

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc to watch open files")
    d = open_desk(sup)
    try:
        with d.tx() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
            conn.exec_driver_sql("CREATE TABLE sort_probe (k TEXT, v TEXT)")
            conn.exec_driver_sql("CREATE INDEX ix_sort_probe ON sort_probe (k, v)")
            conn.exec_driver_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
                "INSERT INTO sort_probe SELECT hex(randomblob(16)), 'synthetic ' || i FROM n")
            deferred = DeferredIndexes(conn)
            conn.exec_driver_sql("DROP INDEX ix_sort_probe")
            deferred._dropped.append(("ix_sort_probe", "CREATE INDEX ix_sort_probe ON sort_probe (k, v)"))
            assert files_opened_while(lambda: deferred.restore(cache_kib=1024)) == set()
            conn.exec_driver_sql("PRAGMA temp_store = FILE")
            conn.exec_driver_sql("DROP INDEX ix_sort_probe")
            deferred._dropped.append(("ix_sort_probe", "CREATE INDEX ix_sort_probe ON sort_probe (k, v)"))
            assert files_opened_while(lambda: deferred.restore(cache_kib=1024)), "the watch sees a spilled sort"
            conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
            conn.exec_driver_sql("DROP TABLE sort_probe")
    finally:
        d.close()
