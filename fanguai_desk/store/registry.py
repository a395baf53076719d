"""One registry = one data directory: the encrypted database, its key slots, and nothing else.

    DATA_DIR/registry.db           SQLCipher 4 database (+ -wal, -shm, encrypted page by page)
    DATA_DIR/keyslots.json         wrapped database key, one slot per user (no personal data)
    DATA_DIR/keyslots.json.bak     copy of the slots, to fall back on if the main file is damaged
    DATA_DIR/unlock-throttle.json  failed-unlock counter (no personal data)
    DATA_DIR/registry.lock         held (OS lock) by the one process writing the registry (store/lock.py)
    DATA_DIR/audit-head.json       the audit chain's head, authenticated, to notice an older registry.db
                                   copied back (store/audit_head.py)
    DATA_DIR/audit-pending.json    reserved blank space for the audit entries of a session on a full disk
                                   (store/pending_audit.py)
    DATA_DIR/.creating             present only while a registry is being created; a creation that died
                                   half-way (no slots were ever written) is cleaned up by the next one

There are deliberately no log files: operational logging goes to stderr and carries only record ids;
what must be kept (who did what) is the audit log inside the encrypted database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store import audit, audit_head, closed_files, history, pending_audit
from fanguai_desk.store.atomic import atomic_write_bytes, fsync_dir
from fanguai_desk.store.engine import (
    BEGIN_IMMEDIATE,
    DB_FILE,
    cipher_integrity_problems,
    cipher_version,
    open_engine,
    optimize,
)
from fanguai_desk.store.keyslots import (
    SLOTS_BACKUP_FILE,
    SLOTS_FILE,
    THROTTLE_FILE,
    KeySlotStore,
    SlotsFile,
    UnlockedSecrets,
    random_id,
)
from fanguai_desk.store.lock import LOCK_FILE, RegistryLock
from fanguai_desk.store.models import RegistryMeta
from fanguai_desk.store.presence import CREATING_MARKER, creation_died, registry_present
from fanguai_desk.store.presence import default_data_dir as default_data_dir
from fanguai_desk.store.schema import current_revision, ensure_schema, head_revision, known_revisions

log = logging.getLogger(__name__)


def check_schema_readonly(engine: Engine) -> str:
    """For a read-only open: the registry must already be at this program's head (nothing can be migrated)."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise RegistryError("schema_newer", found=current, supported=head_revision())
    if current != head_revision():
        raise RegistryError("schema_needs_upgrade", found=str(current))
    return head_revision()


FULL_PAGE_CHECK_MAX_BYTES = 160 * 1024 * 1024


