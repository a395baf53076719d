"""Key slots: the registry's random database key, wrapped once per user.

The database key is 256 random bits and never derived from anyone's password, so adding a user,
changing a password or removing a user only rewrites this small file; the database is never
re-encrypted.  Each slot wraps a 64-byte secret with AES-256-GCM under a key derived from that
user's password with Argon2id:

    secret = database_key (32 bytes) || user_key (32 bytes)

``user_key`` is random per user and protects that user's private signing/encryption keys inside the
registry, so an administrator who resets a user's password can restore access to the registry but
cannot sign as that user (the user re-enrols instead).

The slots file holds no personal data: slots are found by a salted hash of the login name, and the
GCM associated data binds each wrapped secret to its slot id, user id and KDF parameters, so a slot
cannot be spliced onto another user or have its parameters weakened without failing to open.

Failed unlock attempts are counted in a separate throttle file (persisted, so restarting the app
does not reset the delay) and are written into the audit log at the next successful unlock.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fanguai_desk.domain.errors import RegistryError, UnlockError
from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.store.lock import os_error_to_registry_error

# The file names have their home in store/presence.py (light, for start-up); re-exported here.
from fanguai_desk.store.presence import SLOTS_BACKUP_FILE as SLOTS_BACKUP_FILE
from fanguai_desk.store.presence import SLOTS_FILE as SLOTS_FILE

SLOTS_FORMAT = 1
THROTTLE_FILE = "unlock-throttle.json"
KEY_BYTES = 32
RECOVERY_LOGIN = "__recovery__"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored with every slot so they can be raised later without breaking old slots."""

    iterations: int = 5
    lanes: int = 2
    memory_cost_kib: int = 128 * 1024

    @classmethod
    def production(cls) -> KdfParams:
        # ~0.5 s on the project's 2-core reference machine (see tests/store/test_keyslots_kdf.py).
        return cls()

    @classmethod
    def cheap_for_tests(cls) -> KdfParams:
        # Only tests use this: fast enough to open hundreds of registries in a suite.
        return cls(iterations=1, lanes=1, memory_cost_kib=8)


@dataclass(frozen=True)
class UnlockedSecrets:
    database_key: bytes
    user_key: bytes
    user_id: str
    slot_id: str
    # Every database key this slot can give (its wrapped key, then any sealed by a re-key, newest first);
    # the open keeps the one the database answers to (store/rekey.py).
    candidate_keys: tuple[bytes, ...] = ()


@dataclass
class KeySlot:
    slot_id: str
    user_id: str
    login_salt: str
    login_hash: str
    kdf_salt: str
    kdf: dict[str, int]
    nonce: str
    wrapped: str
    kind: str = "password"  # "password" | "recovery"
    # Key rotation (store/rekey.py): the X25519 public key derived from this slot's user key, so a re-key
    # can seal the new database key to this user without knowing their password ("" = not recorded yet) ...
    public_key: str = ""
    # ... the database key sealed to that public key when the wrapped one is an older generation ...
    sealed: dict[str, str] | None = None
    # ... and, only while a re-key is under way, the next generation's key sealed the same way.
    sealed_next: dict[str, str] | None = None
    # A slot written by a re-key under way (wraps the next key): kept only if the re-key commits.
    pending: bool = False

    def aad(self) -> bytes:
        kdf = KdfParams(**self.kdf)
        return (
            f"fanguai-slot/v{SLOTS_FORMAT}/{self.slot_id}/{self.user_id}/{self.kind}/"
            f"{kdf.iterations}/{kdf.lanes}/{kdf.memory_cost_kib}"
        ).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def normalize_login(login: str) -> str:
    return login.strip().casefold()


def _login_hash(login: str, salt: bytes) -> str:
    return hashlib.blake2b(normalize_login(login).encode("utf-8"), salt=salt[:16], digest_size=32).hexdigest()


def derive_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost_kib,
    )
    return kdf.derive(password.encode("utf-8"))


