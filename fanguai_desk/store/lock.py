"""One writer per registry: an OS-level lock on ``DATA_DIR/registry.lock`` held while the registry is open.

The operating system drops the lock when the process ends, however it ends (a crash, SIGKILL, the task
manager), so a crashed app never leaves the registry marked "in use".  A second app instance gets
``RegistryError("registry_in_use")``; it may still open the registry read-only if it asks for that
explicitly (read-only opens take no lock: SQLite's own locking keeps their view consistent).

Within one process, opening the same registry twice (a second signed-in user, tests) shares the one lock:
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


@dataclass
class _Held:
    fd: int
    users: int = 1


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
        with _guard:
            held = _held.get(key)
            if held is not None:
                os.close(fd)
                held.users += 1
                return cls(path, key)
            if not _try_lock(fd):
                os.close(fd)
                raise RegistryError("registry_in_use", dir=str(data_dir))
            _held[key] = _Held(fd)
        return cls(path, key)

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
            del _held[key]
            with contextlib.suppress(OSError):
                _unlock(held.fd)
            os.close(held.fd)


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
