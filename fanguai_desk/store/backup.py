"""Encrypted backups: one file holding a consistent snapshot of the registry and its key slots.

A backup is a ZIP with stored (uncompressed) members::

    manifest.json   format, registry id, schema revision, creation time and author (a user id), the
                    program version, and the size and SHA-256 of every other member — no personal data
    registry.db     the snapshot: a SQLCipher 4 database under the registry's own database key, made with
                    SQLite's online backup API between two keyed connections (a page-exact copy of one
                    committed state, taken while the app stays open)
    keyslots.json   the registry's key slots at that moment

Nothing here is home-made crypto: the snapshot is encrypted by SQLCipher exactly like the registry, and the
database key inside it is reachable only through the slots (Argon2id + AES-GCM), so the passwords that
open the registry open its backups.  The database key changes only when the registry is re-keyed
(store/rekey.py: user removal, a reset after a suspected compromise, ``rekey``), so a backup's slots open
the live registry if no re-key happened since: that is how a registry whose slots file and its copy are both
damaged gets back in (:func:`restore_slots`).  A backup taken before a re-key opens only its own old copy.  The manifest's hashes find accidental damage; SQLCipher's page HMACs and the
slots' GCM tags find tampering.

Every file is written atomically (temporary file, fsync, rename), so a crash or a full disk mid-backup
leaves the previous backups as they were and no half-written ``.fgbak``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets as pysecrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import sqlcipher3.dbapi2
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk import __version__
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.progress import Progress, Steps, one_step
from fanguai_desk.store import audit
from fanguai_desk.store.atomic import fsync_dir
from fanguai_desk.store.doctor import Check, count_files, database_checks
from fanguai_desk.store.engine import DB_FILE, open_engine, sqlite_error_to_registry_error
from fanguai_desk.store.journal import start_new_epoch
from fanguai_desk.store.keyslots import (
    SLOTS_BACKUP_FILE,
    SLOTS_FILE,
    KeySlotStore,
    SlotsFile,
    UnlockedSecrets,
)
from fanguai_desk.store.lock import RegistryLock, os_error_to_registry_error
from fanguai_desk.store.models import RegistryMeta
from fanguai_desk.store.registry import Registry
from fanguai_desk.store.schema import known_revisions

BACKUP_FORMAT = 1
BACKUP_KIND = "fanguai-desk-backup"
BACKUP_SUFFIX = ".fgbak"
MANIFEST = "manifest.json"
MEMBERS = (DB_FILE, SLOTS_FILE)
_CHUNK = 1 << 20



@dataclass(frozen=True)
class MemberInfo:
    sha256: str
    size: int


@dataclass(frozen=True)
class BackupManifest:
    registry_id: str
    installation_id: str
    schema_revision: str
    created_at: datetime  # UTC, naive like every stored time
    created_by: str | None
    program_version: str
    members: dict[str, MemberInfo]
    format: int = BACKUP_FORMAT
    sequence: int = 0  # 1, 2, 3 … per backup folder and registry: rotation keeps the highest (never by time)

    def to_bytes(self) -> bytes:
        doc = {
            "format": self.format, "kind": BACKUP_KIND, "registry_id": self.registry_id,
            "installation_id": self.installation_id, "schema_revision": self.schema_revision,
            "created_at": self.created_at.isoformat(timespec="seconds"), "created_by": self.created_by,
            "program_version": self.program_version, "sequence": self.sequence,
            "members": {k: {"sha256": v.sha256, "size": v.size} for k, v in sorted(self.members.items())},
        }
        return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, file: str) -> BackupManifest:
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("kind") != BACKUP_KIND:
                raise RegistryError("backup_unreadable", file=file)
            if doc.get("format") != BACKUP_FORMAT:
                raise RegistryError("backup_format_unknown", file=file, found=str(doc.get("format")))
            members = {str(k): MemberInfo(str(v["sha256"]), int(v["size"])) for k, v in doc["members"].items()}
            if set(members) != set(MEMBERS):
                raise RegistryError("backup_unreadable", file=file)
            return cls(registry_id=str(doc["registry_id"]), installation_id=str(doc["installation_id"]),
                       schema_revision=str(doc["schema_revision"]),
                       created_at=datetime.fromisoformat(doc["created_at"]),
                       created_by=doc.get("created_by"), program_version=str(doc.get("program_version", "")),
                       members=members, sequence=int(doc.get("sequence", 0)))
        except RegistryError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise RegistryError("backup_unreadable", file=file) from exc


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    created_at: datetime
    seconds: float
    removed: list[Path] = field(default_factory=list)  # older backups rotated out


def _sha256_file(path: Path, steps: Steps | None = None) -> MemberInfo:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
            if steps is not None:
                steps.add(len(chunk))
    return MemberInfo(h.hexdigest(), size)


def _keyed(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _by_message(exc: BaseException) -> RegistryError | None:
    """Connection.backup() raises without SQLite's error code; its messages are SQLite's fixed texts."""
    text = str(exc)
    if "disk is full" in text:
        return RegistryError("disk_full")
    if "readonly database" in text:
        return RegistryError("read_only")
    if "disk I/O error" in text:
        return RegistryError("disk_io_error")
    return None


@contextlib.contextmanager
def _disk_errors(directory: Path) -> Iterator[None]:
    """OS and SQLite write failures (full disk, read-only medium) as typed errors naming the folder."""
    try:
        yield
    except OSError as exc:
        raise os_error_to_registry_error(exc, directory) from exc
    except sqlcipher3.dbapi2.Error as exc:
        mapped = sqlite_error_to_registry_error(exc) or _by_message(exc)
        if mapped is None:
            raise
        if mapped.code in ("disk_full", "disk_io_error"):
            raise RegistryError(mapped.code, dir=str(directory)) from exc
        raise mapped from exc


@contextlib.contextmanager
def _private_tempdir(near: Path | None = None) -> Iterator[Path]:
    """A 0700 scratch folder (next to ``near`` when given, so a rename into place stays on one disk)."""
    path = Path(tempfile.mkdtemp(prefix=".fanguai-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _remove_stale_scratch(folder: Path, older_than: float = 3600.0) -> None:
    """Scratch folders of backups that were killed half-way (they hold only encrypted data)."""
    now = time.time()
    for p in folder.glob(".fanguai-*"):
        with contextlib.suppress(OSError):
            if p.is_dir() and now - p.stat().st_mtime > older_than:
                shutil.rmtree(p, ignore_errors=True)


SNAPSHOT_ATTEMPTS = 6


def snapshot_database(source_dbapi: Any, key: bytes, dest: Path) -> None:
    """Copy the open registry, as of one committed state, into ``dest`` under the same key.  A copy that meets
    another connection's write (SQLITE_BUSY / SQLITE_LOCKED) starts over, up to ``SNAPSHOT_ATTEMPTS`` times
    with a growing pause, so a backup taken while the app keeps writing still succeeds."""
    for attempt in range(SNAPSHOT_ATTEMPTS):
        target = _keyed(dest, key)
        try:
            source_dbapi.backup(target)  # one step: holds a read transaction, so the copy is consistent
            problems = target.execute("PRAGMA cipher_integrity_check").fetchall()
            if problems:
                raise RegistryError("database_corrupt", file=DB_FILE)
            return
        except sqlcipher3.dbapi2.OperationalError as exc:
            mapped = sqlite_error_to_registry_error(exc)
            busy = (mapped is not None and mapped.code == "registry_busy") or "locked" in str(exc)
            if not busy or attempt == SNAPSHOT_ATTEMPTS - 1:
                raise
        finally:
            target.close()
        with contextlib.suppress(FileNotFoundError):
            dest.unlink()
        time.sleep(0.05 * 2 ** attempt)


def write_backup(*, source_dbapi: Any, key: bytes, slots: SlotsFile, schema_revision: str, out: Path,
                 created_by: str | None, progress: Progress | None = None, sequence: int = 0) -> BackupResult:
    """Write a backup of the open registry to ``out`` (atomically; an existing file is replaced).

    ``progress`` (fanguai_desk/progress.py): ``backup_snapshot`` is one step (the copy is one step of SQLite's
    backup API, which is what keeps it consistent); ``backup_write`` counts the snapshot's bytes twice, as
    they are hashed and as they are written into the archive."""
    started = time.monotonic()
    out = out.expanduser()
    folder = out.parent
    created_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with _disk_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_scratch(folder)
        with _private_tempdir(folder) as scratch:
            step = one_step(progress, "backup_snapshot")
            db_path = scratch / DB_FILE
            snapshot_database(source_dbapi, key, db_path)
            step.finish()
            steps = Steps(progress, "backup_write", 2 * db_path.stat().st_size)
            slots_bytes = slots.to_bytes()
            (scratch / SLOTS_FILE).write_bytes(slots_bytes)
            manifest = BackupManifest(
                registry_id=slots.registry_id, installation_id=slots.installation_id,
                schema_revision=schema_revision, created_at=created_at, created_by=created_by,
                program_version=__version__,
                members={DB_FILE: _sha256_file(db_path, steps), SLOTS_FILE: _sha256_file(scratch / SLOTS_FILE)},
                sequence=sequence,
            )
            packed = scratch / "backup.zip"
            with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
                zf.writestr(MANIFEST, manifest.to_bytes())
                with db_path.open("rb") as src, zf.open(zipfile.ZipInfo.from_file(db_path, DB_FILE), "w",
                                                        force_zip64=True) as dst:
                    while chunk := src.read(_CHUNK):
                        dst.write(chunk)
                        steps.add(len(chunk))
                zf.writestr(SLOTS_FILE, slots_bytes)
            os.chmod(packed, 0o600)
            with packed.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(packed, out)
            fsync_dir(folder)
            steps.finish()
    return BackupResult(out, out.stat().st_size, created_at, time.monotonic() - started)


# ------------------------------------------------------------------------------------------------ rotation

_NAME = re.compile(r"^fanguai-(?P<reg>[0-9a-f]{8})-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.fgbak$")


def rotation_name(folder: Path, registry_id: str, when: datetime | None = None) -> Path:
    """``fanguai-<first 8 of registry id>-<local YYYYmmdd-HHMMSS>.fgbak``, unique in ``folder``."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    prefix = registry_id.replace("-", "")[:8]
    base = f"fanguai-{prefix}-{stamp}"
    # Several in one second: number them after the highest one there (rotation may have removed lower ones).
    taken = [int(m.group("n") or 1) for p in (folder.iterdir() if folder.is_dir() else [])
             if (m := _NAME.match(p.name)) and m.group("reg") == prefix and m.group("stamp") == stamp]
    if not taken:
        return folder / f"{base}{BACKUP_SUFFIX}"
    return folder / f"{base}-{max(taken) + 1}{BACKUP_SUFFIX}"