def make_slot(
    *, user_id: str, login: str, password: str, database_key: bytes, user_key: bytes, params: KdfParams,
    kind: str = "password",
) -> KeySlot:
    login_salt = secrets.token_bytes(16)
    kdf_salt = secrets.token_bytes(16)
    slot = KeySlot(
        slot_id=str(uuid.uuid4()),
        user_id=user_id,
        login_salt=_b64(login_salt),
        login_hash=_login_hash(login, login_salt),
        kdf_salt=_b64(kdf_salt),
        kdf=asdict(params),
        nonce="",
        wrapped="",
        kind=kind,
    )
    kek = derive_kek(password, kdf_salt, params)
    nonce = secrets.token_bytes(12)
    slot.nonce = _b64(nonce)
    slot.wrapped = _b64(AESGCM(kek).encrypt(nonce, database_key + user_key, slot.aad()))
    slot.public_key = _b64(slot_public_key(user_key))
    return slot


def _x25519_private(user_key: bytes) -> X25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fanguai-slot-x25519/v1").derive(user_key)
    return X25519PrivateKey.from_private_bytes(seed)


def slot_public_key(user_key: bytes) -> bytes:
    """The slot owner's X25519 public key, derived from their user key (so only they can derive its private half)."""
    return _x25519_private(user_key).public_key().public_bytes(serialization.Encoding.Raw,
                                                              serialization.PublicFormat.Raw)


def _seal_context(slot: KeySlot, epoch: int) -> bytes:
    return f"fanguai-rekey/v1/{slot.slot_id}/{slot.user_id}/{slot.kind}/{epoch}".encode()


def seal_database_key(slot: KeySlot, database_key: bytes, epoch: int) -> dict[str, str]:
    """Seal a database key to the slot's public key: ephemeral X25519 + HKDF-SHA256 + AES-256-GCM (the HPKE
    base-mode construction), the associated data binding slot id, user id, slot kind and key epoch."""
    recipient = X25519PublicKey.from_public_bytes(_unb64(slot.public_key))
    ephemeral = X25519PrivateKey.generate()
    enc = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    context = _seal_context(slot, epoch)
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=enc + _unb64(slot.public_key),
               info=context).derive(ephemeral.exchange(recipient))
    nonce = secrets.token_bytes(12)
    return {"epoch": str(epoch), "enc": _b64(enc), "nonce": _b64(nonce),
            "ct": _b64(AESGCM(key).encrypt(nonce, database_key, context))}


