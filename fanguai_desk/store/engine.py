"""The SQLCipher 4 engine behind SQLAlchemy.

Every pooled connection is keyed first (raw 256-bit hex key, so SQLCipher's own KDF is skipped: the
key is already random), then put in WAL mode with ``temp_store=MEMORY`` (no plaintext temp files) and
``secure_delete`` (deleted personal data is overwritten, not left in free pages).  SQLCipher encrypts
the WAL too, page by page, with the same key.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
import sqlcipher3.dbapi2
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store.presence import DB_FILE

log = logging.getLogger(__name__)

# The DB-API binds ``None`` and ``bool`` through its adapter protocol: with no adapter registered for them it
# looks for ``__conform__`` on the value, and the failed lookup raises and clears an AttributeError for every
# NULL and every flag bound (an import binds tens of millions: measured 5.3x slower than binding a string).
# These two adapters give exactly what that fallback gives (NULL; 0/1, since bool is an int) without the
# failed lookup.  Neither is a "base type" adapter, so strings, ints and floats keep their direct path.
sqlcipher3.dbapi2.register_adapter(type(None), lambda _value: None)
sqlcipher3.dbapi2.register_adapter(bool, int)


def _on_read_only_media(path: Path) -> bool:
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # Windows has no statvfs
        return False


def _disk_is_full(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except (AttributeError, OSError):
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def _connect(path: Path, readonly: bool) -> Any:
    uri = path.resolve().as_uri()
    if readonly:
        uri += "?mode=ro"
        wal = path.with_name(path.name + "-wal")
        if (_on_read_only_media(path) or _disk_is_full(path)) and not (wal.exists() and wal.stat().st_size > 0):
            # A WAL database on read-only media, or on a full disk, cannot create its -shm file.  Reading it as
            # immutable is safe only when no -wal file holds commits not yet in the main file (a clean close
            # leaves none); on a full disk nothing can commit meanwhile either.
            uri += "&immutable=1"
    return sqlcipher3.dbapi2.connect(uri, uri=True, check_same_thread=False)


# SQLite's default page cache is 2 MB per connection.  SQLCipher decrypts and checks the HMAC of every page it
# reads into the cache, so a cache far smaller than the working set re-decrypts the same index pages on every
# count (the dashboard of a 100,000-file registry re-read its indexes for each card).  A quarter of the file,
# between 8 and 64 MiB per connection: pages are allocated only as they are read, so a small registry
# costs what it always did, and the pool's connections together stay well under the 600 MB budget.
PAGE_CACHE_MIN_KIB = 8 * 1024
PAGE_CACHE_MAX_KIB = 64 * 1024


def page_cache_kib(path: Path) -> int:
    try:
        size_kib = path.stat().st_size // 1024
    except OSError:
        size_kib = 0
    return max(PAGE_CACHE_MIN_KIB, min(PAGE_CACHE_MAX_KIB, size_kib // 4))


#: An import merges every incoming record in one transaction, inserting into the indexes of the largest tables at
#: random places (record ids and file ids are random UUIDs): with the registry's own cache (from 8 MiB — an empty
#: county registry starts there) each insert evicted index pages it needed again soon, spilled them to the
#: write-ahead log and read them back, decrypting and checking each page every time.  The import's transaction
#: gets a cache in proportion to what it brings, up to this bound: the import's peak memory, with its helper
#: process's (exchange/preparing.py, ~110 MB), stays < 600 MB.  Measured at 100,000 files once the change
#: journal's index was set aside: 192 → 160 MiB cost nothing (98.8 / 98.2 s), 128 MiB cost 5 s.
BULK_CACHE_MAX_KIB = 160 * 1024


def bulk_cache_kib(incoming_bytes: int) -> int:
    """The page cache for a transaction that writes about ``incoming_bytes`` of records (their rows, indexes,
    journal and sync rows take about twice that)."""
    return max(PAGE_CACHE_MIN_KIB, min(BULK_CACHE_MAX_KIB, 2 * incoming_bytes // 1024))


@contextmanager
def larger_page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """``conn``'s page cache at least ``kib`` KiB inside the block, then as it was: the pages above the old
    size are freed as the commit writes them (SQLite releases unpinned pages over the bound)."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    current_kib = -before if before < 0 else before * 4  # a positive size counts pages (4 KiB in SQLCipher 4)
    if current_kib >= kib:
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def _keyed_connection(path: Path, key: bytes, readonly: bool, cache_kib: int = PAGE_CACHE_MIN_KIB) -> Any:
    try:
        conn = _connect(path, readonly)
    except sqlcipher3.dbapi2.OperationalError as exc:
        if _on_read_only_media(path):
            raise RegistryError("read_only_media", dir=str(path.parent)) from exc
        raise RegistryError("database_unreadable", file=DB_FILE) from exc
    try:
        # SQLCipher would print its own lines to stderr for every page that fails its HMAC; the typed errors
        # below say the same thing once, in the user's language.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Touch the schema: with a wrong key this is where SQLCipher says "file is not a database".
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.dbapi2.DatabaseError as exc:
        conn.close()
        mapped = sqlite_error_to_registry_error(exc)
        if mapped is not None and mapped.code in ("disk_io_error", "read_only") and _on_read_only_media(path):
            mapped = RegistryError("read_only_media", dir=str(path.parent))
        elif mapped is not None and mapped.code == "disk_io_error" and _disk_is_full(path):
            mapped = RegistryError("disk_full")  # e.g. no room for the WAL's -shm file
        if mapped is not None and mapped.code in ("disk_full", "read_only", "read_only_media", "disk_io_error"):
            raise mapped from exc
        raise RegistryError("database_unreadable", file=DB_FILE) from exc
    return conn


