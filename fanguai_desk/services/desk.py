"""The Desk: signing in, and the one place where the services are built (the composition root).

Signing in (``Desk.create`` / ``Desk.unlock``) gives a :class:`~fanguai_desk.services.unit_of_work.UnitOfWork`
— the signed-in user's transactions, permission and scope checks, audit, settings and keys.  The Desk builds
every service on it, once, and wires the services that need each other (``desk.victims``, ``desk.exchange`` …).
No service imports this module: services receive the unit of work, never the Desk (tests/test_layering.py).
For the UI and the CLI the Desk also answers the unit of work's questions (``desk.tx()``, ``desk.actor`` …).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from fanguai_desk.domain.entry_rules import check_township_code
from fanguai_desk.domain.enums import AuditAction, Installation, Role
from fanguai_desk.domain.errors import FanguaiError, RegistryError, UnlockError
from fanguai_desk.domain.passwords import ensure_password_strength
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.settings import SETTINGS, RegistrySettings
from fanguai_desk.services.unit_of_work import SETTING_KEYS, Actor, UnitOfWork, note_on_full_disk
from fanguai_desk.store import audit, high_water, pending_audit
from fanguai_desk.store import installation as installation_module
from fanguai_desk.store.audit import Signer
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.keyslots import (
    KdfParams,
    KeySlotStore,
    SlotsFile,
    UnlockedSecrets,
    make_slot,
    new_database_key,
    new_user_key,
)
from fanguai_desk.store.models import RegistryMeta, Township, User, new_uuid
from fanguai_desk.store.recovery import make_recovery_slot
from fanguai_desk.store.registry import Registry
from fanguai_desk.store.rekey import choose_key, refresh_own_slot, settle_pending

if TYPE_CHECKING:
    from fanguai_desk.services.assistance import AssistanceService
    from fanguai_desk.services.attachments import AttachmentService
    from fanguai_desk.services.cases import CaseService
    from fanguai_desk.services.consents import ConsentService
    from fanguai_desk.services.dashboard import DashboardService
    from fanguai_desk.services.demo import DemoService
    from fanguai_desk.services.exchange import ExchangeService
    from fanguai_desk.services.followups import FollowUpService
    from fanguai_desk.services.ledger import LedgerService
    from fanguai_desk.services.lifecycle import LifecycleService
    from fanguai_desk.services.maintenance import MaintenanceService
    from fanguai_desk.services.paper import PaperService
    from fanguai_desk.services.pki import PkiService
    from fanguai_desk.services.placements import PlacementService
    from fanguai_desk.services.purge import PurgeService
    from fanguai_desk.services.referrals import ReferralService
    from fanguai_desk.services.reports import ReportService
    from fanguai_desk.services.review import ReviewService
    from fanguai_desk.services.transfer import TransferService
    from fanguai_desk.services.users import UserService
    from fanguai_desk.services.victims import VictimService
    from fanguai_desk.services.worklists import WorkListService

__all__ = ["SETTING_KEYS", "Actor", "Desk", "FailedSignIns", "RegistrySettings", "UnitOfWork", "clock_warning",
           "registry_exists"]

log = logging.getLogger(__name__)


def registry_exists(data_dir: Path) -> bool:
    """Is there a registry (database or key slots) in ``data_dir``?  No key needed."""
    return Registry.exists(data_dir)


@dataclass(frozen=True)
class FailedSignIns:
    """Failed sign-in attempts since the last successful one, told to whoever signs in next."""

    count: int
    last_at: datetime | None  # UTC, naive, like every stored time


def clock_warning(check: high_water.ClockCheck) -> FanguaiError | None:
    """What to tell the user about the clock at sign-in (CLI prints it, the UI shows it in its banner)."""
    now = check.now.isoformat(sep=" ", timespec="minutes")
    if check.behind and (top := check.highest or check.high_water) is not None:
        return FanguaiError("clock_behind", now=now, seen=top.isoformat(sep=" ", timespec="minutes"))
    if check.jumped_ahead and check.high_water is not None:
        return FanguaiError("clock_jumped", now=now, seen=check.high_water.isoformat(sep=" ", timespec="minutes"))
    return None


def disk_full_warning(registry: Registry) -> FanguaiError | None:
    """Signed in on a full disk (read-only): what it means and how much space to free."""
    if not registry.disk_full:
        return None
    import shutil

    from fanguai_desk.store.doctor import space_needed_mb

    try:
        free = shutil.disk_usage(registry.data_dir).free
    except OSError:
        free = 0
    return FanguaiError("disk_full_read_only", dir=str(registry.data_dir),
                        need_mb=space_needed_mb(registry.data_dir, free))


def rollback_warning(registry: Registry) -> FanguaiError | None:
    """What to tell the user about the audit head kept outside the database (store/audit_head.py): an older
    database opened read-only, or a head file removed or not authentic."""
    check = registry.rollback
    if check is None or not (check.rolled_back or check.warning):
        return None
    if check.rolled_back:
        return FanguaiError(f"registry_rolled_back_{check.status}", dir=str(registry.data_dir), **check.params())
    return FanguaiError(f"audit_head_{check.status.removeprefix('head_')}", dir=str(registry.data_dir))


def _apply_note(s: Session, registry: Registry, database_key: bytes) -> bool:
    """At a writable sign-in: the entries noted on a full disk join the audit log (original time in the
    detail, ``deferred: disk_full``), once — the note's id is recorded in the same transaction."""
    found = pending_audit.read(registry.data_dir, pending_audit.note_key(database_key, registry.registry_id))
    if found is None:
        return False
    note_id, entries = found
    applied = s.get(RegistryMeta, pending_audit.APPLIED_KEY)
    if applied is None or applied.value != note_id:
        for e in entries:
            try:
                action = AuditAction(e["action"])
            except (KeyError, ValueError):
                continue
            audit.append(s, action=action, user_id=e.get("user"), installation_id=registry.installation_id,
                         record_type=e.get("type"), record_id=e.get("id"),
                         detail={**(e.get("detail") or {}), "deferred": "disk_full", "noted_at": e.get("at")})
        s.merge(RegistryMeta(key=pending_audit.APPLIED_KEY, value=note_id))
    return True


