"""The hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or
reordering any entry breaks the chain at that point.  The chain head (last seq and hash) is also kept in
``registry_meta`` so that cutting entries off the end is detected too.  Entries carry codes and record
ids only, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.store import high_water
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.models import AuditEntry, RegistryMeta, new_uuid

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
_CACHE_KEY = "audit_head_cache"


def entry_digest(prev_hash: str, seq: int, entry_id: str, at: datetime, user_id: str | None,
                 installation_id: str, action: str, record_type: str | None, record_id: str | None,
                 detail: str) -> str:
    body = json.dumps(
        [seq, entry_id, at.isoformat(timespec="microseconds"), user_id, installation_id, action,
         record_type, record_id, detail],
        ensure_ascii=True, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("ascii")).hexdigest()


def _head(session: Session) -> tuple[int, str]:
    cached = session.info.get(_CACHE_KEY)
    if cached is not None:
        return cached
    row = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


#: Signs an entry's chain hash: returns (signer certificate SHA-256, base64 signature), or None.
Signer: TypeAlias = Callable[[str], tuple[str, str] | None]


def append(session: Session, *, action: AuditAction, user_id: str | None, installation_id: str,
           record_type: str | None = None, record_id: str | None = None,
           detail: Mapping[str, Any] | None = None, signer: Signer | None = None) -> AuditEntry:
    """Add one entry to the chain, in the caller's transaction (so it commits or rolls back with the work).
    With ``signer`` (the acting user's signing key, from the services), the entry's hash is signed: a key
    holder who rewrites the chain before it cannot re-sign it (docs/security-model.md)."""
    seq, prev = _head(session)
    seq += 1
    at = utcnow()
    entry_id = new_uuid()
    detail_json = json.dumps(dict(detail or {}), ensure_ascii=True, sort_keys=True, default=str)
    digest = entry_digest(prev, seq, entry_id, at, user_id, installation_id, action.value, record_type,
                          record_id, detail_json)
    entry = AuditEntry(seq=seq, id=entry_id, at=at, user_id=user_id, installation_id=installation_id,
                       action=action, record_type=record_type, record_id=record_id, detail=detail_json,
                       prev_hash=prev, hash=digest)
    signed = signer(digest) if signer is not None else None
    if signed is not None:
        entry.signer_cert_sha256, entry.signature = signed
    session.add(entry)
    session.info[_CACHE_KEY] = (seq, digest)
    session.merge(RegistryMeta(key=HEAD_KEY, value=f"{seq}:{digest}"))
    high_water.raise_to(session, at)
    return entry


def chain_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the newest entry, including this transaction's own."""
    return _head(session)


def committed_head(session: Session) -> tuple[int, str] | None:
    """In ``after_commit``: (seq, hash) the transaction just committed advanced the chain to, if it did."""
    cached = session.info.get(_CACHE_KEY)
    return cached if isinstance(cached, tuple) else None


def forget_cached_head(session: Session) -> None:
    """Called after rollback: the cached head may name entries that were never committed."""
    session.info.pop(_CACHE_KEY, None)
    high_water.forget_cached(session)


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None  # "hash_mismatch" | "link_broken" | "sequence_gap" | "head_mismatch"
    # | "signature_invalid" | "signature_missing" | "signer_unknown" (see verify_signatures)


def verify_chain(session: Session, batch: int = 5000) -> ChainVerification:
    prev = GENESIS
    expected_seq = 1
    count = 0
    last_seq, last_hash = 0, GENESIS
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for e in session.scalars(stmt):
        if e.seq != expected_seq:
            return ChainVerification(False, count, expected_seq, "sequence_gap")
        if e.prev_hash != prev:
            return ChainVerification(False, count, e.seq, "link_broken")
        digest = entry_digest(e.prev_hash, e.seq, e.id, e.at, e.user_id, e.installation_id, e.action.value,
                              e.record_type, e.record_id, e.detail)
        if digest != e.hash:
            return ChainVerification(False, count, e.seq, "hash_mismatch")
        prev = e.hash
        expected_seq += 1
        count += 1
        last_seq, last_hash = e.seq, e.hash
    head = session.get(RegistryMeta, HEAD_KEY)
    recorded = head.value if head else f"0:{GENESIS}"
    if recorded != f"{last_seq}:{last_hash}":
        return ChainVerification(False, count, last_seq + 1, "head_mismatch")
    return ChainVerification(True, count)


#: Checks one signature: (entry, its signer certificate fingerprint, base64 signature) → None if good, else
#: a problem code ("signature_invalid", "signer_unknown").
SignatureCheck: TypeAlias = Callable[[AuditEntry, str, str], str | None]


def verify_signatures(session: Session, check: SignatureCheck, batch: int = 5000) -> ChainVerification:
    """Every signed entry's signature holds (so nothing before it was rewritten, whoever holds the database
    key), and within a sign-in session, once a user has signed an entry each later entry of theirs is signed
    too (signatures cannot be stripped one by one).  Key and user administration (a new enrolment, a
    recovery) and a new sign-in start afresh.  Run after :func:`verify_chain`."""
    count = 0
    signing_users: set[str | None] = set()
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for e in session.scalars(stmt):
        count += 1
        if e.action in RESETTING_ACTIONS:
            signing_users.discard(e.user_id)
            signing_users.discard(e.record_id)
        if e.signature is None or e.signer_cert_sha256 is None:
            if e.user_id is not None and e.user_id in signing_users:
                return ChainVerification(False, count, e.seq, "signature_missing")
            continue
        problem = check(e, e.signer_cert_sha256, e.signature)
        if problem is not None:
            return ChainVerification(False, count, e.seq, problem)
        signing_users.add(e.user_id)
    return ChainVerification(True, count)


#: After these a user may sign with another key, or (for a while) with none.
RESETTING_ACTIONS = frozenset({AuditAction.LOGIN, AuditAction.KEY_ADMIN, AuditAction.USER_ADMIN,
                               AuditAction.RESTORE})
