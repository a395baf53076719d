"""The township's audit chain head travels in every bundle; the supervisor checks that it grows.

Header fields (format 2):

    "audit_head": {"seq": 812, "hash": "…"}            the exporting laptop's chain head now
    "audit_at":   {"640": "…", "733": "…"}             the hash, *recomputed from today's chain*, at the
                                                        head of each earlier export to this recipient

The supervisor keeps the last head it received per installation (``registry_meta`` key
``audit_head:<installation id>``).  The next bundle *extends* it when its ``audit_at`` (or its head)
holds that same seq with that same hash.  Otherwise the chain was rewritten at or before a point the
supervisor already saw (``rewritten``), cut back (``truncated``: the new head is older), or cannot be
compared (``unverifiable``: the stored seq is older than the exports the laptop lists).  The import goes
on — the records are still the signer's own — but the status is written into the import's audit entry and
report and shown to the supervisor.  Residual risk: entries written and rewritten between two exports.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.store import audit
from fanguai_desk.store.models import AuditEntry, RegistryMeta

MAX_EARLIER = 50
EXTENDS, FIRST, REWRITTEN, TRUNCATED, UNVERIFIABLE, MISSING = (
    "extends", "first", "rewritten", "truncated", "unverifiable", "missing")
FLAGGED = frozenset({REWRITTEN, TRUNCATED, UNVERIFIABLE, MISSING})


def header_fields(s: Session, recipient_tag: str) -> dict[str, Any]:
    """``audit_head`` and ``audit_at`` for an export to the recipient whose fingerprint starts ``recipient_tag``."""
    seq, digest = audit.chain_head(s)
    earlier: list[int] = []
    for detail in s.scalars(select(AuditEntry.detail).where(AuditEntry.action == AuditAction.EXPORT)
                            .order_by(AuditEntry.seq.desc())):
        try:
            d = json.loads(detail or "{}")
        except ValueError:
            continue
        if isinstance(d, dict) and d.get("recipient") == recipient_tag and isinstance(d.get("audit_seq"), int):
            earlier.append(d["audit_seq"])
            if len(earlier) >= MAX_EARLIER:
                break
    at = {str(k): v for k, v in s.execute(select(AuditEntry.seq, AuditEntry.hash)
                                          .where(AuditEntry.seq.in_(earlier))).tuples()}
    return {"audit_head": {"seq": seq, "hash": digest}, "audit_at": at}


def check_and_remember(s: Session, header: Mapping[str, Any]) -> str:
    """Compare the bundle's head with the last one kept for its installation, keep the newer; the status."""
    head = header.get("audit_head")
    at = header.get("audit_at") or {}
    if not isinstance(head, dict) or not isinstance(head.get("seq"), int) or not isinstance(head.get("hash"), str) \
            or not isinstance(at, dict):
        return MISSING
    key = f"audit_head:{header['installation_id']}"
    stored = s.get(RegistryMeta, key)
    status = FIRST
    if stored is not None:
        seq_text, _, digest = stored.value.partition(":")
        seq = int(seq_text)
        seen = dict(at)
        seen[str(head["seq"])] = head["hash"]
        if head["seq"] < seq:
            status = TRUNCATED
        elif str(seq) in seen:
            status = EXTENDS if seen[str(seq)] == digest else REWRITTEN
        else:
            status = UNVERIFIABLE
    if stored is None or status != TRUNCATED:
        s.merge(RegistryMeta(key=key, value=f"{head['seq']}:{head['hash']}"))
    return status