class Desk:
    #: Set by ``unlock`` when there were failed attempts since the last sign-in (the audit log has them too).
    failed_sign_ins: FailedSignIns | None = None
    #: Set only on the Desk returned by :meth:`create`: the recovery key, to show and print once.
    recovery_key: str | None = None

    def __init__(self, registry: Registry, actor: Actor, secrets: UnlockedSecrets,
                 kdf: KdfParams | None = None, installation: Installation = Installation.TOWNSHIP) -> None:
        #: What every service receives: the signed-in user's unit of work.
        self.uow = UnitOfWork(registry, actor, secrets, kdf, installation)
        # Audit entries are signed with the user's own key, which the PKI service holds.
        self.uow.signer_source = lambda: self.pki.audit_signer()
    # ---------------------------------------------------------------- lifecycle

    @classmethod
    def create(cls, data_dir: Path, *, admin_login: str, admin_password: str, township_name: str,
               admin_display_name: str | None = None, township_code: str = "510101",
               county_code: str = "5101", county_name: str = "示例县", kdf: KdfParams | None = None,
               check_strength: bool = True, installation: Installation = Installation.TOWNSHIP) -> Desk:
        """Create a registry with its first township and administrator; the admin is signed in.

        ``installation``: what this laptop is in the exchange — a township laptop, or the county's (which
        imports the townships' bundles and holds the county CA).  Decided here, once (store/installation.py)."""
        installation = Installation(installation)
        kdf = kdf or KdfParams.production()
        check_township_code(township_code, county_code)
        if check_strength:
            ensure_password_strength(admin_password, admin_login)
        database_key, user_key = new_database_key(), new_user_key()
        registry = Registry.create_files(data_dir, database_key)
        try:
            admin_id = new_uuid()
            with registry.transaction(admin_id) as s:
                township = Township(code=township_code, name=township_name)
                s.add(township)
                s.flush()
                s.add(User(id=admin_id, login=admin_login.strip(), display_name=admin_display_name or admin_login,
                           role=Role.ADMIN, township_id=township.id, active=True))
                defaults = {key: str(SETTINGS[key].default) for key in ("retention_years", "referral_wait_days",
                                                                      "idle_lock_minutes", "backup_reminder_days")}
                for key, value in {"county_code": county_code, "county_name": county_name, **defaults}.items():
                    s.add(RegistryMeta(key=key, value=value))
                installation_module.record(s, installation)
                audit.append(s, action=AuditAction.CREATE, user_id=admin_id,
                             installation_id=registry.installation_id, record_type="registry",
                             record_id=registry.registry_id, detail={"installation": installation.value})
            slots = SlotsFile(registry.installation_id, registry.registry_id)
            admin_slot = make_slot(user_id=admin_id, login=admin_login, password=admin_password,
                                   database_key=database_key, user_key=user_key, params=kdf)
            # The way back in if the administrator password is lost: shown once (desk.recovery_key).
            recovery_slot, recovery_key = make_recovery_slot(user_id=admin_id, database_key=database_key, params=kdf)
            slots.slots += [admin_slot, recovery_slot]
            registry.slots.save(slots)
            registry.finish_creation()
        except BaseException:
            # A half-made registry (database without slots) could never be opened: remove it whole.
            registry.close()
            registry.remove_files()
            raise
        secrets = UnlockedSecrets(database_key, user_key, admin_id, admin_slot.slot_id)
        desk = cls._signed_in(registry, secrets, kdf)
        desk.recovery_key = recovery_key
        return desk

    @classmethod
    def unlock(cls, data_dir: Path, login: str | None, password: str, kdf: KdfParams | None = None, *,
               readonly: bool = False, accept_older: bool = False) -> Desk:
        """Sign in.  A registry another app instance has open is refused (``registry_in_use``) unless
        ``readonly`` is asked for; a read-only desk can list but not write, and so cannot open a file
        (opening one writes its audit entry).  A database older than the audit head recorded outside it is
        refused (``registry_rolled_back_*``) unless ``accept_older`` (audited; store/audit_head.py)."""
        Registry.check_openable(data_dir)
        store = KeySlotStore(data_dir)
        secrets = choose_key(data_dir, store.unlock(login, password))
        try:
            registry = Registry.open(data_dir, secrets, readonly=readonly, accept_older=accept_older)
        except RegistryError as exc:
            if readonly or exc.code != "disk_full":
                raise
            return cls._read_on_full_disk(data_dir, secrets, kdf)
        try:
            if not readonly:
                # A re-key killed half-way is finished or rolled back; a slot left at an older key generation
                # is rewrapped under the password just typed (store/rekey.py).
                settle_pending(registry.slots, secrets.database_key)
                with registry.session(None) as s:
                    user = s.get(User, secrets.user_id)
                    own_login = user.login if user is not None else (login or "")
                secrets = refresh_own_slot(registry.slots, secrets, own_login, password)
            return cls._signed_in(registry, secrets, kdf)
        except BaseException as exc:
            registry.close()
            full = (isinstance(exc, RegistryError) and exc.code == "disk_full") or (
                isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
            if full and not readonly:
                return cls._read_on_full_disk(data_dir, secrets, kdf)
            raise

    @classmethod
    def _read_on_full_disk(cls, data_dir: Path, secrets: UnlockedSecrets, kdf: KdfParams | None) -> Desk:
        """The disk is full: sign in to read.  The registry opens read-only; the sign-in and every view are
        recorded in the reserved note (store/pending_audit.py) and enter the audit log at the next writable
        sign-in; every write is refused with ``disk_full`` and leaves nothing behind."""
        registry = Registry.open(data_dir, secrets, readonly=True)
        registry.disk_full = True
        try:
            return cls._signed_in(registry, secrets, kdf)
        except BaseException:
            registry.close()
            raise

    @classmethod
    def _signed_in(cls, registry: Registry, secrets: UnlockedSecrets, kdf: KdfParams | None) -> Desk:
        with registry.transaction(secrets.user_id) as s:
            user = s.get(User, secrets.user_id)
            if user is None or not user.active:
                raise UnlockError("user_inactive")
            actor = Actor(user.id, user.login, user.display_name, user.role, user.township_id,
                          user.township.name if user.township else None)
            last_failure = None if registry.readonly else registry.slots.throttle.last_failure()
            failures = 0 if registry.readonly else registry.slots.throttle.take_unreported_and_reset()
            if failures:
                # Failed attempts could not be written while the registry was locked; record them now.
                audit.append(s, action=AuditAction.LOGIN_FAILED, user_id=None,
                             installation_id=registry.installation_id, detail={"attempts": failures})
            clock_check = high_water.ClockCheck(utcnow(), high_water.trusted(s), high_water.recorded(s))
            kind = installation_module.read(s)
            applied = False
            if registry.disk_full:
                note_on_full_disk(registry, secrets.database_key, AuditAction.LOGIN, user.id, None, None,
                                  {"disk_full": True}, required=False)
            if not registry.readonly:
                applied = _apply_note(s, registry, secrets.database_key)
                high_water.hold_jump(s, clock_check)
                code = clock_check.audit_code
                detail = {"clock": code} if code else {}
                if registry.rollback is not None and registry.rollback.warning:
                    detail["audit_head"] = registry.rollback.status  # removed or not authentic: on the record
                audit.append(s, action=AuditAction.LOGIN, user_id=user.id,
                             installation_id=registry.installation_id, detail=detail or None)
        if not registry.readonly and applied:
            pending_audit.clear(registry.data_dir)
        log.info("unlocked registry %s as user %s", registry.registry_id, actor.user_id)
        desk = cls(registry, actor, secrets, kdf, kind)
        desk.uow.clock_check = clock_check
        if failures:
            desk.failed_sign_ins = FailedSignIns(failures, datetime.fromtimestamp(last_failure, UTC).replace(
                tzinfo=None) if last_failure else None)
        return desk

    # ---------------------------------------------------------------- the unit of work, for the UI and the CLI

    @property
    def registry(self) -> Registry:
        return self.uow.registry

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def installation(self) -> Installation:
        """What this laptop is in the exchange (township or county): with the role, what the user may do."""
        return self.uow.installation

    @property
    def kdf(self) -> KdfParams:
        return self.uow.kdf

    @property
    def clock_check(self) -> high_water.ClockCheck:
        return self.uow.clock_check

    def close(self) -> None:
        self.uow.close()

    def wipe_keys(self) -> None:
        self.uow.wipe_keys()

    def tx(self) -> AbstractContextManager[Session]:
        return self.uow.tx()

    def read(self) -> AbstractContextManager[Session]:
        return self.uow.read()

    def read_rows(self) -> AbstractContextManager[Connection]:
        return self.uow.read_rows()

    def audit(self, s: Session, action: AuditAction, record_type: str | None = None,
              record_id: str | None = None, **detail: Any) -> None:
        self.uow.audit(s, action, record_type, record_id, **detail)

    def audit_signer(self) -> Signer | None:
        return self.uow.audit_signer()

    def forget_audit_signer(self) -> None:
        self.uow.forget_audit_signer()

    def can(self, permission: Permission) -> bool:
        return self.uow.can(permission)

    def require(self, permission: Permission) -> None:
        self.uow.require(permission)

    def ensure_editable_here(self, origin_installation: str | None) -> None:
        self.uow.ensure_editable_here(origin_installation)

    def can_see_township(self, township_id: str) -> bool:
        return self.uow.can_see_township(township_id)

    def require_township(self, township_id: str) -> None:
        self.uow.require_township(township_id)

    def visible_township_ids(self) -> list[str] | None:
        return self.uow.visible_township_ids()

    def settings(self) -> RegistrySettings:
        return self.uow.settings()

    def update_settings(self, changes: Mapping[str, int | str]) -> None:
        self.uow.update_settings(changes)

    def replace_database_key(self, key: bytes) -> None:
        self.uow.replace_database_key(key)

    @property
    def database_key(self) -> bytes:
        return self.uow.database_key

    @property
    def user_key(self) -> bytes:
        return self.uow.user_key

    # ---------------------------------------------------------------- the services, each built here and only here

    @cached_property
    def users(self) -> UserService:
        from fanguai_desk.services.users import UserService

        return UserService(self.uow)

    @cached_property
    def cases(self) -> CaseService:
        from fanguai_desk.services.cases import CaseService

        return CaseService(self.uow)

    @cached_property
    def victims(self) -> VictimService:
        from fanguai_desk.services.victims import VictimService

        return VictimService(self.uow)

    @cached_property
    def assistance(self) -> AssistanceService:
        from fanguai_desk.services.assistance import AssistanceService

        return AssistanceService(self.uow)

    @cached_property
    def followups(self) -> FollowUpService:
        from fanguai_desk.services.followups import FollowUpService

        return FollowUpService(self.uow)

    @cached_property
    def referrals(self) -> ReferralService:
        from fanguai_desk.services.referrals import ReferralService

        return ReferralService(self.uow)

    @cached_property
    def placements(self) -> PlacementService:
        from fanguai_desk.services.placements import PlacementService

        return PlacementService(self.uow)

    @cached_property
    def consents(self) -> ConsentService:
        from fanguai_desk.services.consents import ConsentService

        return ConsentService(self.uow)

    @cached_property
    def lifecycle(self) -> LifecycleService:
        from fanguai_desk.services.lifecycle import LifecycleService

        return LifecycleService(self.uow)

    @cached_property
    def worklists(self) -> WorkListService:
        from fanguai_desk.services.worklists import WorkListService

        return WorkListService(self.uow)

    @cached_property
    def review(self) -> ReviewService:
        from fanguai_desk.services.review import ReviewService

        return ReviewService(self.uow)

    @cached_property
    def dashboard(self) -> DashboardService:
        from fanguai_desk.services.dashboard import DashboardService

        return DashboardService(self.uow, worklists=self.worklists, review=self.review)

    @cached_property
    def attachments(self) -> AttachmentService:
        from fanguai_desk.services.attachments import AttachmentService

        return AttachmentService(self.uow)

    @cached_property
    def pki(self) -> PkiService:
        from fanguai_desk.services.pki import PkiService

        return PkiService(self.uow)

    @cached_property
    def reports(self) -> ReportService:
        from fanguai_desk.services.reports import ReportService

        return ReportService(self.uow, pki=self.pki)

    @cached_property
    def paper(self) -> PaperService:
        from fanguai_desk.services.paper import PaperService

        return PaperService(self.uow)

    @cached_property
    def transfer(self) -> TransferService:
        from fanguai_desk.services.transfer import TransferService

        return TransferService(self.uow, pki=self.pki, lifecycle=self.lifecycle)

    @cached_property
    def exchange(self) -> ExchangeService:
        from fanguai_desk.services.exchange import ExchangeService

        return ExchangeService(self.uow, pki=self.pki, transfers=self.transfer)

    @cached_property
    def ledger(self) -> LedgerService:
        from fanguai_desk.services.ledger import LedgerService

        return LedgerService(self.uow, victims=self.victims)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        from fanguai_desk.services.maintenance import MaintenanceService

        return MaintenanceService(self.uow)

    @cached_property
    def purge(self) -> PurgeService:
        from fanguai_desk.services.purge import PurgeService

        return PurgeService(self.uow)

    @cached_property
    def demo(self) -> DemoService:
        from fanguai_desk.services.demo import DemoService

        return DemoService(self.uow)
