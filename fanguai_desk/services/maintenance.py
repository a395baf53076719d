"""Keeping a registry alive: backups and their reminder, doctor, the recovery key, and restore/recover.

``desk.maintenance`` is what the UI's 设置 page and the CLI call for a signed-in user;
:func:`restore`, :func:`verify` and :func:`recover` work without one (there is no usable registry to sign
in to yet, or the administrator password is what was lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import AccessDenied, RegistryError
from fanguai_desk.domain.passwords import ensure_password_strength
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.settings import validate_setting
from fanguai_desk.progress import Progress
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store import audit, backup, doctor
from fanguai_desk.store.backup import (
    BackupManifest,
    BackupResult,
    BackupVerification,
    RestoreResult,
)
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.keyslots import RECOVERY_LOGIN, KdfParams, KeySlotStore, make_slot, new_user_key
from fanguai_desk.store.models import RegistryMeta, User
from fanguai_desk.store.recovery import make_recovery_slot, normalize_recovery_key
from fanguai_desk.store.registry import Registry
from fanguai_desk.store.rekey import choose_key, settle_pending

BACKUP_DIR_KEY = "backup_dir"
BACKUP_KEEP_KEY = "backup_keep"
DEFAULT_KEEP = 10
BACKUPS_SUBDIR = "backups"


@dataclass(frozen=True)
class BackupStatus:
    """What the reminder needs: shown when ``due`` (no backup yet, or older than the setting)."""

    last_backup_at: datetime | None  # UTC
    days_since: int | None
    reminder_days: int
    due: bool
    folder: Path
    keep: int


@dataclass(frozen=True)
class RecoveryResult:
    login: str
    recovery_key: str  # the NEW key (display form): the one used is no longer valid


class MaintenanceService(ServiceBase):
    # ------------------------------------------------------------------ doctor

    def doctor(self) -> doctor.DoctorReport:
        """The structured health report (any signed-in user: it holds counts and codes, no personal data)."""
        return doctor.check_registry(self.uow.registry.data_dir, engine=self.uow.registry.engine,
                                     database_key=self.uow.database_key)

    def repair_state(self) -> int:
        """Recompute the maintained state (store/state.py) of every file whose stored state differs from its
        records, and put back missing triggers, in one audited transaction.  Returns how many files were
        wrong.  Administrators (the state holds no personal data, but the repair writes to every file)."""
        from fanguai_desk.store import state

        self.uow.require(Permission.MAINTENANCE)
        with self.uow.tx() as s:
            wrong = state.repair(s.connection())
            self.uow.audit(s, AuditAction.UPDATE, op="repair_state", files=wrong)
        return wrong

    # ------------------------------------------------------------------ backups

    def _meta(self) -> dict[str, str]:
        with self.uow.read() as s:
            return {k: v for k, v in s.execute(select(RegistryMeta.key, RegistryMeta.value)).tuples()}

    def backup_status(self, now: datetime | None = None) -> BackupStatus:
        now = now or utcnow()
        meta = self._meta()
        last = datetime.fromisoformat(meta[doctor.LAST_BACKUP_KEY]) if doctor.LAST_BACKUP_KEY in meta else None
        days = (now - last).days if last else None
        reminder = int(meta.get("backup_reminder_days", "7"))
        folder = Path(meta[BACKUP_DIR_KEY]) if meta.get(BACKUP_DIR_KEY) else \
            self.uow.registry.data_dir / BACKUPS_SUBDIR
        return BackupStatus(last, days, reminder, days is None or days > reminder, folder,
                            int(meta.get(BACKUP_KEEP_KEY, str(DEFAULT_KEEP))))

    def set_backup_settings(self, *, folder: Path | None = None, keep: int | None = None,
                            reminder_days: int | None = None) -> None:
        self.uow.require(Permission.MAINTENANCE)
        changes: dict[str, str] = {}
        if folder is not None:
            changes[BACKUP_DIR_KEY] = str(folder.expanduser().resolve())
        if keep is not None:
            changes[BACKUP_KEEP_KEY] = validate_setting(BACKUP_KEEP_KEY, keep)
        if reminder_days is not None:
            changes["backup_reminder_days"] = validate_setting("backup_reminder_days", reminder_days)
        with self.uow.tx() as s:
            for key, value in changes.items():
                s.merge(RegistryMeta(key=key, value=value))
            self.uow.audit(s, AuditAction.UPDATE, "settings", None, fields=sorted(changes))

    def backup(self, out: Path | None = None, *, keep: int | None = None,
               progress: Progress | None = None) -> BackupResult:
        """Write an encrypted backup: to ``out``, or into the backup folder with rotation (keep the last N).
        ``progress``: the stages of ``STAGES["backup"]`` (fanguai_desk/progress.py).

        Any signed-in user may back up (the reminder is for whoever is at the laptop): the backup opens
        only with the registry's own passwords, so it widens nobody's access.
        """
        if self.uow.registry.readonly:
            raise RegistryError("read_only")
        status = self.backup_status()
        rotating = out is None
        target = out if out is not None else backup.rotation_name(status.folder, self.uow.registry.registry_id)
        registry = self.uow.registry
        with registry.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            result = backup.write_backup(
                source_dbapi=raw, key=self.uow.database_key, slots=registry.slots.load(),
                schema_revision=registry.schema_revision, out=target, created_by=self.uow.actor.user_id,
                progress=progress,
                sequence=backup.next_backup_sequence(target.parent, registry.registry_id) if rotating else 0)
        removed = backup.rotate(target.parent, registry.registry_id, keep or status.keep) if rotating else []
        with self.uow.tx() as s:
            s.merge(RegistryMeta(key=doctor.LAST_BACKUP_KEY, value=result.created_at.isoformat(timespec="seconds")))
            self.uow.audit(s, AuditAction.BACKUP, "registry", registry.registry_id, size=result.size,
                            rotated_out=len(removed))
        return BackupResult(result.path, result.size, result.created_at, result.seconds, removed)

    def list_backups(self) -> list[Path]:
        status = self.backup_status()
        return backup.rotated_backups(status.folder, self.uow.registry.registry_id)

    # ------------------------------------------------------------------ recovery key

    def regenerate_recovery_key(self) -> str:
        """A new recovery key for this administrator (the old one stops working); shown once."""
        self.uow.require(Permission.MAINTENANCE)
        store = self.uow.registry.slots
        slots = store.load()
        slot, key = make_recovery_slot(user_id=self.uow.actor.user_id, database_key=self.uow.database_key,
                                       params=self.uow.kdf)
        slots.slots = [x for x in slots.slots if x.kind != "recovery"] + [slot]
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.KEY_ADMIN, User.RECORD_TYPE, self.uow.actor.user_id, op="recovery_key")
            store.save(slots)
        return key


# ---------------------------------------------------------------------- without a signed-in user


def verify(path: Path, login: str | None, password: str) -> BackupVerification:
    """``backup verify``: hashes, then the snapshot opened with a password and checked like ``doctor``."""
    return backup.verify_backup(path, login, password)


def inspect(path: Path) -> BackupManifest:
    """The manifest, after checking every member's hash (no password needed)."""
    return backup.check_archive(path)