@dataclass
class Registry:
    """An unlocked registry: engine + ids.  Knows nothing about users' roles (that is services/)."""

    data_dir: Path
    engine: Engine
    registry_id: str
    installation_id: str
    schema_revision: str
    slots: KeySlotStore

    _sessions: sessionmaker[Session] | None = None
    readonly: bool = False
    _lock: RegistryLock | None = None
    _head: audit_head.HeadKeeper | None = None
    #: Opened read-only because the disk is full (``Desk.unlock``): views are recorded in store/pending_audit.py.
    disk_full: bool = False
    #: The database against the audit head kept outside it, as found at open (store/audit_head.py).
    rollback: audit_head.RollbackCheck | None = None
    #: The connection ``reader`` holds, and the thread it belongs to.
    _held: _HeldReader | None = None

    @staticmethod
    def _creation_died(data_dir: Path) -> bool:
        return creation_died(data_dir)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return registry_present(data_dir)

    @staticmethod
    def check_openable(data_dir: Path) -> None:
        """Explain why a data directory cannot be unlocked, before anyone types a password in vain."""
        if KeySlotStore(data_dir).exists():
            return
        if (data_dir / CREATING_MARKER).exists():
            raise RegistryError("registry_incomplete", dir=str(data_dir))
        if (data_dir / DB_FILE).exists():
            raise RegistryError("slots_missing", file=SLOTS_FILE, dir=str(data_dir))
        raise RegistryError("registry_missing")

    @classmethod
    def create_files(cls, data_dir: Path, database_key: bytes) -> Registry:
        """Create an empty, migrated database keyed with ``database_key``.  Slots are the caller's job,
        and so is :meth:`finish_creation` once they are saved."""
        if cls.exists(data_dir):
            raise RegistryError("registry_exists")
        if cls._creation_died(data_dir):
            # Its key was never written anywhere, so nothing in it could ever be read: start over.
            cls._remove_known_files(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(data_dir, 0o700)
        atomic_write_bytes(data_dir / CREATING_MARKER, b"")
        slots = SlotsFile(installation_id=random_id(), registry_id=random_id())
        return cls._open(data_dir, database_key, slots, KeySlotStore(data_dir), verify_pages=False)

    def finish_creation(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / CREATING_MARKER).unlink()
        fsync_dir(self.data_dir)

    @classmethod
    def open(cls, data_dir: Path, secrets: UnlockedSecrets, *, readonly: bool = False,
             verify_pages: bool = True, accept_older: bool = False) -> Registry:
        """Open for writing (one process at a time: RegistryError("registry_in_use") otherwise) or, when
        asked explicitly, read-only.  Every page's HMAC is checked first unless ``verify_pages`` is False."""
        store = KeySlotStore(data_dir)
        if not (data_dir / DB_FILE).exists():
            raise RegistryError("database_missing", file=DB_FILE)
        if (data_dir / DB_FILE).stat().st_size == 0:  # never replaced by a fresh registry: restore instead
            raise RegistryError("database_empty", file=DB_FILE)
        return cls._open(data_dir, secrets.database_key, store.load(), store, readonly=readonly,
                         verify_pages=verify_pages, accept_older=accept_older, user_id=secrets.user_id)

    @classmethod
    def _open(cls, data_dir: Path, key: bytes, slots: SlotsFile, store: KeySlotStore, *,
              readonly: bool = False, verify_pages: bool = True, accept_older: bool = False,
              user_id: str | None = None) -> Registry:
        lock = None if readonly else RegistryLock.acquire(data_dir)
        try:
            engine = open_engine(data_dir / DB_FILE, key, readonly=readonly)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        try:
            # A damaged page fails here, with the file named, instead of deep inside some later query.
            # The check reads every page: ~0.3 s for a 10,000-file registry of 110 MB, but ~6 s for a
            # county's 100,000 files (1 GB, see the benchmark), too long for every unlock.  Above
            # FULL_PAGE_CHECK_MAX_BYTES it is left to `doctor` (and the UI's background check); SQLCipher
            # still verifies each page's HMAC whenever it is read, so a damaged page is never used silently
            # — it surfaces as RegistryError("database_corrupt") where it is read.
            if verify_pages and (data_dir / DB_FILE).stat().st_size <= FULL_PAGE_CHECK_MAX_BYTES \
                    and cipher_integrity_problems(engine):
                raise RegistryError("database_corrupt", file=DB_FILE)
            if not (data_dir / CREATING_MARKER).exists():
                with engine.connect() as conn:
                    tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                if not tables:  # an empty database beside key slots: never silently made a new registry
                    raise RegistryError("database_empty", file=DB_FILE)
            revision = check_schema_readonly(engine) if readonly else ensure_schema(engine)
            if not readonly:
                # SQLite creates its files with the process umask (often 0644): like everything else in the
                # data directory they are the owner's only.
                for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
                    with contextlib.suppress(OSError):
                        os.chmod(data_dir / name, 0o600)
            if lock is not None:
                lock.lock_database()
            reg = cls(data_dir, engine, slots.registry_id, slots.installation_id, revision, store,
                      readonly=readonly, _lock=lock)
            head_key = audit_head.head_key(key, slots.registry_id)
            with reg.session(user_id=None) as s, s.begin():
                stored = s.get(RegistryMeta, "registry_id")
                if stored is None and not readonly:
                    s.add(RegistryMeta(key="registry_id", value=slots.registry_id))
                elif stored is not None and stored.value != slots.registry_id:
                    raise RegistryError("slots_mismatch")
                reg.rollback = audit_head.compare(s, data_dir, head_key, slots.registry_id)
                if reg.rollback.rolled_back and not readonly:
                    if not accept_older:
                        raise RegistryError(f"registry_rolled_back_{reg.rollback.status}", dir=str(data_dir),
                                            **reg.rollback.params())
                    reg._accept_older(s, reg.rollback, user_id)
            if not readonly:
                reg._head = audit_head.HeadKeeper(data_dir, slots.registry_id, head_key)
                reg._settle_head()
                if not (data_dir / CREATING_MARKER).exists():
                    reg._clean_leftovers()
            return reg
        except BaseException:
            engine.dispose()
            if lock is not None:
                lock.release()
            raise

    def _accept_older(self, s: Session, check: audit_head.RollbackCheck, user_id: str | None) -> None:
        """The user chose to go on with an older copy (``doctor --accept-older``): like a restore, later changes
        are numbered in a new delivery epoch (no bundle number is reused) and the choice is audited."""
        from fanguai_desk.domain.enums import AuditAction
        from fanguai_desk.store.journal import start_new_epoch

        start_new_epoch(s)
        audit.append(s, action=AuditAction.RESTORE, user_id=user_id, installation_id=self.installation_id,
                     record_type="registry", record_id=self.registry_id,
                     detail={"older_copy_accepted": check.status, **check.params()})

    def _settle_head(self) -> None:
        """After a writable open: the head file names the database's head, and the database records that
        the file is kept (so a deleted file is noticed).  The file first: a crash in between is harmless."""
        assert self._head is not None
        pending_audit.reserve(self.data_dir)  # room for a later session's audit entries on a full disk
        with self.session(None) as s:
            current = audit_head.database_head(s, self.registry_id)
            marked = s.get(RegistryMeta, audit_head.MARK_KEY) is not None
        if not (self.rollback is not None and self.rollback.status == "ok"
                and self.rollback.recorded_seq == current.seq):
            try:
                self._head.write_now(current)
            except OSError as exc:  # a full disk: the file lags, which is never taken for a rollback
                log.warning("audit head not written at open (%s)", type(exc).__name__)
                return
        if not marked:
            with contextlib.suppress(RegistryError), self.session(None) as s, s.begin():
                s.merge(RegistryMeta(key=audit_head.MARK_KEY, value="1"))

    def _clean_leftovers(self) -> None:
        """Under the lock: what a crash left behind goes (store/hygiene.py).  Never fatal to the open."""
        from fanguai_desk.store import hygiene

        try:
            with self.session(None) as s:
                hygiene.clean(self.data_dir, hygiene.backup_folders(self.data_dir, s))
                hygiene.prune_orphan_slots(self.slots, s)
        except (RegistryError, OSError) as exc:
            log.warning("leftovers not cleaned: %s", type(exc).__name__)

    def session(self, user_id: str | None, *, record_history: bool = True) -> Session:
        """A unit-of-work session that stamps authorship and history on everything it flushes."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            history.install(self._sessions)
            closed_files.install(self._sessions)

            @event.listens_for(self._sessions, "after_rollback")
            def _forget(session: Session) -> None:
                audit.forget_cached_head(session)

            @event.listens_for(self._sessions, "after_commit")
            def _forget_after_commit(session: Session) -> None:
                if session.in_nested_transaction():
                    # A savepoint (SQLAlchemy fires after_commit for those too): the outer transaction may
                    # still roll back, so nothing is committed yet (a ledger dry run wrote a head ahead of
                    # the database, and the next sign-in refused the registry as rolled back).
                    return
                committed = audit.committed_head(session)
                audit.forget_cached_head(session)
                if committed is not None and self._head is not None:
                    self._head.advanced(*committed)

        s = self._sessions()
        s.info[history.ACTOR_KEY] = history.Stamp(user_id, self.installation_id, record_history)
        return s

    @contextlib.contextmanager
    def transaction(self, user_id: str | None) -> Iterator[Session]:
        """A unit of work that writes: BEGIN IMMEDIATE, so a second writer in this process waits for the first
        (up to engine.BUSY_TIMEOUT_MS, then ``registry_busy``) instead of failing on a stale snapshot."""
        with self.session(user_id) as s, s.begin():
            if not self.readonly:
                s.connection(execution_options={BEGIN_IMMEDIATE: True})
            yield s

    def reader(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection for reads of plain rows on the connection's own cursor (``services/prepared.plain_rows``),
        held open for the registry's whole life by the thread that first reads (the UI's one worker thread):
        checking a connection out of the pool and resetting it on return (a rollback) cost more than the SQL of
        a one-row search.  Nothing on it begins a transaction: each statement is its own read, so it sees every
        commit made before it, on any connection, and keeps no snapshot that would hold the write-ahead log
        back.  Another thread reads on a pooled connection, as before; a block that began a transaction on the
        held one anyway (or failed inside one) has it rolled back at its end.  ``close``, ``rekeyed`` and
        ``close_connections`` give it back."""
        held = self._held
        if held is None:
            with _TAKING_READER:  # two threads reading first at once: one of them takes it
                held = self._held
                if held is None:
                    held = self._held = _HeldReader(self, self.engine.connect(), threading.get_ident())
        if held.thread != threading.get_ident():
            return self.engine.connect()  # closed, back to the pool, at the end of the block
        return held

    def release_reader(self) -> None:
        """Give the held reader back, its page cache emptied first (up to ``engine.PAGE_CACHE_MAX_KIB``): before a
        transaction that sizes a large cache of its own (an import, ``engine.larger_page_cache``), so that the
        two never add up.  The next read takes a connection again."""
        held = self._held
        if held is not None:
            with contextlib.suppress(Exception):
                held.conn.exec_driver_sql("PRAGMA shrink_memory")
        self._drop_reader()

    def _drop_reader(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):  # a broken connection: the pool's dispose closes it anyway
                held.conn.close()

    def close_connections(self) -> None:
        """Close every connection to the database, the held reader's too (``PRAGMA rekey`` needs the only one)."""
        self._drop_reader()
        self.engine.dispose()

    def meta(self, key: str) -> str | None:
        with self.session(None) as s:
            row = s.get(RegistryMeta, key)
            return row.value if row else None

    def rekeyed(self, new_key: bytes) -> None:
        """After ``PRAGMA rekey`` (store/rekey.py): reconnect with the new key."""
        self.close_connections()
        self.engine = open_engine(self.data_dir / DB_FILE, new_key, readonly=self.readonly)
        self._sessions = None
        if self._head is not None:
            self._head.rekeyed(audit_head.head_key(new_key, self.registry_id))

    def cipher_version(self) -> str:
        return cipher_version(self.engine)

    def close(self) -> None:
        if not self.readonly:
            optimize(self.engine)
        self.close_connections()
        if self._lock is not None:
            self._lock.release()

    def remove_files(self) -> None:
        """Delete this registry's files (only used to undo a creation that failed half-way)."""
        self._remove_known_files(self.data_dir)

    @staticmethod
    def _remove_known_files(data_dir: Path) -> None:
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", SLOTS_FILE, SLOTS_BACKUP_FILE, THROTTLE_FILE,
                     LOCK_FILE, CREATING_MARKER, audit_head.HEAD_FILE, pending_audit.NOTE_FILE):
            with contextlib.suppress(FileNotFoundError):
                (data_dir / name).unlink()


_TAKING_READER = threading.Lock()


class _HeldReader:
    """``Registry.reader``'s block on the held connection (a class: this is on every list and search call)."""

    __slots__ = ("conn", "registry", "thread")

    def __init__(self, registry: Registry, conn: Connection, thread: int) -> None:
        self.registry, self.conn, self.thread = registry, conn, thread

    def __enter__(self) -> Connection:
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        if self.conn.in_transaction():
            try:
                self.conn.rollback()
            except BaseException:
                self.registry._drop_reader()  # a connection that cannot roll back is not kept
                raise
