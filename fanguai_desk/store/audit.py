"""The hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or
reordering any entry breaks the chain at that point.  The chain head (last seq and hash) is also kept in
``registry_meta`` so that cutting entries off the end is detected too.  Entries carry codes and record
ids only, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction
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


def append(session: Session, *, action: AuditAction, user_id: str | None, installation_id: str,
           record_type: str | None = None, record_id: str | None = None,
           detail: Mapping[str, Any] | None = None) -> AuditEntry:
    """Add one entry to the chain, in the caller's transaction (so it commits or rolls back with the work)."""
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
    session.add(entry)
    session.info[_CACHE_KEY] = (seq, digest)
    session.merge(RegistryMeta(key=HEAD_KEY, value=f"{seq}:{digest}"))
    return entry


def forget_cached_head(session: Session) -> None:
    """Called after rollback: the cached head may name entries that were never committed."""
    session.info.pop(_CACHE_KEY, None)


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None  # "hash_mismatch" | "link_broken" | "sequence_gap" | "head_mismatch"


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
