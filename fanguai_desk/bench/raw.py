"""The physical limit: the SQL our layers emitted, replayed on bare connections.

``SqlCapture`` records, per operation, every statement SQLAlchemy hands to the DB-API cursor (with the
parameters exactly as bound, after type processing) and the transaction ends.  ``replay`` runs that
same list on a bare sqlcipher3 connection to an encrypted copy of the same registry (keyed and
configured exactly like ``store.engine``), or on a plain ``sqlite3`` connection to a decrypted copy
(``sqlcipher_export``), fetching every row.  Our time ÷ replay time is what the ORM, the services,
the audit chain and the masking cost on top of the engine.

The decrypted copy holds synthetic people only; it still lives only inside a run directory that is
deleted when the run ends.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, event

from fanguai_desk.store.engine import _keyed_connection, page_cache_kib

COMMIT, ROLLBACK = "COMMIT", "ROLLBACK"


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any
    many: bool = False
    connection: int = 0  # which pooled connection ran it (a service may read on a second one meanwhile)

    @property
    def label(self) -> str:
        return " ".join(self.sql.split())[:160]

    @property
    def writes(self) -> bool:
        head = self.sql.lstrip().split(None, 1)[0].upper() if self.sql.strip() else ""
        return head in ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class SqlCapture:
    """While ``recording()`` is active, every statement run on ``engine`` is appended to a list."""

    engine: Engine
    _current: list[Statement] | None = None
    _installed: bool = field(default=False, repr=False)

    def install(self) -> None:
        if self._installed:
            return
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        event.listen(self.engine, "commit", self._on_commit)
        event.listen(self.engine, "rollback", self._on_rollback)
        self._installed = True

    def remove(self) -> None:
        if self._installed:
            event.remove(self.engine, "before_cursor_execute", self._on_execute)
            event.remove(self.engine, "commit", self._on_commit)
            event.remove(self.engine, "rollback", self._on_rollback)
            self._installed = False

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[Statement]]:
        self.install()
        statements: list[Statement] = []
        self._current = statements
        try:
            yield statements
        finally:
            self._current = None

    def _on_execute(self, conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                    executemany: bool) -> None:
        if self._current is not None:
            self._current.append(Statement(statement, parameters, executemany, _connection_key(conn)))

    def _on_commit(self, conn: Any) -> None:
        if self._current is not None:
            self._current.append(Statement(COMMIT, (), connection=_connection_key(conn)))

    def _on_rollback(self, conn: Any) -> None:
        if self._current is not None:
            self._current.append(Statement(ROLLBACK, (), connection=_connection_key(conn)))


def _connection_key(conn: Any) -> int:
    return id(conn.connection.dbapi_connection)


def raw_cipher_connection(db_path: Path, key: bytes) -> Any:
    """A bare sqlcipher3 connection keyed and configured exactly as the engine's pooled connections (the same
    page cache: with a smaller one the engine's figures would re-read pages ours keep)."""
    conn = _keyed_connection(db_path, key, readonly=False, cache_kib=page_cache_kib(db_path))
    conn.isolation_level = None  # as the engine does: BEGIN is explicit in the captured SQL
    return conn


def raw_plain_connection(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the engine's settings (minus the key) — the unencrypted baseline."""
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    for pragma in ("foreign_keys = ON", "temp_store = MEMORY", "secure_delete = ON", "busy_timeout = 5000",
                   "journal_mode = WAL", "synchronous = FULL", f"cache_size = -{page_cache_kib(db_path)}"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def export_plaintext(cipher_conn: Any, plain_path: Path) -> None:
    """Write a decrypted copy of the keyed database (schema, indexes, rows) to ``plain_path``."""
    if plain_path.exists():
        plain_path.unlink()
    cipher_conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain_path),))
    try:
        cipher_conn.execute("SELECT sqlcipher_export('plain')").fetchall()
    finally:
        cipher_conn.execute("DETACH DATABASE plain")


class Replayer:
    """Bare connections to one database file: ``main``, plus one more for each connection a captured
    operation used at the same time (kept open between replays, so opening them is not timed twice)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect
        self.main = connect()
        self._more: list[Any] = []

    def replay(self, statements: Sequence[Statement]) -> float:
        """Run ``statements`` in order, each on the bare connection standing for its pooled one, fetching
        every row; returns the seconds it took."""
        conns: dict[int, Any] = {}
        started = time.perf_counter()
        for st in statements:
            conn = conns.get(st.connection)
            if conn is None:
                conn = conns[st.connection] = self._nth(len(conns))
            if st.sql in (COMMIT, ROLLBACK):
                if conn.in_transaction:
                    conn.execute(st.sql)
                continue
            if st.many:
                conn.executemany(st.sql, st.params)
            else:
                cur = conn.execute(st.sql, st.params)
                if cur.description is not None:
                    cur.fetchall()
        for conn in conns.values():
            if conn.in_transaction:  # a read session ends with a rollback SQLAlchemy does not always announce
                conn.execute(ROLLBACK)
        return time.perf_counter() - started

    def _nth(self, n: int) -> Any:
        if n == 0:
            return self.main
        while len(self._more) < n:
            self._more.append(self._connect())
        return self._more[n - 1]

    def close(self) -> None:
        for conn in [self.main, *self._more]:
            conn.close()


def replay_each(conn: Any, statements: Sequence[Statement]) -> list[tuple[str, float]]:
    """Time every SELECT of a read-only capture on its own: which query costs what (for the breakdown)."""
    out = []
    for st in statements:
        if st.sql in (COMMIT, ROLLBACK) or st.writes or not st.sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        started = time.perf_counter()
        conn.execute(st.sql, st.params).fetchall()
        out.append((st.label, time.perf_counter() - started))
    return out


def versions(cipher_conn: Any) -> dict[str, str]:
    return {
        "sqlcipher": str(cipher_conn.execute("PRAGMA cipher_version").fetchone()[0]),
        "sqlite_in_sqlcipher": str(cipher_conn.execute("SELECT sqlite_version()").fetchone()[0]),
        "sqlite_stdlib": sqlite3.sqlite_version,
        "sqlcipher3_module": getattr(sqlcipher3, "__version__", "unknown"),
    }