def open_sealed(slot: KeySlot, sealed: dict[str, str], user_key: bytes) -> bytes | None:
    """The database key sealed in ``sealed`` for this slot's owner, or None if it does not open."""
    try:
        enc = _unb64(sealed["enc"])
        private = _x25519_private(user_key)
        mine = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        context = _seal_context(slot, int(sealed["epoch"]))
        key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=enc + mine, info=context).derive(
            private.exchange(X25519PublicKey.from_public_bytes(enc)))
        return AESGCM(key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ct"]), context)
    except (InvalidTag, KeyError, ValueError):
        return None


def try_slot(slot: KeySlot, password: str) -> UnlockedSecrets | None:
    kek = derive_kek(password, _unb64(slot.kdf_salt), KdfParams(**slot.kdf))
    try:
        secret = AESGCM(kek).decrypt(_unb64(slot.nonce), _unb64(slot.wrapped), slot.aad())
    except InvalidTag:
        return None
    user_key = secret[KEY_BYTES:]
    keys = [secret[:KEY_BYTES]]
    for sealed in (slot.sealed, slot.sealed_next):
        opened = open_sealed(slot, sealed, user_key) if sealed else None
        if opened is not None:
            keys.insert(0, opened)
    return UnlockedSecrets(secret[:KEY_BYTES], user_key, slot.user_id, slot.slot_id, tuple(keys))


def slot_matches_login(slot: KeySlot, login: str) -> bool:
    return hmac.compare_digest(slot.login_hash, _login_hash(login, _unb64(slot.login_salt)))


def slots_checksum(doc: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of everything but the checksum itself (accidental damage only:
    tampering is caught by each slot's AES-GCM tag)."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


@dataclass
class SlotsFile:
    installation_id: str
    registry_id: str
    slots: list[KeySlot] = field(default_factory=list)
    epoch: int = 0  # the database key's generation (raised by each re-key)
    pending_epoch: int | None = None  # set only while a re-key is under way (store/rekey.py)
    pending_check: str | None = None  # ... with a check value of the next key (an HMAC under it)

    def to_bytes(self) -> bytes:
        doc: dict[str, Any] = {
            "format": SLOTS_FORMAT,
            "epoch": self.epoch,
            "pending_epoch": self.pending_epoch,
            "pending_check": self.pending_check,
            "registry_id": self.registry_id,
            "installation_id": self.installation_id,
            "slots": [asdict(s) for s in self.slots],
        }
        doc["checksum"] = slots_checksum(doc)
        return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> SlotsFile:
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("format") != SLOTS_FORMAT:
                raise RegistryError("slots_format_unknown", found=str(doc.get("format")))
            # A damaged but still parseable file (one altered value) is told apart from a wrong password:
            # it fails here, and the store falls back to the .bak copy (files written before the checksum
            # existed have none and are read as before).
            if "checksum" in doc and not hmac.compare_digest(str(doc["checksum"]), slots_checksum(doc)):
                raise RegistryError("slots_corrupt", file=SLOTS_FILE)
            slots = [KeySlot(**s) for s in doc["slots"]]
            for s in slots:
                _unb64(s.kdf_salt), _unb64(s.nonce), _unb64(s.wrapped), _unb64(s.login_salt)
                KdfParams(**s.kdf)
            pending = doc.get("pending_epoch")
            return cls(str(doc["installation_id"]), str(doc["registry_id"]), slots, int(doc.get("epoch", 0)),
                       None if pending is None else int(pending),
                       None if doc.get("pending_check") is None else str(doc["pending_check"]))
        except RegistryError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise RegistryError("slots_corrupt", file=SLOTS_FILE) from exc


class KeySlotStore:
    """The slots file of one data directory, with a backup copy to fall back to if the main one is damaged."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / SLOTS_FILE
        self.backup_path = data_dir / SLOTS_BACKUP_FILE
        self.throttle = UnlockThrottle(data_dir / THROTTLE_FILE)

    def exists(self) -> bool:
        return self.path.exists() or self.backup_path.exists()

    def load(self) -> SlotsFile:
        """Load the slots; if the main file is unreadable, fall back to the backup copy."""
        main_error: RegistryError | None = None
        if self.path.exists():
            try:
                return SlotsFile.from_bytes(self.path.read_bytes())
            except RegistryError as exc:
                if exc.code == "slots_format_unknown":
                    raise
                main_error = exc
        if self.backup_path.exists():
            try:
                data = self.backup_path.read_bytes()
                slots = SlotsFile.from_bytes(data)
            except RegistryError:
                pass
            else:
                if main_error is not None or not self.path.exists():
                    # The main file is damaged (or missing) but the copy is good: put the copy back, if the
                    # disk lets us (a read-only medium still opens from the copy).
                    with contextlib.suppress(OSError):
                        atomic_write_bytes(self.path, data)
                return slots
        if main_error is not None:
            raise RegistryError("slots_corrupt", file=SLOTS_FILE, dir=str(self.data_dir))
        raise RegistryError("registry_missing")

    def save(self, slots: SlotsFile) -> None:
        data = slots.to_bytes()
        # The backup is written first: if we die between the two writes, load() still finds a good copy.
        try:
            atomic_write_bytes(self.backup_path, data)
            atomic_write_bytes(self.path, data)
        except OSError as exc:
            raise os_error_to_registry_error(exc, self.data_dir) from exc

    def unlock(self, login: str | None, password: str, now: float | None = None) -> UnlockedSecrets:
        """Open a slot.  With ``login`` None, every password slot is tried (CLI convenience)."""
        now = time.time() if now is None else now
        wait = self.throttle.seconds_to_wait(now)
        if wait > 0:
            raise UnlockError("unlock_throttled", seconds=int(wait + 0.999))
        slots = self.load().slots
        candidates: Iterable[KeySlot]
        if login is None:
            candidates = [s for s in slots if s.kind == "password"]
        elif login == RECOVERY_LOGIN:
            candidates = [s for s in slots if s.kind == "recovery"]
        else:
            candidates = [s for s in slots if s.kind == "password" and slot_matches_login(s, login)]
        for slot in candidates:
            opened = try_slot(slot, password)
            if opened is not None:
                return opened
        if not candidates and login is not None:
            # Same cost as a real attempt, so timing does not reveal whether the login exists.
            derive_kek(password, b"\0" * 16, KdfParams.production())
        with contextlib.suppress(OSError):  # a full disk: the answer is still "wrong password", no traceback
            self.throttle.record_failure(now)
        raise UnlockError("wrong_credentials")


class UnlockThrottle:
    """Persisted count of consecutive failures; after 3, each further attempt waits 2^(n-3) s (max 5 min)."""

    FREE_ATTEMPTS = 3
    MAX_DELAY = 300.0

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        try:
            doc = json.loads(self.path.read_text("utf-8"))
            state: dict[str, Any] = {"failures": int(doc["failures"]), "last": float(doc["last"]),
                                     "unreported": int(doc.get("unreported", doc["failures"]))}
            if doc.get("mono") is not None:
                state["mono"] = float(doc["mono"])
            return state
        except (OSError, ValueError, KeyError, TypeError):
            return {"failures": 0, "last": 0.0, "unreported": 0}

    def failures(self) -> int:
        return int(self._read()["failures"])

    def delay_for(self, failures: int) -> float:
        if failures < self.FREE_ATTEMPTS:
            return 0.0
        return float(min(self.MAX_DELAY, 2 ** (failures - self.FREE_ATTEMPTS)))

    def seconds_to_wait(self, now: float, mono: float | None = None) -> float:
        """Capped relative to now: a failure recorded with the clock a year ahead waits at most one delay.
        Moving the clock forward does not skip a wait either: the time passed is the lesser of the wall
        clock's and the system's monotonic clock's (seconds since boot, which the user cannot set); after a
        reboot (the monotonic clock restarted below the recorded value) only the wall clock is left."""
        state = self._read()
        delay = self.delay_for(state["failures"])
        elapsed = now - state["last"]
        mono = time.monotonic() if mono is None else mono
        if "mono" in state and mono >= state["mono"]:
            elapsed = min(elapsed, mono - state["mono"])
        return min(delay, max(0.0, delay - elapsed))

    def record_failure(self, now: float, mono: float | None = None) -> None:
        state = self._read()
        state["failures"] += 1
        state["unreported"] += 1
        state["last"] = now
        state["mono"] = time.monotonic() if mono is None else mono
        atomic_write_bytes(self.path, json.dumps(state).encode())

    def last_failure(self) -> float | None:
        """When the last failed attempt was (epoch seconds), if any failure is still on record."""
        state = self._read()
        return float(state["last"]) if state["failures"] or state["unreported"] else None

    def take_unreported_and_reset(self) -> int:
        """On a successful unlock: reset the delay and return how many failures the audit log must record."""
        state = self._read()
        if state["failures"] == 0 and state["unreported"] == 0:
            return 0
        atomic_write_bytes(self.path, json.dumps({"failures": 0, "last": 0.0, "unreported": 0}).encode())
        return int(state["unreported"])


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_user_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def random_id() -> str:
    return str(uuid.UUID(bytes=os.urandom(16), version=4))
