"""Signed receipts: the county tells a township what it holds (docs/exchange-format.md, "Receipts").

    receipt file (.p7s) = S/MIME application/pkcs7-mime; smime-type=signed-data (CMS SignedData, SHA-256,
                          signed by the supervisor's signing certificate, content embedded)
      content           = gzip of one JSON object:
        {"format": "fanguai-receipt", "format_version": 1, "receipt_id", "created_at",
         "supervisor_certs": [sha256 of each encryption certificate the supervisor decrypts with],
         "installations": [{"installation_id",
                            "epochs": [{"epoch", "parent", "base", "held_through", "sequences", "missing"}],
                            "records": [[record_id, version], ...],   # as last received from that laptop
                            "tombstones": [record_id, ...]}]}

No personal data: record ids (random UUIDs), version numbers and change numbers only, so it is signed
but not encrypted.  A township accepts it only when it is signed by the same person whose encryption
certificate it exports to, with a certificate from the county CA.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.exchange.delivery import holdings
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.store.models import RecordSync, Tombstone, new_uuid

RECEIPT_FORMAT = "fanguai-receipt"
RECEIPT_VERSION = 1
MAX_RECEIPT_BYTES = 512 * 1024**2


def receipt_content(s: Session, supervisor_certs: Sequence[str], created_at: datetime) -> dict[str, Any]:
    installations: dict[str, dict[str, Any]] = {}

    def entry(installation_id: str) -> dict[str, Any]:
        return installations.setdefault(installation_id, {"installation_id": installation_id, "epochs": [],
                                                          "records": [], "tombstones": []})

    for (inst, _epoch), h in sorted(holdings(s).items()):
        entry(inst)["epochs"].append({"epoch": h.epoch, "parent": h.parent, "base": h.base,
                                      "held_through": h.held_through, "sequences": sorted(h.sequences),
                                      "missing": [list(m) for m in h.missing()]})
    for record_id, version, origin in s.execute(select(RecordSync.record_id, RecordSync.synced_version,
                                                       RecordSync.origin_installation)
                                                .order_by(RecordSync.record_id)):
        entry(origin)["records"].append([record_id, version])
    for record_id, origin in s.execute(select(Tombstone.record_id, Tombstone.installation_id)
                                       .order_by(Tombstone.record_id)):
        if origin in installations:
            installations[origin]["tombstones"].append(record_id)
    return {"format": RECEIPT_FORMAT, "format_version": RECEIPT_VERSION, "receipt_id": new_uuid(),
            "created_at": created_at.isoformat(), "supervisor_certs": list(supervisor_certs),
            "installations": [installations[k] for k in sorted(installations)]}


def encode_receipt(content: dict[str, Any]) -> bytes:
    return gzip.compress(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                         mtime=0)


@dataclass
class ReceiptForLaptop:
    """One receipt's part about one laptop, as a township reads it."""

    receipt_id: str
    created_at: datetime
    supervisor_certs: list[str]
    epochs: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    tombstones: set[str] = field(default_factory=set)

    def held(self, epoch: str) -> int | None:
        for e in self.epochs:
            if e.get("epoch") == epoch:
                return int(e.get("held_through") or 0)
        return None


def decode_receipt(payload: bytes, installation_id: str) -> ReceiptForLaptop:
    def bad(reason: str) -> ExchangeError:
        return ExchangeError("receipt_invalid", reason=reason)

    try:
        content = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, ValueError, UnicodeDecodeError):
        raise bad("format") from None
    if not isinstance(content, dict) or content.get("format") != RECEIPT_FORMAT:
        raise bad("format")
    if content.get("format_version") != RECEIPT_VERSION:
        raise bad("version")
    try:
        created = datetime.fromisoformat(content["created_at"])
        certs = [str(c) for c in content["supervisor_certs"]]
        out = ReceiptForLaptop(str(content["receipt_id"]), created, certs)
        for inst in content["installations"]:
            if inst["installation_id"] != installation_id:
                continue
            out.epochs = [dict(e) for e in inst["epochs"]]
            out.records = {str(rid): int(v) for rid, v in inst["records"]}
            out.tombstones = {str(t) for t in inst["tombstones"]}
    except (KeyError, TypeError, ValueError):
        raise bad("format") from None
    return out