def restore(path: Path, target: Path, login: str | None, password: str,
            progress: Progress | None = None) -> RestoreResult:
    """Restore a backup into a new, empty data directory (refused otherwise).  ``progress``: the stages of
    ``STAGES["restore"]`` (fanguai_desk/progress.py)."""
    return backup.restore_backup(path, target, login, password, progress=progress)


def restore_slots(path: Path, data_dir: Path, login: str | None, password: str) -> BackupManifest:
    """Both slots files of ``data_dir`` lost or damaged: take the key slots from a backup."""
    manifest = backup.restore_slots(path, data_dir, login, password)
    secrets = KeySlotStore(data_dir).unlock(login, password)
    registry = Registry.open(data_dir, secrets)
    try:
        with registry.transaction(secrets.user_id) as s:
            audit.append(s, action=AuditAction.KEY_ADMIN, user_id=secrets.user_id,
                         installation_id=registry.installation_id, record_type="registry",
                         record_id=registry.registry_id,
                         detail={"op": "slots_restored", "backup_created_at": manifest.created_at.isoformat()})
    finally:
        registry.close()
    return manifest


def recover(data_dir: Path, recovery_key: str, new_password: str, *, admin_login: str | None = None,
            kdf: KdfParams | None = None) -> RecoveryResult:
    """The lost-administrator-password path: the recovery key sets a new password for an administrator.

    The administrator gets a new password slot with a new user key (their old signing keys stay sealed:
    they enrol again), the recovery key used is replaced by a new one (returned, to print), and the audit
    log records the recovery.  A mistyped key is caught by its check characters before it counts as a
    failed unlock.
    """
    kdf = kdf or KdfParams.production()
    canonical = normalize_recovery_key(recovery_key)
    Registry.check_openable(data_dir)
    store = KeySlotStore(data_dir)
    secrets = choose_key(data_dir, store.unlock(RECOVERY_LOGIN, canonical))
    registry = Registry.open(data_dir, secrets)
    try:
        settle_pending(store, secrets.database_key)
        with registry.session(None) as s:
            admins = {u.id: u for u in s.scalars(select(User).where(User.role == Role.ADMIN,
                                                                      User.active.is_(True)))}
        if admin_login is not None:
            chosen = [u for u in admins.values() if u.login.casefold() == admin_login.strip().casefold()]
            if not chosen:
                raise AccessDenied("recovery_admin_unknown")
            admin = chosen[0]
        elif secrets.user_id in admins:
            admin = admins[secrets.user_id]
        elif len(admins) == 1:
            admin = next(iter(admins.values()))
        else:
            raise AccessDenied("recovery_admin_ambiguous")
        ensure_password_strength(new_password, admin.login)
        slots = store.load()
        new_slot = make_slot(user_id=admin.id, login=admin.login, password=new_password,
                             database_key=secrets.database_key, user_key=new_user_key(), params=kdf)
        recovery_slot, new_key = make_recovery_slot(user_id=admin.id, database_key=secrets.database_key,
                                                    params=kdf)
        slots.slots = [x for x in slots.slots if x.kind != "recovery"
                       and not (x.user_id == admin.id and x.kind == "password")] + [new_slot, recovery_slot]
        with registry.transaction(admin.id) as s:
            audit.append(s, action=AuditAction.KEY_ADMIN, user_id=admin.id, installation_id=registry.installation_id,
                         record_type=User.RECORD_TYPE, record_id=admin.id, detail={"op": "recover"})
            store.save(slots)  # inside the transaction: if saving fails, the audit entry is rolled back
    finally:
        registry.close()
    return RecoveryResult(admin.login, new_key)
