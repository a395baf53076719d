"""Plaintext copies of attachments opened in another program live in private temporary folders named
``EXTERNAL_PREFIX…`` (``services/attachments.ExternalCopies``).  Here only what start-up needs to remove the
folders a crashed session left behind — standard library only, so the sign-in window does not wait for the
database layer to load."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

EXTERNAL_PREFIX = "fanguai-open-"


def owned(path: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or path.stat().st_uid == getuid()


def wipe_folder(folder: Path) -> None:
    """Overwrite every file with zeros (fsync), then delete the folder."""
    for path in folder.rglob("*"):
        if path.is_file():
            with contextlib.suppress(OSError):
                size = path.stat().st_size
                with path.open("r+b") as fh:
                    fh.write(b"\0" * size)
                    fh.flush()
                    os.fsync(fh.fileno())
    shutil.rmtree(folder, ignore_errors=True)


def remove_stale(base: Path | None = None) -> int:
    """Folders left behind by a session that crashed (called at start-up)."""
    root = Path(base or tempfile.gettempdir())
    removed = 0
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if entry.name.startswith(EXTERNAL_PREFIX) and entry.is_dir() and owned(entry):
                wipe_folder(entry)
                removed += 1
    return removed
