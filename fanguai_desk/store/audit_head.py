"""The audit head kept outside the database, so that an older ``registry.db`` is not used silently.

The audit chain (store/audit.py) finds entries edited, removed or re-ordered *inside* one database, and its
head in ``registry_meta`` finds entries cut off the end.  Neither can tell that the whole file was replaced
by an older copy of itself (a file copied back from a USB stick, a lost ``-wal`` file): the older copy is a
perfectly consistent database.  So the head is also written to ``DATA_DIR/audit-head.json``::

    {"format": 1, "registry_id": …, "seq": N, "hash": <entry N's chain hash>, "mac": …, "mac_next": …}

* ``mac`` is HMAC-SHA256 over the canonical JSON of (format, registry_id, seq, hash) under a key derived
  from the database key with HKDF-SHA256 (RFC 5869; ``info`` names this use and the registry).  Without the
  database key nobody can write a head the registry believes; a head that does not verify is reported as
  "not authentic" and never used as the reference.
* It is rewritten after every commit that advanced the audit chain (the database commits first, so the file
  can lag behind the database after a crash, never run ahead of it).  Writes are atomic (temporary file,
  fsync, rename); the directory is not fsynced on every commit — a rename lost in a crash only leaves the
  head one step behind, which is the safe direction.
* During a re-key (store/rekey.py) the file carries ``mac_next`` under the next key as well, written before
  the database is re-encrypted; whichever key the database answers to afterwards verifies it.
* At every open the database is compared with the head: the entry at ``seq`` must be there with that hash.
  A database whose chain stops before it is **older** (``behind``: ``seq - newest`` entries missing); one whose
  entry ``seq`` has another hash is an older copy that has been written to since (``diverged``).  A writable
  open refuses both (``registry_rolled_back``) until the user either puts the newer file back or accepts the
  older copy deliberately (``doctor --accept-older``: audited, and a new delivery epoch so no bundle number is
  ever reused).  Read-only opens go ahead with the warning.
* ``registry_meta`` key ``audit_head_outside`` records that the file exists, so a deleted head file is noticed.

What this cannot catch: an older database copied back *together with* the head file of its time, or a head
forged by someone holding a password (they hold the database key).  See docs/security-model.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanguai_desk.store.models import AuditEntry

HEAD_FILE = "audit-head.json"
HEAD_FORMAT = 1
MARK_KEY = "audit_head_outside"

log = logging.getLogger(__name__)


def head_key(database_key: bytes, registry_id: str) -> bytes:
    """The head's MAC key: HKDF-SHA256 of the database key, bound to this use and this registry."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"fanguai-audit-head/v{HEAD_FORMAT}/{registry_id}".encode()).derive(database_key)


