"""Process hardening: no core dumps, key material wiped where Python allows (docs/security-model.md).

Called first thing by the CLI and the GUI.  A crash must not leave a core file holding the database key
and every name shown on screen (systemd-coredump and apport keep cores by default):

* Linux: ``RLIMIT_CORE`` = 0 and ``prctl(PR_SET_DUMPABLE, 0)`` (no core, no ptrace by other processes
  of the same user, /proc/<pid>/mem unreadable to them);
* macOS / other POSIX: ``RLIMIT_CORE`` = 0;
* Windows: ``SetErrorMode`` without the fault dialog, and the executable excluded from Windows Error
  Reporting (``WerAddExcludedApplication``), so WER writes no dump.

What Python cannot promise, said plainly: ``bytes`` and ``str`` are immutable and copied freely (by
SQLAlchemy, the SQLCipher key pragma, ``cryptography``), and the allocator may keep freed copies; we wipe
the key buffers we own (:func:`wipe`) and ``mlock`` them as a best effort (:func:`lock_in_memory`), but
other copies may remain in the process until it exits.  Swap is protected only if the OS encrypts it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
SEM_FAILCRITICALERRORS = 0x0001
SEM_NOGPFAULTERRORBOX = 0x0002

_done: list[str] | None = None


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def harden_process() -> list[str]:
    """Apply what this platform offers; returns what was applied (for `doctor` and the tests)."""
    global _done
    if _done is not None:
        return _done
    applied: list[str] = []
    if sys.platform != "win32":
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            applied.append("rlimit_core_0")
        except (ImportError, ValueError, OSError):
            log.warning("could not disable core dumps (RLIMIT_CORE)")
        if sys.platform.startswith("linux"):
            libc = _libc()
            if libc is not None and libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0:
                applied.append("not_dumpable")
            else:
                log.warning("prctl(PR_SET_DUMPABLE, 0) failed")
    else:  # pragma: no cover - Windows only
        try:
            kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
            kernel32.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)
            applied.append("no_fault_dialog")
        except (OSError, AttributeError):
            pass
        try:
            wer = ctypes.WinDLL("wer")  # type: ignore[attr-defined,unused-ignore]
            if wer.WerAddExcludedApplication(ctypes.c_wchar_p(sys.executable), False) == 0:
                applied.append("wer_excluded")
        except (OSError, AttributeError):
            log.warning("could not exclude the program from Windows Error Reporting")
    _done = applied
    return applied


def is_dumpable() -> bool | None:
    """Linux: the process's dumpable flag (False after :func:`harden_process`); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    libc = _libc()
    if libc is None:
        return None
    return bool(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))


def lock_in_memory(buffer: bytearray) -> bool:
    """Best effort: keep ``buffer`` out of swap (``mlock``).  False if the OS refused (e.g. RLIMIT_MEMLOCK)."""
    if not buffer or sys.platform == "win32":
        return False
    libc = _libc()
    if libc is None:
        return False
    address = ctypes.addressof((ctypes.c_char * len(buffer)).from_buffer(buffer))
    return bool(libc.mlock(ctypes.c_void_p(address), ctypes.c_size_t(len(buffer))) == 0)


def wipe(buffer: bytearray | None) -> None:
    """Overwrite a key buffer we own with zeros (the caller must not use it afterwards)."""
    if buffer:
        ctypes.memset((ctypes.c_char * len(buffer)).from_buffer(buffer), 0, len(buffer))
