"""One registry = one data directory: the encrypted database, its key slots, and nothing else.

    DATA_DIR/registry.db           SQLCipher 4 database (+ -wal, -shm, encrypted page by page)
    DATA_DIR/keyslots.json         wrapped database key, one slot per user (no personal data)
    DATA_DIR/keyslots.json.bak     copy of the slots, to fall back on if the main file is damaged
    DATA_DIR/unlock-throttle.json  failed-unlock counter (no personal data)

There are deliberately no log files: operational logging goes to stderr and carries only record ids;
what must be kept (who did what) is the audit log inside the encrypted database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store import audit, history
from fanguai_desk.store.engine import DB_FILE, cipher_version, open_engine
from fanguai_desk.store.keyslots import (
    SLOTS_BACKUP_FILE,
    SLOTS_FILE,
    THROTTLE_FILE,
    KeySlotStore,
    SlotsFile,
    UnlockedSecrets,
    random_id,
)
from fanguai_desk.store.models import RegistryMeta
from fanguai_desk.store.schema import ensure_schema


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("fanguai_desk", appauthor=False))


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

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / DB_FILE).exists() or KeySlotStore(data_dir).exists()

    @classmethod
    def create_files(cls, data_dir: Path, database_key: bytes) -> Registry:
        """Create an empty, migrated database keyed with ``database_key``.  Slots are the caller's job."""
        if cls.exists(data_dir):
            raise RegistryError("registry_exists")
        data_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(data_dir, 0o700)
        slots = SlotsFile(installation_id=random_id(), registry_id=random_id())
        return cls._open(data_dir, database_key, slots, KeySlotStore(data_dir))

    @classmethod
    def open(cls, data_dir: Path, secrets: UnlockedSecrets) -> Registry:
        store = KeySlotStore(data_dir)
        if not (data_dir / DB_FILE).exists():
            raise RegistryError("database_missing", file=DB_FILE)
        return cls._open(data_dir, secrets.database_key, store.load(), store)

    @classmethod
    def _open(cls, data_dir: Path, key: bytes, slots: SlotsFile, store: KeySlotStore) -> Registry:
        engine = open_engine(data_dir / DB_FILE, key)
        try:
            revision = ensure_schema(engine)
            reg = cls(data_dir, engine, slots.registry_id, slots.installation_id, revision, store)
            with reg.session(user_id=None) as s, s.begin():
                stored = s.get(RegistryMeta, "registry_id")
                if stored is None:
                    s.add(RegistryMeta(key="registry_id", value=slots.registry_id))
                elif stored.value != slots.registry_id:
                    raise RegistryError("slots_mismatch")
            return reg
        except BaseException:
            engine.dispose()
            raise

    def session(self, user_id: str | None, *, record_history: bool = True) -> Session:
        """A unit-of-work session that stamps authorship and history on everything it flushes."""
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            history.install(self._sessions)

            @event.listens_for(self._sessions, "after_rollback")
            def _forget(session: Session) -> None:
                audit.forget_cached_head(session)

            @event.listens_for(self._sessions, "after_commit")
            def _forget_after_commit(session: Session) -> None:
                audit.forget_cached_head(session)

        s = self._sessions()
        s.info[history.ACTOR_KEY] = history.Stamp(user_id, self.installation_id, record_history)
        return s

    @contextlib.contextmanager
    def transaction(self, user_id: str | None) -> Iterator[Session]:
        with self.session(user_id) as s, s.begin():
            yield s

    def meta(self, key: str) -> str | None:
        with self.session(None) as s:
            row = s.get(RegistryMeta, key)
            return row.value if row else None

    def cipher_version(self) -> str:
        return cipher_version(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def remove_files(self) -> None:
        """Delete this registry's files (only used to undo a creation that failed half-way)."""
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", SLOTS_FILE, SLOTS_BACKUP_FILE, THROTTLE_FILE):
            with contextlib.suppress(FileNotFoundError):
                (self.data_dir / name).unlink()