def _sequence_of(path: Path) -> int:
    try:
        return read_manifest(path).sequence
    except RegistryError:
        return -1  # unreadable: rotated out first


def rotated_backups(folder: Path, registry_id: str) -> list[Path]:
    """This registry's rotated backups in ``folder``, newest first — by the sequence number in their
    manifests, not by name or time (a clock corrected backwards must not make the newest look oldest)."""
    if not folder.is_dir():
        return []
    prefix = registry_id.replace("-", "")[:8]
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m and m.group("reg") == prefix:
            found.append((_sequence_of(p), m.group("stamp"), int(m.group("n") or 1), p))
    return [p for _q, _s, _n, p in sorted(found, reverse=True)]


def next_backup_sequence(folder: Path, registry_id: str) -> int:
    newest = rotated_backups(folder, registry_id)[:1]
    return max(_sequence_of(newest[0]), 0) + 1 if newest else 1


def rotate(folder: Path, registry_id: str, keep: int) -> list[Path]:
    """Delete this registry's backups beyond the newest ``keep``; returns what was removed."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    removed = []
    for old in rotated_backups(folder, registry_id)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
            removed.append(old)
    return removed


# ------------------------------------------------------------------------------------------------ reading


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path, "r")
    except FileNotFoundError:
        raise RegistryError("backup_missing", file=str(path)) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RegistryError("backup_unreadable", file=str(path)) from exc


def read_manifest(path: Path) -> BackupManifest:
    with _open_zip(path) as zf:
        try:
            data = zf.read(MANIFEST)
        except (KeyError, zipfile.BadZipFile, OSError) as exc:
            raise RegistryError("backup_unreadable", file=str(path)) from exc
    return BackupManifest.from_bytes(data, str(path))


def _copy_member(zf: zipfile.ZipFile, name: str, fh: IO[bytes], steps: Steps | None = None) -> MemberInfo:
    h = hashlib.sha256()
    size = 0
    with zf.open(name) as src:
        while chunk := src.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
            fh.write(chunk)
            if steps is not None:
                steps.add(len(chunk))
    return MemberInfo(h.hexdigest(), size)


def check_archive(path: Path, extract_to: Path | None = None, progress: Progress | None = None,
                  stage: str = "restore_extract") -> BackupManifest:
    """Read the manifest and check every member's size and SHA-256 (extracting them if asked).  ``progress``
    hears ``stage`` counting the members' bytes as the manifest declares them."""
    manifest = read_manifest(path)
    steps = Steps(progress, stage, sum(m.size for m in manifest.members.values())) if progress else None
    with _open_zip(path) as zf:
        for name in MEMBERS:
            try:
                if extract_to is not None:
                    with (extract_to / name).open("wb") as out:
                        got = _copy_member(zf, name, out, steps)
                        out.flush()
                        os.fsync(out.fileno())
                else:
                    with open(os.devnull, "wb") as sink:
                        got = _copy_member(zf, name, sink, steps)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
                if isinstance(exc, OSError) and extract_to is not None and exc.errno is not None:
                    raise os_error_to_registry_error(exc, extract_to) from exc
                raise RegistryError("backup_damaged", file=str(path), member=name) from exc
            if got != manifest.members[name]:
                raise RegistryError("backup_damaged", file=str(path), member=name)
    if steps is not None:
        steps.finish()
    return manifest


