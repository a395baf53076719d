"""Users and their key slots.  Only an administrator manages users; anyone may change their own password."""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import AccessDenied, NotFound, RegistryError, UnlockError, ValidationError
from fanguai_desk.domain.passwords import ensure_password_strength
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.keyslots import make_slot, new_user_key, normalize_login, slot_matches_login, try_slot
from fanguai_desk.store.models import Township, User
from fanguai_desk.store.rekey import CrashHook, Progress, RekeyOutcome, rekey_files


@dataclass(frozen=True)
class UserRow:
    id: str
    login: str
    display_name: str
    role: Role
    township: str | None
    active: bool  # False: removed (deactivated; the row stays because the audit log names it)
    # A password key slot on this laptop: the user can sign in here.  False for a removed user (the slot is
    # deleted) and for a user whose record arrived from another laptop (an administrator sets a password here).
    has_key_slot: bool


class UserService(ServiceBase):
    def list(self) -> list[UserRow]:
        self.uow.require(Permission.USERS_LIST)
        slot_users = {s.user_id for s in self.uow.registry.slots.load().slots if s.kind == "password"}
        with self.uow.read() as s:
            users = s.scalars(select(User).order_by(User.login)).all()
            return [UserRow(u.id, u.login, u.display_name, u.role, u.township.name if u.township else None,
                            u.active, u.id in slot_users) for u in users]

    def townships(self) -> builtins.list[tuple[str, str]]:
        """(id, name) of the townships the actor may see, by code."""
        ids = self.uow.visible_township_ids()
        stmt = select(Township.id, Township.name).order_by(Township.code)
        if ids is not None:
            stmt = stmt.where(Township.id.in_(ids))
        with self.uow.read() as s:
            return [(i, n) for i, n in s.execute(stmt)]

    def names(self) -> dict[str, str]:
        """user id → display name, for "who" columns (visit lists, audit trails).  No personal data of victims."""
        with self.uow.read() as s:
            return {i: n for i, n in s.execute(select(User.id, User.display_name))}

    def township_by_name(self, name: str, *, create: bool = False) -> Township:
        with self.uow.tx() as s:
            t = s.scalar(select(Township).where((Township.name == name) | (Township.code == name)))
            if t is None:
                if not create:
                    raise ValidationError("township_unknown")
                self.uow.require(Permission.USERS_MANAGE)
                t = Township(name=name, code=self._next_township_code(s))
                s.add(t)
                s.flush()
                self.uow.audit(s, AuditAction.CREATE, Township.RECORD_TYPE, t.id)
            return t

    def _next_township_code(self, s: Session) -> str:
        county = self.uow.settings().county_code
        codes = [c for c in s.scalars(select(Township.code)) if c.startswith(county)]
        used = {int(c[len(county):]) for c in codes if c[len(county):].isdigit()}
        n = 1
        while n in used:
            n += 1
        return f"{county}{n:02d}"

    def add(self, login: str, password: str, role: Role, township: str | None,
            display_name: str | None = None) -> str:
        self.uow.require(Permission.USERS_MANAGE)
        login = login.strip()
        if not login or len(login) > 64:
            raise ValidationError("login_invalid")
        ensure_password_strength(password, login)
        if role is Role.CASEWORKER and not township:
            raise ValidationError("caseworker_needs_township")
        town = self.township_by_name(township, create=True) if township else None
        slots = self.uow.registry.slots.load()
        with self.uow.tx() as s:
            existing = s.scalars(select(User.login)).all()
            if normalize_login(login) in {normalize_login(x) for x in existing}:
                raise ValidationError("login_taken")
            user = User(login=login, display_name=display_name or login, role=role,
                        township_id=town.id if town else None, active=True)
            s.add(user)
            s.flush()
            self.uow.audit(s, AuditAction.USER_ADMIN, User.RECORD_TYPE, user.id, op="add", role=role.value)
            # Slot written inside the transaction: if saving it fails, the user row is rolled back too.
            slots.slots.append(make_slot(user_id=user.id, login=login, password=password,
                                         database_key=self.uow.database_key, user_key=new_user_key(),
                                         params=self.uow.kdf))
            self.uow.registry.slots.save(slots)
            return user.id

    def _user_by_login(self, login: str) -> User:
        with self.uow.read() as s:
            for u in s.scalars(select(User)):
                if normalize_login(u.login) == normalize_login(login):
                    return u
        raise NotFound("user_not_found")

    def change_own_password(self, old_password: str, new_password: str) -> None:
        """Re-wrap the same database key and user key under the new password; nothing is re-encrypted."""
        ensure_password_strength(new_password, self.uow.actor.login)
        slots = self.uow.registry.slots.load()
        mine = [x for x in slots.slots if x.user_id == self.uow.actor.user_id and x.kind == "password"]
        if not mine or try_slot(mine[0], old_password) is None:
            raise UnlockError("wrong_credentials")
        replacement = make_slot(user_id=self.uow.actor.user_id, login=self.uow.actor.login,
                                password=new_password, database_key=self.uow.database_key,
                                user_key=self.uow.user_key, params=self.uow.kdf)
        slots.slots = [x for x in slots.slots if x not in mine] + [replacement]
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.KEY_ADMIN, User.RECORD_TYPE, self.uow.actor.user_id, op="passwd")
            self.uow.registry.slots.save(slots)

    def reset_password(self, login: str, new_password: str, *, compromised: bool = False,
                       progress: Progress | None = None) -> RekeyOutcome | None:
        """Administrator reset: a new slot with a *new* user key, so the admin cannot take over the user's
        signing keys (the user enrols again for a new certificate)."""
        self.uow.require(Permission.USERS_MANAGE)
        user = self._user_by_login(login)
        if user.id == self.uow.actor.user_id:
            raise AccessDenied("use_change_own_password")
        ensure_password_strength(new_password, user.login)
        slots = self.uow.registry.slots.load()
        slots.slots = [x for x in slots.slots if not (x.user_id == user.id and x.kind == "password")]
        slots.slots.append(make_slot(user_id=user.id, login=user.login, password=new_password,
                                     database_key=self.uow.database_key, user_key=new_user_key(),
                                     params=self.uow.kdf))
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.KEY_ADMIN, User.RECORD_TYPE, user.id, op="reset")
            self.uow.registry.slots.save(slots)
        # After a suspected compromise the old password (and any copy of the old slot) must open nothing current.
        return self.rekey(progress=progress) if compromised else None

    def rekey(self, *, remove_user_ids: frozenset[str] = frozenset(), progress: Progress | None = None,
              crash_hook: CrashHook | None = None) -> RekeyOutcome:
        """Re-encrypt the database under a fresh random key (store/rekey.py): older slot files and backups then
        open only their own old copy.  Other users' slots get the new key sealed to their public key and are
        rewrapped at their next sign-in; users whose slot has no public key yet need a password reset."""
        self.uow.require(Permission.USERS_MANAGE)
        if self.uow.registry.readonly:
            raise RegistryError("read_only")
        registry = self.uow.registry
        registry.close_connections()  # PRAGMA rekey needs the only connection
        try:
            outcome = rekey_files(registry.data_dir, registry.slots, self.uow.database_key,
                                  recovery_user_id=self.uow.actor.user_id, remove_user_ids=remove_user_ids,
                                  kdf=self.uow.kdf, progress=progress, crash_hook=crash_hook)
        except BaseException:
            registry.rekeyed(self.uow.database_key)
            raise
        registry.rekeyed(outcome.new_key)
        self.uow.replace_database_key(outcome.new_key)
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.KEY_ADMIN, "registry", registry.registry_id, op="rekey")
            logins = tuple(sorted(u.login for u in s.scalars(select(User).where(
                User.id.in_(outcome.unsealed_user_ids)))))
        return dataclasses.replace(outcome, unsealed_logins=logins)

    def remove(self, login: str, *, rekey: bool = True, progress: Progress | None = None) -> RekeyOutcome | None:
        """Deactivate the user and delete their key slot, then re-key the database (unless ``rekey`` is False)
        so an old copy of their slot opens nothing current.  The row stays: the audit log refers to it."""
        self.uow.require(Permission.USERS_MANAGE)
        user = self._user_by_login(login)
        if user.id == self.uow.actor.user_id:
            raise AccessDenied("cannot_remove_self")
        slots = self.uow.registry.slots.load()
        with self.uow.tx() as s:
            row = s.get(User, user.id)
            assert row is not None
            if row.role is Role.ADMIN:
                admins = s.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))).all()
                if len(admins) <= 1:
                    raise AccessDenied("last_admin")
            row.active = False
            self.uow.audit(s, AuditAction.USER_ADMIN, User.RECORD_TYPE, user.id, op="remove")
            slots.slots = [x for x in slots.slots if not (x.user_id == user.id and x.kind == "password")]
            self.uow.registry.slots.save(slots)
        return self.rekey(remove_user_ids=frozenset({user.id}), progress=progress) if rekey else None

    def login_exists(self, login: str) -> bool:
        return any(slot_matches_login(x, login) for x in self.uow.registry.slots.load().slots)
