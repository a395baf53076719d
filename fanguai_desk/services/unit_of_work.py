"""The unit of work: an unlocked registry as seen by one signed-in user.

This is what every service receives (``ServiceBase.desk``).  It owns the sessions and transactions, the
signed-in actor, the permission and scope checks, the audit writing, the settings and the keys — the rules
that must apply the same way from the UI, the CLI and imports.  It knows no service: the services are built,
and wired to each other, in one place (``services/desk.py``, the composition root).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction, Installation, Role
from fanguai_desk.domain.errors import AccessDenied, RegistryError
from fanguai_desk.domain.permissions import Permission, allowed, installation_refusal, roles_for
from fanguai_desk.domain.settings import EDITABLE, SETTINGS, RegistrySettings, read_settings, validate_setting
from fanguai_desk.hardening import lock_in_memory, wipe
from fanguai_desk.store import audit, high_water, pending_audit
from fanguai_desk.store.audit import Signer
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.keyslots import KdfParams, UnlockedSecrets
from fanguai_desk.store.models import RegistryMeta
from fanguai_desk.store.registry import Registry


@dataclass(frozen=True)
class Actor:
    user_id: str
    login: str
    display_name: str
    role: Role
    township_id: str | None
    township_name: str | None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


SETTING_KEYS = tuple(SETTINGS)

log = logging.getLogger(__name__)

#: What a session on a full disk may do: read, reveal and print (unsigned), each on the record in the note.
NOTED_ON_FULL_DISK = frozenset({AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.READ, AuditAction.REVEAL,
                                AuditAction.PRINT})


def note_on_full_disk(registry: Registry, database_key: bytes, action: AuditAction, user_id: str | None,
                      record_type: str | None, record_id: str | None, detail: Mapping[str, Any], *,
                      required: bool = True) -> None:
    """Record an audit entry in the reserved note (store/pending_audit.py).  ``required``: refuse
    (``disk_full``) if it cannot be; otherwise (the sign-in of a registry with no note yet) it is only logged."""
    entry = {"action": action.value, "user": user_id, "type": record_type, "id": record_id,
             "at": utcnow().isoformat(timespec="microseconds"), "detail": dict(detail),
             "installation": registry.installation_id}
    try:
        pending_audit.add(registry.data_dir, pending_audit.note_key(database_key, registry.registry_id), entry)
    except RegistryError:
        if required:
            raise
        log.warning("full disk: the sign-in could not be noted for the audit log")


class UnitOfWork:
    #: The clock at sign-in against the highest time the registry had seen (store/high_water.py).
    clock_check: high_water.ClockCheck = high_water.ClockCheck(datetime.min, None)

    def __init__(self, registry: Registry, actor: Actor, secrets: UnlockedSecrets,
                 kdf: KdfParams | None = None, installation: Installation = Installation.TOWNSHIP) -> None:
        self.registry = registry
        self.actor = actor
        #: What this laptop is in the exchange (store/installation.py), read at sign-in; never changes.
        self.installation = installation
        # The keys live in buffers this unit of work owns, wiped on close (hardening.wipe); the caller's
        # immutable copies are dropped here.  What Python cannot wipe: see docs/security-model.md.
        self._database_key = bytearray(secrets.database_key)
        self._user_key = bytearray(secrets.user_key)
        for buffer in (self._database_key, self._user_key):
            lock_in_memory(buffer)
        self._secrets = dataclasses.replace(secrets, database_key=b"", user_key=b"")
        self.kdf = kdf or KdfParams.production()
        #: The signed-in user's decrypted private keys (services/pki.py keeps them here): gone on wipe.
        self.private_keys: dict[tuple[str, bytes], rsa.RSAPrivateKey] = {}
        #: Where the audit signer comes from (set by the composition root: the PKI service).
        self.signer_source: Callable[[], Signer | None] | None = None
        self._signer_cache: tuple[Signer | None] | None = None

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        if self.registry.disk_full:
            with contextlib.suppress(Exception):
                note_on_full_disk(self.registry, bytes(self._database_key), AuditAction.LOGOUT, self.actor.user_id,
                                  None, None, {}, required=False)
        if not self.registry.readonly:
            with contextlib.suppress(Exception), self.tx() as s:
                self.audit(s, AuditAction.LOGOUT)
        self.registry.close()
        self.wipe_keys()

    def wipe_keys(self) -> None:
        """Forget the keys: zero the buffers and drop the decrypted private keys (locking or closing)."""
        self.private_keys.clear()  # OpenSSL clears private key numbers on free
        wipe(self._database_key)
        wipe(self._user_key)

    # ---------------------------------------------------------------- transactions and audit

    @contextlib.contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: the work and its audit entries commit together or not at all."""
        with self.registry.transaction(self.actor.user_id) as s:
            yield s

    @contextlib.contextmanager
    def tx_or_dry_run(self, dry_run: bool) -> Iterator[Session]:
        """One transaction for an import: the work and its audit entries commit together — or, for a dry run,
        are all done and then rolled back (the preview is the real merge); rolled back on any error.  The held
        reader is given back first, its page cache emptied: the import sizes a large one of its own."""
        self.registry.release_reader()
        s = self.registry.session(self.actor.user_id)
        try:
            s.begin()
            yield s
            if dry_run:
                s.rollback()
            else:
                s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self.registry.session(self.actor.user_id) as s:
            yield s

    def read_rows(self) -> contextlib.AbstractContextManager[Connection]:
        """A read of plain rows by statements compiled once (the list's and the search's hot path): a Core
        connection, no ORM session — nothing to flush, stamp or load; the caller applies scope and masking.
        The registry's held reader (``Registry.reader``): no pool checkout and reset per call."""
        return self.registry.reader()

    def audit(self, s: Session, action: AuditAction, record_type: str | None = None,
              record_id: str | None = None, **detail: Any) -> None:
        if self.registry.disk_full:  # reading on a full disk: on the record in the reserved note, or refused
            if action not in NOTED_ON_FULL_DISK:
                raise RegistryError("disk_full", dir=str(self.registry.data_dir))
            note_on_full_disk(self.registry, bytes(self._database_key), action, self.actor.user_id, record_type,
                              record_id, detail)
            return
        audit.append(s, action=action, user_id=self.actor.user_id, installation_id=self.registry.installation_id,
                     record_type=record_type, record_id=record_id, detail=detail, signer=self.audit_signer())

    def audit_signer(self) -> Signer | None:
        """Signs audit entries with the signed-in user's own signing key, if a certificate is installed
        (store/audit_signing.py).  Looked up once; ``forget_audit_signer`` after enrol/install."""
        if self._signer_cache is None:
            self._signer_cache = (self.signer_source() if self.signer_source is not None else None,)
        return self._signer_cache[0]

    def forget_audit_signer(self) -> None:
        self._signer_cache = None

    # ---------------------------------------------------------------- access rules

    def can(self, permission: Permission) -> bool:
        """Does the signed-in user hold ``permission`` on this laptop (``domain/permissions.py``, the one
        table: the user's role and what this laptop is)?"""
        return allowed(self.actor.role, permission, self.installation)

    def require(self, permission: Permission) -> None:
        """Refuse before anything is read or written: first what this laptop is, then the user's role."""
        refusal = installation_refusal(permission, self.installation)
        if refusal is not None:
            raise AccessDenied(refusal)
        if not self.can(permission):
            raise AccessDenied("role_required",
                               required=",".join(r.value for r in Role if r in roles_for(permission)))

    def ensure_editable_here(self, origin_installation: str | None) -> None:
        """Records created on another installation change there, unless the role may edit them here."""
        if origin_installation not in (None, self.registry.installation_id) and not self.can(Permission.EDIT_IMPORTED):
            raise AccessDenied("edit_at_origin")

    def can_see_township(self, township_id: str) -> bool:
        if self.can(Permission.SEE_ALL_TOWNSHIPS):
            return True
        return township_id == self.actor.township_id

    def require_township(self, township_id: str) -> None:
        if not self.can_see_township(township_id):
            raise AccessDenied("other_township")

    def visible_township_ids(self) -> list[str] | None:
        """None means every township."""
        if self.can(Permission.SEE_ALL_TOWNSHIPS):
            return None
        return [self.actor.township_id] if self.actor.township_id else []

    # ---------------------------------------------------------------- settings

    def settings(self) -> RegistrySettings:
        with self.read() as s:
            # Only the settings' keys: registry_meta also holds a file-number counter per township and year.
            meta = {m.key: m.value for m in s.scalars(select(RegistryMeta).where(RegistryMeta.key.in_(SETTING_KEYS)))}
        return read_settings(meta)

    def update_settings(self, changes: Mapping[str, int | str]) -> None:
        """Change settings (``domain/settings.py``): every value is checked before anything is written."""
        self.require(Permission.SETTINGS_EDIT)
        stored = {}
        for key, value in changes.items():
            if key not in EDITABLE:
                raise AccessDenied("setting_unknown", setting=key)
            stored[key] = validate_setting(key, value)
        with self.tx() as s:
            for key, text in stored.items():
                s.merge(RegistryMeta(key=key, value=text))
            self.audit(s, AuditAction.UPDATE, "settings", None, fields=sorted(changes))

    # ---------------------------------------------------------------- secrets (for the users/pki services)

    def replace_database_key(self, key: bytes) -> None:
        """After a re-key: the new key replaces the old one in the locked buffer (same length)."""
        self._database_key[:] = key

    @property
    def database_key(self) -> bytes:
        return bytes(self._database_key)

    @property
    def user_key(self) -> bytes:
        return bytes(self._user_key)
