"""One writer per registry: an OS-level lock on ``DATA_DIR/registry.lock`` held while the registry is open.

The operating system drops the lock when the process ends, however it ends (a crash, SIGKILL, the task
manager), so a crashed app never leaves the registry marked "in use".  A second app instance gets
``RegistryError("registry_in_use")``; it may still open the registry read-only if it asks for that
explicitly (read-only opens take no lock: SQLite's own locking keeps their view consistent).

The database file itself is locked too (``flock``, POSIX): deleting ``registry.lock`` does not let a second
writer in.  Within one process, opening the same registry twice (a second signed-in user, tests) shares the one lock:
SQLite serialises those connections itself.  The platform code is isolated in ``_try_lock``/``_unlock``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fanguai_desk.domain.errors import RegistryError

LOCK_FILE = "registry.lock"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _open_database(data_dir: Path) -> int | None:
    """A handle on ``registry.db`` to lock as well (POSIX only; None if there is no database yet).

    Deleting ``registry.lock`` would otherwise let a second writer in: it creates a new file and locks that.
    ``flock`` on the database file is independent of SQLite's own POSIX record locks on it (Linux, BSD, macOS),
    so the two never interfere.  On Windows a lock on the database's bytes would block SQLite's reads, so
    there the lock file alone is used."""
    if sys.platform == "win32":  # pragma: no cover
        return None
    try:
        return os.open(data_dir / "registry.db", os.O_RDONLY)
    except OSError:
        return None


@dataclass
class _Held:
    fd: int
    users: int = 1
    db_fd: int | None = None  # the database file, locked too where the platform allows (see acquire)
    db_key: tuple[int, int] | None = None


_held: dict[tuple[int, int], _Held] = {}
_guard = threading.Lock()


def os_error_to_registry_error(exc: OSError, data_dir: Path) -> RegistryError:
    """Map the OS's reasons a write cannot happen to stable codes the UI can explain."""
    if exc.errno == errno.ENOSPC:
        return RegistryError("disk_full", dir=str(data_dir))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return RegistryError("read_only_media", dir=str(data_dir))
    return RegistryError("disk_io_error", dir=str(data_dir))


@dataclass
class RegistryLock:
    """A held lock; :meth:`release` is idempotent."""

    path: Path
    _key: tuple[int, int] | None = field(default=None, repr=False)

    @classmethod
    def acquire(cls, data_dir: Path) -> RegistryLock:
        path = data_dir / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise os_error_to_registry_error(exc, data_dir) from exc
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino)
        db_fd = _open_database(data_dir)
        db_key = None
        if db_fd is not None:
            db_st = os.fstat(db_fd)
            db_key = (db_st.st_dev, db_st.st_ino)
        with _guard:
            held = _held.get(key) or next((h for h in _held.values() if db_key and h.db_key == db_key), None)
            if held is not None:  # this process holds it already (through this lock file or an earlier one)
                os.close(fd)
                if db_fd is not None:
                    os.close(db_fd)
                held.users += 1
                _held.setdefault(key, held)
                return cls(path, key)
            if not _try_lock(fd):
                os.close(fd)
                if db_fd is not None:
                    os.close(db_fd)
                raise RegistryError("registry_in_use", dir=str(data_dir))
            if db_fd is not None and not _try_lock(db_fd):
                # registry.lock was deleted while another process holds the registry: the database file's own
                # lock still says "in use".
                _unlock(fd)
                os.close(fd)
                os.close(db_fd)
                raise RegistryError("registry_in_use", dir=str(data_dir))
            _held[key] = _Held(fd, db_fd=db_fd, db_key=db_key)
        return cls(path, key)

    def lock_database(self) -> None:
        """Lock the database file too once it exists (a registry being created is locked before it does)."""
        if self._key is None:
            return
        with _guard:
            held = _held.get(self._key)
            if held is None or held.db_fd is not None:
                return
            db_fd = _open_database(self.path.parent)
            if db_fd is None:
                return
            if not _try_lock(db_fd):
                os.close(db_fd)
                raise RegistryError("registry_in_use", dir=str(self.path.parent))
            db_st = os.fstat(db_fd)
            held.db_fd, held.db_key = db_fd, (db_st.st_dev, db_st.st_ino)

    @property
    def held(self) -> bool:
        return self._key is not None

    def release(self) -> None:
        if self._key is None:
            return
        key, self._key = self._key, None
        with _guard:
            held = _held.get(key)
            if held is None:
                return
            held.users -= 1
            if held.users > 0:
                return
            for k in [k for k, h in _held.items() if h is held]:
                del _held[k]
            with contextlib.suppress(OSError):
                _unlock(held.fd)
            os.close(held.fd)
            if held.db_fd is not None:
                with contextlib.suppress(OSError):
                    _unlock(held.db_fd)
                os.close(held.db_fd)


def is_locked_elsewhere(data_dir: Path) -> bool:
    """True if another process holds the registry (used by doctor and the UI to explain a refusal)."""
    path = data_dir / LOCK_FILE
    if not path.exists():
        return False
    try:
        lock = RegistryLock.acquire(data_dir)
    except RegistryError as exc:
        return exc.code == "registry_in_use"
    lock.release()
    return False
