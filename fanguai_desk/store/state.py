"""Maintained state on ``victims`` (issue 16): the file's current placement, kept by the database itself.

``victims.current_placement`` is the state of the file's latest placement event (latest ``start_date``, then
latest ``created_at``): the same order as ``services.victims.current_placement_state``.  Counting open files by
placement then reads one index range instead of one correlated lookup per open file.

It is maintained by triggers on ``placements`` in the same transaction as every write, whatever writes it:
ORM forms and CLI through the services, the importer's raw ``executemany``, purge, the demo generator, merges.
The column never travels in an exchange bundle (``DERIVED_COLUMNS``); the receiving database recomputes it.
``doctor`` recomputes it from the history (``drift``) and reports any file whose stored state differs.
"""

from __future__ import annotations

from sqlalchemy import Connection

#: Columns derived from other rows: not exported, not imported, not compared in merges.
DERIVED_COLUMNS = frozenset({"current_placement"})

_LATEST = ("(SELECT p.state FROM placements p WHERE p.victim_id = {vid} "
           "ORDER BY p.start_date DESC, p.created_at DESC LIMIT 1)")


def _refresh(vid: str) -> str:
    return f"UPDATE victims SET current_placement = {_LATEST.format(vid=vid)} WHERE id = {vid};"


def trigger_ddl() -> list[str]:
    return [
        "CREATE TRIGGER IF NOT EXISTS trg_state_placements_insert AFTER INSERT ON placements "
        f"BEGIN {_refresh('NEW.victim_id')} END",
        "CREATE TRIGGER IF NOT EXISTS trg_state_placements_update "
        "AFTER UPDATE OF victim_id, state, start_date, created_at ON placements "
        f"BEGIN {_refresh('NEW.victim_id')} {_refresh('OLD.victim_id')} END",
        "CREATE TRIGGER IF NOT EXISTS trg_state_placements_delete AFTER DELETE ON placements "
        f"BEGIN {_refresh('OLD.victim_id')} END",
    ]


def install_triggers(conn: Connection) -> None:
    """Idempotent: also after a later migration rebuilt ``placements`` (which drops its triggers)."""
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "placements" in have and "victims" in have:
        cols = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(victims)")}
        if "current_placement" in cols:
            for ddl in trigger_ddl():
                conn.exec_driver_sql(ddl)


def missing_triggers(conn: Connection) -> list[str]:
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return [name for name in (d.split()[5] for d in trigger_ddl()) if name not in have]


def backfill(conn: Connection) -> None:
    conn.exec_driver_sql(f"UPDATE victims SET current_placement = {_LATEST.format(vid='victims.id')}")


def drift(conn: Connection) -> int:
    """How many files' stored current placement differs from the one their placement history gives."""
    return int(conn.exec_driver_sql(
        f"SELECT count(*) FROM victims WHERE current_placement IS NOT {_LATEST.format(vid='victims.id')}"
    ).scalar() or 0)
