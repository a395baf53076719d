"""Installing SQLite triggers from their definitions: create the missing, replace the changed ones.

SQLite keeps a trigger's ``CREATE`` text (without ``IF NOT EXISTS``) in ``sqlite_master``; a trigger whose
stored text differs from this program's definition (an older registry, a column list that grew) is dropped
and created again, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


def name_of(ddl: str) -> str:
    return ddl.split()[5] if " IF NOT EXISTS " in ddl else ddl.split()[2]


def _stored_form(ddl: str) -> str:
    return ddl.replace("CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ", 1)


def _stored(conn: Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}


def ensure(conn: Connection, ddl: str, stored: dict[str, str] | None = None) -> None:
    stored = _stored(conn) if stored is None else stored
    name = name_of(ddl)
    if stored.get(name) == _stored_form(ddl):
        return
    if name in stored:
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    conn.exec_driver_sql(_stored_form(ddl))


def missing(conn: Connection, ddls: Sequence[str]) -> list[str]:
    """The triggers of ``ddls`` that are absent, or stored with another definition."""
    stored = _stored(conn)
    return [name_of(d) for d in ddls if stored.get(name_of(d)) != _stored_form(d)]
