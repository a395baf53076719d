"""``doctor``: a registry's health as one structured report.

The CLI prints it (``fanguai-desk doctor``), the UI shows it under 设置, and ``backup verify`` runs the
database part of it on a snapshot.  Every check carries a stable message code and parameters (counts,
dates, revisions — never personal data) for the UI to translate, and a status: ``ok``, ``warn`` (works,
but needs attention) or ``fail`` (restore from a backup).

Checks: both key-slot files, the recovery slot and users without a slot; the database opens with the
key; ``PRAGMA cipher_integrity_check`` (every page's HMAC); ``PRAGMA integrity_check`` (b-tree structure);
the audit hash chain; the schema revision; the registry id in the database against the slots; the age of
the last backup; free disk space; whether another app instance has the registry open.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.errors import FanguaiError, RegistryError
from fanguai_desk.store import audit
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.engine import DB_FILE, open_engine
from fanguai_desk.store.keyslots import (
    SLOTS_BACKUP_FILE,
    SLOTS_FILE,
    SlotsFile,
    UnlockedSecrets,
)
from fanguai_desk.store.lock import is_locked_elsewhere
from fanguai_desk.store.models import RegistryMeta, User, Victim
from fanguai_desk.store.schema import current_revision, head_revision, known_revisions

LAST_BACKUP_KEY = "last_backup_at"
LOW_DISK_BYTES = 200 * 1024 * 1024


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    code: str  # what was checked: "cipher_integrity", "integrity", "audit_chain", "slots", …
    status: Status
    message: str  # message code (messages.py)
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DoctorReport:
    data_dir: Path
    generated_at: datetime
    registry_id: str | None
    checks: list[Check]

    @property
    def status(self) -> Status:
        states = {c.status for c in self.checks}
        return Status.FAIL if Status.FAIL in states else Status.WARN if Status.WARN in states else Status.OK

    @property
    def ok(self) -> bool:
        return self.status is not Status.FAIL

    def check(self, code: str) -> Check | None:
        return next((c for c in self.checks if c.code == code), None)

    @property
    def title(self) -> str:
        """The headline's message code.  A full disk is not damage: when it is the only failure the headline
        says to free space, never to restore a backup (that would throw away recent work)."""
        failing = {c.code for c in self.checks if c.status is Status.FAIL}
        if failing and failing <= {"disk_space"}:
            return "doctor_status_disk_full"
        return f"doctor_status_{self.status.value}"


def _error_check(code: str, exc: BaseException) -> Check:
    err_code = exc.code if isinstance(exc, FanguaiError) else type(exc).__name__
    return Check(code, Status.FAIL, "doctor_check_failed", {"check": code, "error": err_code})


# ------------------------------------------------------------------------------------------------ slots


def slot_checks(data_dir: Path) -> tuple[list[Check], SlotsFile | None]:
    """Both slots files on their own, then the slots the app would use (main, else the copy)."""
    checks: list[Check] = []
    parsed: dict[str, SlotsFile | None] = {}
    for name in (SLOTS_FILE, SLOTS_BACKUP_FILE):
        path = data_dir / name
        try:
            parsed[name] = SlotsFile.from_bytes(path.read_bytes())
        except FileNotFoundError:
            parsed[name] = None
            checks.append(Check(f"slots_file:{name}", Status.WARN, "doctor_slots_file_missing", {"file": name}))
        except (RegistryError, OSError):
            parsed[name] = None
            checks.append(Check(f"slots_file:{name}", Status.WARN, "doctor_slots_file_damaged", {"file": name}))
    main, copy = parsed[SLOTS_FILE], parsed[SLOTS_BACKUP_FILE]
    slots = main or copy
    if slots is None:
        checks.append(Check("slots", Status.FAIL, "doctor_slots_unusable", {"file": SLOTS_FILE}))
        return checks, None
    if main is not None and copy is not None and main.to_bytes() != copy.to_bytes():
        # Normal only for an instant during a save; otherwise a save was interrupted: the copy is newer.
        checks.append(Check("slots_copy", Status.WARN, "doctor_slots_differ", {}))
    recovery = sum(1 for s in slots.slots if s.kind == "recovery")
    checks.append(Check("slots", Status.OK, "doctor_slots_ok",
                        {"slots": len(slots.slots) - recovery, "recovery": recovery}))
    checks.append(Check("recovery_slot", Status.OK if recovery else Status.WARN,
                        "doctor_recovery_ok" if recovery else "doctor_recovery_missing", {}))
    return checks, slots


# ------------------------------------------------------------------------------------------------ database


def database_checks(engine: Engine, registry_id: str | None) -> list[Check]:
    """The checks that need only the keyed database: also run by ``backup verify`` on a snapshot."""
    checks: list[Check] = []
    try:
        with engine.connect() as conn:
            bad_pages = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        checks.append(Check("cipher_integrity", Status.FAIL if bad_pages else Status.OK,
                            "doctor_cipher_failed" if bad_pages else "doctor_cipher_ok", {"pages": len(bad_pages)}))
    except Exception as exc:
        checks.append(_error_check("cipher_integrity", exc))
        return checks  # nothing else can be trusted
    try:
        with engine.connect() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check(20)").fetchall()]
        ok = rows == ["ok"]
        checks.append(Check("integrity", Status.OK if ok else Status.FAIL,
                            "doctor_integrity_ok" if ok else "doctor_integrity_failed",
                            {} if ok else {"problems": len(rows)}))
    except Exception as exc:
        checks.append(_error_check("integrity", exc))
    try:
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            checks.append(Check("schema", Status.OK, "doctor_schema_ok", {"revision": current}))
        elif current is not None and current not in known_revisions():
            checks.append(Check("schema", Status.FAIL, "doctor_schema_newer", {"found": current, "head": head}))
        else:
            checks.append(Check("schema", Status.WARN, "doctor_schema_older", {"found": str(current), "head": head}))
    except Exception as exc:
        checks.append(_error_check("schema", exc))
    try:
        with Session(engine) as s:
            result = audit.verify_chain(s)
            if result.ok:  # and the signatures: a key holder who rewrote the chain cannot re-sign others' entries
                from fanguai_desk.store.audit_signing import signature_checker

                result = audit.verify_signatures(s, signature_checker(s))
            stored_id = s.scalar(select(RegistryMeta.value).where(RegistryMeta.key == "registry_id"))
        if result.ok:
            checks.append(Check("audit_chain", Status.OK, "doctor_audit_ok", {"entries": result.entries}))
        else:
            checks.append(Check("audit_chain", Status.FAIL, "doctor_audit_broken",
                                {"seq": result.first_bad_seq, "problem": result.problem}))
        if registry_id is not None and stored_id != registry_id:
            checks.append(Check("registry_id", Status.FAIL, "doctor_registry_mismatch", {}))
    except Exception as exc:
        checks.append(_error_check("audit_chain", exc))
    try:
        checks.append(state_check(engine))
    except Exception as exc:
        checks.append(_error_check("maintained_state", exc))
    return checks


def state_check(engine: Engine) -> Check:
    """Recompute the maintained state (store/state.py: current placement, next and last visit, last contact,
    schooling gap; the file tallies per township) from each file's history and compare;
    ``MaintenanceService.repair_state`` repairs it."""
    from fanguai_desk.store import state

    with engine.connect() as conn:
        columns = state.drifted_columns(conn)
        drifted = state.drift(conn) if columns else 0
        missing = state.missing_triggers(conn)
        files = int(conn.exec_driver_sql("SELECT count(*) FROM victims").scalar() or 0)
    if columns or missing:  # a column's files, or the file tallies' keys (state.tally_drift)
        return Check("maintained_state", Status.FAIL, "doctor_state_drift",
                     {"files": drifted, "columns": ", ".join(columns) or "-", "triggers": ", ".join(missing) or "-"})
    return Check("maintained_state", Status.OK, "doctor_state_ok", {"files": files})


def count_files(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Victim)) or 0)


def last_backup_at(engine: Engine) -> datetime | None:
    with Session(engine) as s:
        value = s.scalar(select(RegistryMeta.value).where(RegistryMeta.key == LAST_BACKUP_KEY))
    return datetime.fromisoformat(value) if value else None


def backup_check(engine: Engine, now: datetime) -> Check:
    with Session(engine) as s:
        rows = s.execute(select(RegistryMeta.key, RegistryMeta.value)
                         .where(RegistryMeta.key.in_([LAST_BACKUP_KEY, "backup_reminder_days"]))).tuples()
        meta = {k: v for k, v in rows}
    limit = int(meta.get("backup_reminder_days", "7"))
    if LAST_BACKUP_KEY not in meta:
        return Check("backup_age", Status.WARN, "doctor_backup_never", {"limit": limit})
    days = (now - datetime.fromisoformat(meta[LAST_BACKUP_KEY])).days
    if days > limit:
        return Check("backup_age", Status.WARN, "doctor_backup_overdue", {"days": days, "limit": limit})
    return Check("backup_age", Status.OK, "doctor_backup_ok", {"days": days, "limit": limit})


def user_slot_checks(engine: Engine, slots: SlotsFile) -> list[Check]:
    with Session(engine) as s:
        active = set(s.scalars(select(User.id).where(User.active.is_(True))))
        known = set(s.scalars(select(User.id)))
    with_slot = {x.user_id for x in slots.slots if x.kind == "password"}
    checks = []
    missing = len(active - with_slot)
    if missing:
        checks.append(Check("users_without_slot", Status.WARN, "doctor_users_without_slot", {"count": missing}))
    orphans = len({x.user_id for x in slots.slots} - known)
    if orphans:
        checks.append(Check("orphan_slots", Status.WARN, "doctor_orphan_slots", {"count": orphans}))
    return checks


def head_check(engine: Engine, data_dir: Path, database_key: bytes, registry_id: str) -> Check:
    """The database against the audit head kept outside it (store/audit_head.py)."""
    from fanguai_desk.store import audit_head

    with Session(engine) as s:
        found = audit_head.compare(s, data_dir, audit_head.head_key(database_key, registry_id), registry_id)
    if found.rolled_back:
        return Check("audit_head", Status.FAIL, f"doctor_rolled_back_{found.status}", found.params())
    if found.status == "ok":
        return Check("audit_head", Status.OK, "doctor_head_ok", found.params())
    status = Status.OK if found.status == "untracked" else Status.WARN
    return Check("audit_head", status, f"doctor_{found.status}", {})


#: Below this the disk counts as full (SQLite cannot add a WAL index or grow the WAL).
FULL_DISK_BYTES = 1024 * 1024
#: Room the registry needs to work: the WAL grows to ~4 MB between checkpoints (1,000 pages), a checkpoint
#: and SQLite's -shm index need more, and a margin for attachments and key slot rewrites.
WORK_ROOM_BYTES = 64 * 1024 * 1024
_MB = 1024 * 1024


def space_needed_mb(data_dir: Path, free: int) -> int:
    """How many MB to free so the registry can work again (at least the WAL's size, and WORK_ROOM_BYTES)."""
    wal = data_dir / f"{DB_FILE}-wal"
    need = max(WORK_ROOM_BYTES, wal.stat().st_size if wal.exists() else 0) - free
    return max(1, -(-need // _MB))


def leftovers_check(data_dir: Path, engine: Engine | None) -> Check | None:
    """Temporary files and backup scratch folders of interrupted operations (store/hygiene.py)."""
    from fanguai_desk.store import hygiene

    if engine is not None:
        with Session(engine) as s:
            folders = hygiene.backup_folders(data_dir, s)
    else:
        folders = hygiene.backup_folders(data_dir)
    found = hygiene.leftovers(data_dir, folders)
    if not found:
        return None
    return Check("leftovers", Status.WARN, "doctor_leftovers", {"count": len(found)})


def disk_checks(data_dir: Path) -> list[Check]:
    checks = []
    try:
        free = shutil.disk_usage(data_dir).free
        if free < FULL_DISK_BYTES:
            checks.append(Check("disk_space", Status.FAIL, "doctor_disk_full",
                                {"free_mb": round(free / _MB, 1), "need_mb": space_needed_mb(data_dir, free)}))
        else:
            checks.append(Check("disk_space", Status.WARN if free < LOW_DISK_BYTES else Status.OK,
                                "doctor_disk_low" if free < LOW_DISK_BYTES else "doctor_disk_ok",
                                {"free_mb": free // (1024 * 1024)}))
    except OSError as exc:
        checks.append(_error_check("disk_space", exc))
    db = data_dir / DB_FILE
    wal = data_dir / f"{DB_FILE}-wal"
    checks.append(Check("files", Status.OK, "doctor_files",
                        {"db_mb": round(db.stat().st_size / 1048576, 1) if db.exists() else 0,
                         "wal_mb": round(wal.stat().st_size / 1048576, 1) if wal.exists() else 0}))
    if is_locked_elsewhere(data_dir):
        checks.append(Check("in_use", Status.OK, "doctor_in_use", {}))
    return checks


# ------------------------------------------------------------------------------------------------ report


def check_registry(data_dir: Path, secrets: UnlockedSecrets | None = None, *, engine: Engine | None = None,
                   now: datetime | None = None, skip: Sequence[str] = (),
                   database_key: bytes | None = None) -> DoctorReport:
    """Run every check.  Give the ``engine`` of an open registry (the UI), or ``secrets`` to open the
    database read-only here (the CLI: no lock is needed, so this works while the app is open)."""
    now = now or utcnow()
    checks, slots = slot_checks(data_dir)
    registry_id = slots.registry_id if slots else None
    own_engine = None
    if engine is None and secrets is not None:
        if not (data_dir / DB_FILE).exists():
            checks.append(Check("database", Status.FAIL, "doctor_check_failed",
                                {"check": "database", "error": "database_missing"}))
        else:
            try:
                own_engine = engine = open_engine(data_dir / DB_FILE, secrets.database_key, readonly=True)
            except Exception as exc:
                checks.append(_error_check("database", exc))
    if engine is not None:
        try:
            db_checks = database_checks(engine, registry_id)
            checks += db_checks
            if all(c.status is not Status.FAIL for c in db_checks if c.code == "cipher_integrity"):
                if "backup_age" not in skip:
                    checks.append(backup_check(engine, now))
                if slots is not None:
                    checks += user_slot_checks(engine, slots)
                key = database_key or (secrets.database_key if secrets is not None else None)
                if key is not None and registry_id is not None:
                    try:
                        checks.append(head_check(engine, data_dir, key, registry_id))
                    except Exception as exc:
                        checks.append(_error_check("audit_head", exc))
        except Exception as exc:
            checks.append(_error_check("database", exc))
        try:
            found = leftovers_check(data_dir, engine)
            if found is not None:
                checks.append(found)
        except Exception as exc:
            checks.append(_error_check("leftovers", exc))
        finally:
            if own_engine is not None:
                own_engine.dispose()
    checks += disk_checks(data_dir)
    return DoctorReport(data_dir, now, registry_id, checks)