@dataclass(frozen=True)
class Head:
    registry_id: str
    seq: int
    hash: str

    def body(self) -> bytes:
        return json.dumps([HEAD_FORMAT, self.registry_id, self.seq, self.hash], separators=(",", ":")).encode()

    def mac(self, key: bytes) -> str:
        return hmac.new(key, self.body(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HeadRead:
    """What the head file says: ``status`` "ok" (``head`` set), "missing" or "invalid" (damaged or forged)."""

    status: str
    head: Head | None = None


def _parse(data: bytes) -> tuple[Head, dict[str, Any]]:
    doc = json.loads(data.decode("utf-8"))
    if doc.get("format") != HEAD_FORMAT:
        raise ValueError("format")
    return Head(str(doc["registry_id"]), int(doc["seq"]), str(doc["hash"])), doc


def read_head(data_dir: Path, key: bytes) -> HeadRead:
    path = data_dir / HEAD_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return HeadRead("missing")
    except OSError:
        return HeadRead("invalid")
    try:
        head, doc = _parse(data)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return HeadRead("invalid")
    expected = head.mac(key)
    for name in ("mac", "mac_next"):
        given = doc.get(name)
        if isinstance(given, str) and hmac.compare_digest(given, expected):
            return HeadRead("ok", head)
    return HeadRead("invalid")


def write_head(data_dir: Path, head: Head, key: bytes, next_key: bytes | None = None, *,
               durable: bool = False) -> None:
    """Atomically replace the head file (raises OSError; callers decide whether that matters)."""
    doc: dict[str, Any] = {"format": HEAD_FORMAT, "registry_id": head.registry_id, "seq": head.seq,
                           "hash": head.hash, "mac": head.mac(key)}
    if next_key is not None:
        doc["mac_next"] = head.mac(next_key)
    data = json.dumps(doc, sort_keys=True).encode("utf-8")
    path = data_dir / HEAD_FILE
    fd, tmp_name = tempfile.mkstemp(prefix=f".{HEAD_FILE}.", suffix=".tmp", dir=data_dir)
    try:
        with contextlib.suppress(AttributeError, OSError):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if durable:
        from fanguai_desk.store.atomic import fsync_dir

        fsync_dir(data_dir)


def database_head(s: Session, registry_id: str) -> Head:
    row = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    from fanguai_desk.store.audit import GENESIS

    return Head(registry_id, int(row[0]), str(row[1])) if row else Head(registry_id, 0, GENESIS)


@dataclass(frozen=True)
class RollbackCheck:
    """The database against the head recorded outside it.

    ``status``: "ok" · "behind" (older database: entries missing) · "diverged" (an older copy written to since)
    · "head_missing" (the file was removed although this registry keeps one) · "head_invalid" (damaged or not
    made with this registry's key) · "untracked" (a registry from before the head file: it starts now).
    """

    status: str
    recorded_seq: int | None
    database_seq: int

    @property
    def rolled_back(self) -> bool:
        return self.status in ("behind", "diverged")

    @property
    def missing(self) -> int:
        """How many audit entries the database lacks (for "diverged": at least the ones written since)."""
        if self.recorded_seq is None:
            return 0
        return max(self.recorded_seq - self.database_seq, 0) if self.status == "behind" else max(
            self.recorded_seq - self.database_seq, 1)

    @property
    def warning(self) -> bool:
        return self.status in ("head_missing", "head_invalid")

    def params(self) -> dict[str, Any]:
        return {"missing": self.missing, "recorded": self.recorded_seq or 0, "found": self.database_seq}


def compare(s: Session, data_dir: Path, key: bytes, registry_id: str) -> RollbackCheck:
    """Compare the keyed database (``s``) with the head file."""
    from fanguai_desk.store.models import RegistryMeta

    current = database_head(s, registry_id)
    read = read_head(data_dir, key)
    if read.status != "ok" or read.head is None:
        tracked = s.get(RegistryMeta, MARK_KEY) is not None
        if read.status == "missing":
            return RollbackCheck("head_missing" if tracked else "untracked", None, current.seq)
        return RollbackCheck("head_invalid", None, current.seq)
    recorded = read.head
    if recorded.registry_id != registry_id:
        return RollbackCheck("head_invalid", None, current.seq)
    if current.seq < recorded.seq:
        return RollbackCheck("behind", recorded.seq, current.seq)
    at = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == recorded.seq)) if recorded.seq else None
    if recorded.seq and at != recorded.hash:
        return RollbackCheck("diverged", recorded.seq, current.seq)
    return RollbackCheck("ok", recorded.seq, current.seq)


def newest_seq(s: Session) -> int:
    return int(s.scalar(select(func.max(AuditEntry.seq))) or 0)


class HeadKeeper:
    """Writes the head after each commit that advanced the chain (one per open registry, thread-safe)."""

    def __init__(self, data_dir: Path, registry_id: str, key: bytes) -> None:
        self.data_dir = data_dir
        self.registry_id = registry_id
        self._key = key
        self._written = -1
        self._pending: Head | None = None
        self._guard = threading.Lock()

    def rekeyed(self, key: bytes) -> None:
        with self._guard:
            self._key = key

    def advanced(self, seq: int, digest: str) -> None:
        """The chain committed up to (seq, digest).  A failed write (full disk) is retried at the next commit:
        until then the file lags, which is never mistaken for a rollback."""
        with self._guard:
            if seq <= self._written:
                return
            head = Head(self.registry_id, seq, digest)
            try:
                write_head(self.data_dir, head, self._key)
            except OSError as exc:
                self._pending = head
                log.warning("audit head not written (%s); retried at the next commit", type(exc).__name__)
                return
            self._written, self._pending = seq, None

    def write_now(self, head: Head) -> None:
        """Write ``head`` whatever was written before (open, accepting an older copy); durable."""
        with self._guard:
            write_head(self.data_dir, head, self._key, durable=True)
            self._written, self._pending = head.seq, None


def rewrap(data_dir: Path, registry_id: str, old_key: bytes, new_key: bytes, *, keep_old: bool) -> None:
    """During a re-key: re-authenticate the head under ``new_key`` (and still ``old_key`` while ``keep_old``).
    A head that does not verify under either is left as it is (the open reports it)."""
    read = read_head(data_dir, head_key(old_key, registry_id))
    if read.head is None:
        read = read_head(data_dir, head_key(new_key, registry_id))
    if read.head is None:
        return
    new = head_key(new_key, registry_id)
    if keep_old:
        write_head(data_dir, read.head, head_key(old_key, registry_id), next_key=new, durable=True)
    else:
        write_head(data_dir, read.head, new, durable=True)