#: How long a writer waits for another connection's write transaction before ``registry_busy``.
BUSY_TIMEOUT_MS = 5000
#: Execution option: begin the transaction with BEGIN IMMEDIATE (see ``open_engine``).
BEGIN_IMMEDIATE = "fanguai_begin_immediate"


# Primary SQLite result codes (the low byte of extended codes) that mean "the disk said no", not "a bug".
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 8, 10, 11, 13, 14, 26
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def sqlite_error_to_registry_error(exc: BaseException) -> RegistryError | None:
    """A typed error for a full disk, read-only media, I/O failure or a damaged file; None for anything else."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return RegistryError("registry_busy")
    if primary == _SQLITE_FULL:
        return RegistryError("disk_full")
    if primary == _SQLITE_READONLY:
        return RegistryError("read_only")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return RegistryError("database_corrupt", file=DB_FILE)
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return RegistryError("disk_io_error")
    return None


def open_engine(path: Path, key: bytes, *, readonly: bool = False, echo: bool = False) -> Engine:
    if len(key) != 32:
        raise ValueError("database key must be 32 bytes")
    cache_kib = page_cache_kib(path)
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3.dbapi2,
        creator=lambda: _keyed_connection(path, key, readonly, cache_kib),
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
        # A unit of work that will write starts with BEGIN IMMEDIATE (Registry.transaction): it waits for the
        # write lock up to the busy timeout *before* reading.  A deferred BEGIN that reads first and writes
        # later fails at once with SQLITE_BUSY when another connection committed in between (its snapshot is
        # stale), and no timeout helps.
        immediate = conn.get_execution_options().get(BEGIN_IMMEDIATE) and not readonly
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    # A failed write (full disk, read-only media) or a damaged page becomes a typed error the UI can explain;
    # SQLite has rolled the statement back and the caller's transaction rolls back as usual.
    @event.listens_for(engine, "handle_error")
    def _typed_errors(context: Any) -> None:
        mapped = sqlite_error_to_registry_error(context.original_exception)
        if mapped is not None and mapped.code == "read_only" and _disk_is_full(path):
            mapped = RegistryError("disk_full", dir=str(path.parent))  # opened read-only because the disk is full
        if mapped is not None:
            log.warning("database error %s mapped to %s", type(context.original_exception).__name__, mapped.code)
            raise mapped from context.original_exception

    return engine


# ANALYZE reads at most this many rows of each index (SQLite's approximate analysis): seconds become tens of
# milliseconds on a county's registry, and the planner's estimates are as good for our queries.
ANALYSIS_LIMIT = 1000


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner current statistics (``sqlite_stat1``) after bulk changes — import, demo data,
    a migration — so that it keeps choosing the covering indexes the counts were designed for."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    except RegistryError as exc:  # a full disk must not turn a finished import into a failure
        log.warning("statistics not refreshed: %s", exc.code)


def optimize(engine: Engine) -> None:
    """SQLite's periodic upkeep (``PRAGMA optimize``: re-analyses only tables whose statistics went stale),
    run when a registry is closed, as SQLite recommends for short-lived applications."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()
    except RegistryError as exc:
        log.warning("optimize skipped: %s", exc.code)


def cipher_integrity_problems(engine: Engine) -> list[str]:
    """SQLCipher's check of every page's HMAC: no rows when the file is intact."""
    with engine.connect() as conn:
        return [str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()]


def cipher_version(engine: Engine) -> str:
    with engine.connect() as conn:
        row = conn.exec_driver_sql("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row else "unknown"
