"""Audit entries of a session on a full disk, kept until the database can take them.

On a full disk the database cannot grow (SQLite cannot even create the ``-shm`` index a writable WAL open
needs), so a sign-in opens the registry read-only (``Desk.unlock``).  Reading must still be on the record:
every writable open reserves ``DATA_DIR/audit-pending.json``, a file of ``NOTE_BYTES`` blanks.  On a full disk
the sign-in and each file viewed or printed is written *in place* into that reserved file (overwriting bytes
already allocated needs no free space; nothing is created or extended).  The next writable sign-in copies the
entries into the hash-chained audit log — with their original time and ``deferred: "disk_full"`` — in the
same transaction as that sign-in, and blanks the note.  The note is authenticated (HMAC-SHA256 under an
HKDF-SHA256 key derived from the database key), so entries cannot be slipped in without the key; it holds
record ids and codes only, like the audit log.

When the note is missing, full or cannot be written, the view is refused with ``disk_full``: nothing is read
without being recorded somewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fanguai_desk.domain.errors import RegistryError

NOTE_FILE = "audit-pending.json"
NOTE_BYTES = 64 * 1024
APPLIED_KEY = "audit_pending_applied"  # registry_meta: the id of the last note copied into the audit log


def note_key(database_key: bytes, registry_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"fanguai-audit-pending/v1/{registry_id}".encode()).derive(database_key)


def _mac(key: bytes, note_id: str, entries: list[dict[str, Any]]) -> str:
    body = json.dumps([note_id, entries], sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def reserve(data_dir: Path) -> None:
    """At a writable open: make sure the blank note exists at full size (ignored if the disk says no)."""
    path = data_dir / NOTE_FILE
    with contextlib.suppress(OSError):
        if path.exists() and path.stat().st_size >= NOTE_BYTES:
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, b" " * NOTE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)


def read(data_dir: Path, key: bytes) -> tuple[str, list[dict[str, Any]]] | None:
    """(note id, entries) when the note holds authentic entries; None when blank, missing or not authentic."""
    try:
        text = (data_dir / NOTE_FILE).read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text:
        return None
    try:
        doc = json.loads(text)
        note_id, entries, mac = str(doc["id"]), list(doc["entries"]), str(doc["mac"])
    except (ValueError, KeyError, TypeError):
        return None
    if not hmac.compare_digest(mac, _mac(key, note_id, entries)):
        return None
    return note_id, entries


def _overwrite(data_dir: Path, data: bytes) -> None:
    """Write ``data`` over the reserved bytes, never beyond them (no allocation on a full disk)."""
    path = data_dir / NOTE_FILE
    if len(data) > NOTE_BYTES:
        raise RegistryError("disk_full", dir=str(data_dir))
    try:
        if path.stat().st_size < NOTE_BYTES:
            raise RegistryError("disk_full", dir=str(data_dir))
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RegistryError("disk_full", dir=str(data_dir)) from exc
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data.ljust(NOTE_BYTES, b" "))
        os.fsync(fd)
    except OSError as exc:
        raise RegistryError("disk_full", dir=str(data_dir)) from exc
    finally:
        os.close(fd)


def add(data_dir: Path, key: bytes, entry: dict[str, Any]) -> None:
    """Record one entry in the note, or raise ``disk_full`` (the caller then refuses what it was doing)."""
    current = read(data_dir, key)
    note_id, entries = current if current is not None else (str(uuid.uuid4()), [])
    entries = [*entries, entry]
    doc = {"id": note_id, "entries": entries, "mac": _mac(key, note_id, entries)}
    _overwrite(data_dir, json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def clear(data_dir: Path) -> None:
    with contextlib.suppress(RegistryError, OSError):
        _overwrite(data_dir, b"")