# ------------------------------------------------------------------------------------------------ verify


@dataclass(frozen=True)
class BackupVerification:
    """What ``backup verify`` found.  ``checks`` are the same database checks ``doctor`` runs."""

    path: Path
    manifest: BackupManifest
    checks: list[Check]
    files: int | None = None  # number of victim files in the snapshot (a count, not data)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)


def refuse_newer(manifest: BackupManifest, path: Path) -> None:
    """A backup made by a newer program is not "damaged": say which it is and what to do."""
    if manifest.schema_revision not in known_revisions():
        raise RegistryError("backup_newer", file=str(path), found=manifest.schema_revision)


def verify_backup(path: Path, login: str | None, password: str) -> BackupVerification:
    """Check a backup without restoring it: hashes, then open the snapshot with a password and run
    integrity_check, cipher_integrity_check and the audit chain."""
    with _private_tempdir() as scratch:
        manifest = check_archive(path, extract_to=scratch)
        refuse_newer(manifest, path)
        secrets = _unlock_extracted(scratch, manifest, path, login, password, scratch)
        engine = open_engine(scratch / DB_FILE, secrets.database_key)
        try:
            checks = database_checks(engine, manifest.registry_id)
            try:
                files: int | None = count_files(engine)
            except RegistryError:  # a damaged page under the files table: the checks above already say so
                files = None
        finally:
            engine.dispose()
    return BackupVerification(path, manifest, checks, files)


