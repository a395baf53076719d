"""Secondary indexes set aside while an import writes more rows into a table than it holds, built again once.

A county's first import of a whole county (100,000 files) inserts rows with random UUID keys into tables whose
indexes (23 on ``victims``, 5 on ``followups``, and the change journal's index by record id, a row for every
record inserted) grow past the page cache: every insert then reads, decrypts and later re-encrypts a page of each
index.  Building an index once from the finished table is a sort instead.

Inside the importer's transaction, :meth:`DeferredIndexes.suspend` drops the chosen tables' secondary indexes
except :data:`IMPORT_READS` (the ones the import's own statements search: duplicate detection, file-number
clashes, the maintained state's recompute, the file rules and review re-check — ``tests/exchange/
test_deferred_indexes.py`` pins from their query plans that none becomes a scan) and remembers each one's
stored ``CREATE`` text; :meth:`DeferredIndexes.restore` runs those texts again before the commit.  DDL is
transactional in SQLite: a refused import's rollback brings the indexes back untouched, and no other
connection sees them missing (one writer; readers keep their snapshot).  ``temp_store = MEMORY``
(``store/engine.py``) keeps the index sorter in memory: nothing plaintext reaches the disk.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

#: Indexes the import's own statements read while it merges (found with EXPLAIN QUERY PLAN, pinned by tests):
#: never set aside.  Primary keys and UNIQUE constraints (autoindexes, and any UNIQUE index) are never either.
IMPORT_READS: frozenset[str] = frozenset({
    "ix_victims_id_number",          # duplicates: candidates by ID number
    "ix_victims_name_pinyin",        # duplicates: candidates by the sound of the name
    "ix_victims_file_number_id",     # file-number clashes
    "ix_followups_victim_status",    # maintained state's recompute, review re-check
    "ix_services_victim_running",    # maintained state's recompute
    "ix_services_victim_status",     # review re-check (services of a file)
    "ix_placements_victim_current",  # maintained state's recompute
    "ix_placements_victim_id",       # review re-check
    "ix_guardians_victim_id",        # file rules, review re-check
    "ix_buyer_households_victim_id",  # file facts (_facts), review re-check
    "ix_consents_victim_id",         # review re-check
    "ix_referrals_victim_id",        # review re-check
    "ix_review_flags_victim_id",     # review re-check's existing flags
    "ix_duplicate_flags_victim_id",
    "ix_attachments_victim_id",
    "ix_change_log_record",          # purged tombstones
    "ix_townships_code",             # townships matched by their code
})


class DeferredIndexes:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._dropped: list[tuple[str, str]] = []  # (name, stored CREATE text), in dropping order

    def suspend(self, tables: Iterable[str]) -> list[str]:
        """Drop ``tables``' secondary indexes the import does not read; returns their names."""
        names: list[str] = []
        for table in sorted(set(tables)):
            rows = self.conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
                "ORDER BY name", (table,)).all()
            for name, sql in rows:
                if name in IMPORT_READS or sql.lstrip().upper().startswith("CREATE UNIQUE"):
                    continue
                self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self._dropped.append((name, sql))
                names.append(name)
        return names

    def restore(self, cache_kib: int | None = None) -> None:
        """Build every set-aside index again from its stored text (a no-op when none was).

        ``cache_kib``: the page cache to build them with.  Building an index reads its table in order and sorts
        (in memory: ``temp_store = MEMORY``); the large cache the merge needed for its random inserts only adds
        its pages to the sorter's memory (measured at 100,000 files: peak RSS 543 → 588 MB while rebuilding).
        The caller's ``larger_page_cache`` sets the size back afterwards."""
        dropped, self._dropped = self._dropped, []
        if dropped and cache_kib is not None:
            self.conn.exec_driver_sql(f"PRAGMA cache_size = -{int(cache_kib)}")
        for _name, sql in dropped:
            self.conn.exec_driver_sql(sql)


def worth_deferring(conn: Connection, incoming: dict[str, int]) -> list[str]:
    """The tables (of ``incoming``: table → rows the import declares) that would more than double."""
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = []
    for table, n in sorted(incoming.items()):
        if table in have and n > 0:
            held = int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() or 0)
            if n > held:
                out.append(table)
    return out
