"""Key rotation: re-encrypt the database under a fresh random key without knowing the other users' passwords.

Every slot records the X25519 public key derived from its owner's user key (``KeySlot.public_key``: written
with every new slot, and added to older slots at their owner's next sign-in).  A re-key:

1. writes the slots file with ``pending_epoch`` set, the new database key sealed to every remaining slot's
   public key (``sealed_next``, HPKE-style: X25519 + HKDF + AES-GCM, bound to slot, user, kind and epoch),
   a new recovery slot wrapping the new key directly (``pending=True``; a new recovery sheet), the removed
   users' slots gone, and a check value of the new key (``pending_check``);
2. checkpoints the WAL and runs SQLCipher ``PRAGMA rekey`` (one transaction: the database answers to exactly
   one of the two keys at every instant), then checkpoints again;
3. commits the slots file: ``sealed_next`` becomes ``sealed``, pending slots become ordinary, the old
   recovery slot and every slot that could not be sealed (no public key recorded yet) are dropped.

The audit head file (store/audit_head.py) is re-authenticated alongside: after step 1 it verifies under the
old and the new key, after step 3 under the new key only.

A crash anywhere leaves either the old key (steps 1–2 not committed) or the new key in force, and the slots
file holds both generations until step 3.  At the next open, whichever key the database answers to is kept
(:func:`choose_key`) and the file is settled (:func:`settle_pending`): committed if the new key opened it,
rolled back otherwise.  At each user's next sign-in their slot is rewrapped under their password with the
new key (:func:`refresh_own_slot`).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store import audit_head
from fanguai_desk.store.engine import DB_FILE, _keyed_connection
from fanguai_desk.store.keyslots import (
    RECOVERY_LOGIN,
    KdfParams,
    KeySlot,
    KeySlotStore,
    SlotsFile,
    UnlockedSecrets,
    make_slot,
    new_database_key,
    seal_database_key,
    slot_public_key,
)
from fanguai_desk.store.lock import os_error_to_registry_error

Progress = Callable[[str], None]
CrashHook = Callable[[str], None]


def key_check(key: bytes) -> str:
    """A value that says whether a key is *the* pending key, and nothing about the key itself."""
    return hmac.new(key, b"fanguai-rekey-check/v1", hashlib.sha256).hexdigest()


def key_opens(data_dir: Path, key: bytes) -> bool:
    try:
        conn = _keyed_connection(data_dir / DB_FILE, key, readonly=False)
    except RegistryError:
        return False
    conn.close()
    return True


def choose_key(data_dir: Path, secrets: UnlockedSecrets) -> UnlockedSecrets:
    """The secrets with the database key the database answers to (after a re-key, the slot's sealed one)."""
    keys = secrets.candidate_keys or (secrets.database_key,)
    if len(keys) == 1:
        return secrets
    for key in keys:
        if key_opens(data_dir, key):
            return dataclasses.replace(secrets, database_key=key)
    return secrets


def commit_slots(slots: SlotsFile) -> None:
    assert slots.pending_epoch is not None
    kept: list[KeySlot] = []
    for slot in slots.slots:
        if slot.pending:
            slot.pending = False
            kept.append(slot)
        elif slot.sealed_next is not None:
            slot.sealed, slot.sealed_next = slot.sealed_next, None
            kept.append(slot)
        # else: the old recovery slot, or a slot without a public key: it opens only the old database key.
    slots.slots = kept
    slots.epoch, slots.pending_epoch, slots.pending_check = slots.pending_epoch, None, None


def rollback_slots(slots: SlotsFile) -> None:
    slots.slots = [s for s in slots.slots if not s.pending]
    for slot in slots.slots:
        slot.sealed_next = None
    slots.pending_epoch, slots.pending_check = None, None


def settle_pending(store: KeySlotStore, opened_with: bytes) -> None:
    """After a crash during a re-key (caller holds the registry lock and opened the database with
    ``opened_with``): finish the re-key if it committed, roll the slots file back if it did not."""
    slots = store.load()
    if slots.pending_epoch is None:
        return
    if slots.pending_check and hmac.compare_digest(slots.pending_check, key_check(opened_with)):
        commit_slots(slots)
    else:
        rollback_slots(slots)
    store.save(slots)


def refresh_own_slot(store: KeySlotStore, secrets: UnlockedSecrets, login: str, password: str) -> UnlockedSecrets:
    """At sign-in: record the slot's public key if missing, and rewrap a slot whose wrapped key is an older
    generation under the password just typed (``login`` is the recovery login for the recovery slot)."""
    slots = store.load()
    mine = next((s for s in slots.slots if s.slot_id == secrets.slot_id), None)
    if mine is None or slots.pending_epoch is not None:
        return secrets
    wrapped_key = secrets.candidate_keys[-1] if secrets.candidate_keys else secrets.database_key
    if wrapped_key != secrets.database_key:
        fresh = make_slot(user_id=mine.user_id, login=RECOVERY_LOGIN if mine.kind == "recovery" else login,
                          password=password, database_key=secrets.database_key,
                          user_key=secrets.user_key, params=KdfParams(**mine.kdf), kind=mine.kind)
        slots.slots = [fresh if s is mine else s for s in slots.slots]
        store.save(slots)
        return dataclasses.replace(secrets, slot_id=fresh.slot_id, candidate_keys=(secrets.database_key,))
    if not mine.public_key:
        mine.public_key = base64.b64encode(slot_public_key(secrets.user_key)).decode("ascii")
        store.save(slots)
    return secrets


@dataclass(frozen=True)
class RekeyOutcome:
    new_key: bytes
    epoch: int
    recovery_key: str | None  # a new recovery sheet to print, when the old recovery slot could not be sealed
    unsealed_user_ids: tuple[str, ...]  # users whose slot had no public key: they need a password reset
    unsealed_logins: tuple[str, ...] = ()  # the same users by login (filled in by services/users.py)


def rekey_files(data_dir: Path, store: KeySlotStore, old_key: bytes, *, recovery_user_id: str,
                remove_user_ids: frozenset[str], kdf: KdfParams, progress: Progress | None = None,
                crash_hook: CrashHook | None = None) -> RekeyOutcome:
    """Steps 1–3 above.  The caller holds the registry lock and has closed every connection to the database."""
    from fanguai_desk.store.recovery import make_recovery_slot

    say = progress or (lambda _stage: None)
    hook = crash_hook or (lambda _point: None)
    slots = store.load()
    if slots.pending_epoch is not None:
        raise RegistryError("rekey_pending")
    new_key = new_database_key()
    epoch = slots.epoch + 1
    say("seal")
    unsealed: list[str] = []
    kept: list[KeySlot] = []
    needs_recovery_slot = True
    for slot in slots.slots:
        if slot.user_id in remove_user_ids and slot.kind == "password":
            continue
        if slot.public_key:
            slot.sealed_next = seal_database_key(slot, new_key, epoch)
            needs_recovery_slot = needs_recovery_slot and slot.kind != "recovery"
        elif slot.kind == "password":
            unsealed.append(slot.user_id)
        kept.append(slot)
    recovery_key: str | None = None
    if needs_recovery_slot:
        # A recovery slot made before key rotation existed has no public key (its user key was never kept):
        # it is replaced by a new one wrapping the new key, whose key the administrator prints (a new sheet).
        recovery_slot, recovery_key = make_recovery_slot(user_id=recovery_user_id, database_key=new_key,
                                                         params=kdf)
        recovery_slot.pending = True
        kept.append(recovery_slot)
    slots.slots = kept
    slots.pending_epoch, slots.pending_check = epoch, key_check(new_key)
    hook("before-slots")
    store.save(slots)
    hook("slots-pending")
    # The audit head outside the database (store/audit_head.py) verifies under both keys until the commit.
    try:
        audit_head.rewrap(data_dir, slots.registry_id, old_key, new_key, keep_old=True)
    except OSError as exc:
        raise os_error_to_registry_error(exc, data_dir) from exc
    hook("head-rewrapped")
    say("checkpoint")
    conn = _keyed_connection(data_dir / DB_FILE, old_key, readonly=False)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        hook("checkpointed")
        say("encrypt")
        conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        hook("rekeyed")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if not key_opens(data_dir, new_key):  # never drop the old generation unless the new key really opens it
        raise RegistryError("database_unreadable", file=DB_FILE)
    hook("before-commit")
    say("commit")
    commit_slots(slots)
    store.save(slots)
    hook("committed")
    with contextlib.suppress(OSError):  # the head still verifies under the new key (its mac_next)
        audit_head.rewrap(data_dir, slots.registry_id, old_key, new_key, keep_old=False)
    return RekeyOutcome(new_key, epoch, recovery_key, tuple(sorted(set(unsealed))))