def _unlock_extracted(folder: Path, manifest: BackupManifest, archive: Path, login: str | None,
                      password: str, database_dir: Path) -> UnlockedSecrets:
    """The secrets of the extracted slots, with the database key that ``database_dir``'s database answers to
    (after a re-key a slot not yet refreshed gives the new key only through its sealed copy: store/rekey.py)."""
    from fanguai_desk.store.rekey import choose_key

    store = KeySlotStore(folder)
    if store.load().registry_id != manifest.registry_id:
        raise RegistryError("backup_damaged", file=str(archive), member=SLOTS_FILE)
    return choose_key(database_dir, store.unlock(login, password))


# ------------------------------------------------------------------------------------------------ restore


@dataclass(frozen=True)
class RestoreResult:
    data_dir: Path
    manifest: BackupManifest
    user_id: str


def _require_empty_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RegistryError("restore_target_not_empty", dir=str(target))


def restore_backup(path: Path, target: Path, login: str | None, password: str,
                   progress: Progress | None = None) -> RestoreResult:
    """Restore a backup into a new (absent or empty) data directory.

    Everything happens in a staging folder beside the target, which is renamed into place only once the
    restored registry has opened, passed its checks and recorded the restore in its audit log: an
    interrupted restore leaves no registry behind, never a half-restored one.  ``progress`` hears the
    stages of ``STAGES["restore"]`` (fanguai_desk/progress.py).
    """
    target = target.expanduser()
    _require_empty_target(target)
    parent = target.parent
    with _disk_errors(parent):
        parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{target.name}.restoring-{pysecrets.token_hex(4)}"
    with _disk_errors(parent):
        staging.mkdir(mode=0o700)
    try:
        manifest = check_archive(path, extract_to=staging, progress=progress, stage="restore_extract")
        refuse_newer(manifest, path)
        with _disk_errors(staging):
            shutil.copyfile(staging / SLOTS_FILE, staging / SLOTS_BACKUP_FILE)
        step = one_step(progress, "restore_unlock")
        secrets = _unlock_extracted(staging, manifest, path, login, password, staging)
        step.finish()
        step = one_step(progress, "restore_check")
        registry = Registry.open(staging, secrets)
        try:
            if registry.registry_id != manifest.registry_id:
                raise RegistryError("backup_damaged", file=str(path), member=SLOTS_FILE)
            failed = [c for c in database_checks(registry.engine, manifest.registry_id)
                      if c.status == "fail"]
            if failed:
                raise RegistryError("backup_damaged", file=str(path), member=DB_FILE)
            step.finish()
            step = one_step(progress, "restore_finish")
            with registry.transaction(secrets.user_id) as s:
                # Later changes are numbered in a new epoch: the county may already hold numbers from
                # the lost laptop beyond this backup's, and they must never be confused (store/journal.py).
                start_new_epoch(s)
                audit.append(s, action=AuditAction.RESTORE, user_id=secrets.user_id,
                             installation_id=registry.installation_id, record_type="registry",
                             record_id=registry.registry_id,
                             detail={"backup_created_at": manifest.created_at.isoformat(),
                                     "backup_sha256": manifest.members[DB_FILE].sha256})
        finally:
            registry.close()
        for leftover in ("unlock-throttle.json", f"{DB_FILE}-shm"):
            with contextlib.suppress(FileNotFoundError):
                (staging / leftover).unlink()
        with _disk_errors(parent):
            _require_empty_target(target)
            if target.exists():
                target.rmdir()
            os.replace(staging, target)
            fsync_dir(parent)
        step.finish()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreResult(target, manifest, secrets.user_id)


