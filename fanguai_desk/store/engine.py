"""The SQLCipher 4 engine behind SQLAlchemy.

Every pooled connection is keyed first (raw 256-bit hex key, so SQLCipher's own KDF is skipped: the
key is already random), then put in WAL mode with ``temp_store=MEMORY`` (no plaintext temp files) and
``secure_delete`` (deleted personal data is overwritten, not left in free pages).  SQLCipher encrypts
the WAL too, page by page, with the same key.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlcipher3
import sqlcipher3.dbapi2
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from fanguai_desk.domain.errors import RegistryError

log = logging.getLogger(__name__)

DB_FILE = "registry.db"


def _keyed_connection(path: Path, key: bytes, readonly: bool) -> Any:
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "")
    conn = sqlcipher3.dbapi2.connect(uri, uri=True, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Touch the schema: with a wrong key this is where SQLCipher says "file is not a database".
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.dbapi2.DatabaseError as exc:
        conn.close()
        raise RegistryError("database_unreadable", file=DB_FILE) from exc
    return conn


def open_engine(path: Path, key: bytes, *, readonly: bool = False, echo: bool = False) -> Engine:
    if len(key) != 32:
        raise ValueError("database key must be 32 bytes")
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=lambda: _keyed_connection(path, key, readonly),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        echo=echo,
        # SQL parameters are personal data: never let them into exception messages or logs.
        hide_parameters=True,
    )

    # pysqlite's legacy transaction handling defers BEGIN until the first write, which lets two writers
    # deadlock on upgrade; issue BEGIN ourselves (the recipe in SQLAlchemy's SQLite docs).
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def cipher_version(engine: Engine) -> str:
    with engine.connect() as conn:
        row = conn.exec_driver_sql("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row else "unknown"
