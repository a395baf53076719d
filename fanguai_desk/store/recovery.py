"""The recovery key: the way back in when the last administrator password is lost.

Generated at registry creation, shown (and printed) once, and kept only as its own key slot
(``kind="recovery"``): like any slot it wraps the database key under Argon2id + AES-GCM, so the key itself
is stored nowhere.  It is 30 random Crockford base-32 characters (150 bits) plus 2 check characters that
catch a mistyped key before it counts as a failed unlock, shown in groups of four:
``7K3M-Q0ZD-…``.  Crockford's alphabet has no I, L, O or U; reading them back, O is taken as 0 and I/L as 1.
"""

from __future__ import annotations

import hashlib
import secrets

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.store.keyslots import RECOVERY_LOGIN, KdfParams, KeySlot, make_slot, new_user_key

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_CHARS = 30
CHECK_CHARS = 2
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check(body: str) -> str:
    n = int.from_bytes(hashlib.blake2b(body.encode("ascii"), digest_size=4, person=b"fanguai-recov").digest(), "big")
    return ALPHABET[n % 32] + ALPHABET[(n >> 5) % 32]


def new_recovery_key() -> str:
    """A fresh key in its display form (groups of four separated by dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_CHARS))
    return format_recovery_key(body + _check(body))


def format_recovery_key(canonical: str) -> str:
    return "-".join(canonical[i:i + GROUP] for i in range(0, len(canonical), GROUP))


def normalize_recovery_key(text: str) -> str:
    """The canonical form used as the slot's secret; refuses a malformed or mistyped key."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t\r\n").translate(_READ_AS)
    if len(compact) != BODY_CHARS + CHECK_CHARS or any(ch not in ALPHABET for ch in compact):
        raise ValidationError("recovery_key_format", length=BODY_CHARS + CHECK_CHARS)
    if _check(compact[:BODY_CHARS]) != compact[BODY_CHARS:]:
        raise ValidationError("recovery_key_typo")
    return compact


def make_recovery_slot(*, user_id: str, database_key: bytes, params: KdfParams) -> tuple[KeySlot, str]:
    """A new recovery slot for the administrator ``user_id`` and the key (display form) that opens it.

    The slot wraps a fresh, unused user key: recovering gives back the registry, not the administrator's
    signing keys (they enrol again), exactly like an administrator's password reset of another user.
    """
    key = new_recovery_key()
    slot = make_slot(user_id=user_id, login=RECOVERY_LOGIN, password=normalize_recovery_key(key),
                     database_key=database_key, user_key=new_user_key(), params=params, kind="recovery")
    return slot, key