def restore_slots(path: Path, data_dir: Path, login: str | None, password: str) -> BackupManifest:
    """Put a backup's key slots back into a registry whose own slots file and its copy are both lost.

    Unless the registry was re-keyed since the backup, the backup's slots open today's database — with the passwords as
    they were at the time of the backup.  Refused unless the key really opens this registry's database and
    the registry ids agree.  Damaged slots files are kept aside (``keyslots.json.damaged-<time>``).
    """
    if not (data_dir / DB_FILE).exists():
        raise RegistryError("database_missing", file=DB_FILE)
    lock = RegistryLock.acquire(data_dir)
    try:
        with _private_tempdir() as scratch:
            manifest = check_archive(path, extract_to=scratch)
            secrets = _unlock_extracted(scratch, manifest, path, login, password, data_dir)
            engine = open_engine(data_dir / DB_FILE, secrets.database_key, readonly=True)
            try:
                with Session(engine) as s:
                    stored = s.scalar(select(RegistryMeta.value).where(RegistryMeta.key == "registry_id"))
            except RegistryError as exc:
                if exc.code == "database_unreadable":  # the backup's key does not open this database
                    raise RegistryError("slots_mismatch") from exc
                raise
            finally:
                engine.dispose()
            if stored != manifest.registry_id:
                raise RegistryError("slots_mismatch")
            slots = SlotsFile.from_bytes((scratch / SLOTS_FILE).read_bytes())
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        with _disk_errors(data_dir):
            for name in (SLOTS_FILE, SLOTS_BACKUP_FILE):
                if (data_dir / name).exists():
                    os.replace(data_dir / name, data_dir / f"{name}.damaged-{stamp}")
            KeySlotStore(data_dir).save(slots)
    finally:
        lock.release()
    return manifest
