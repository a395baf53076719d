"""Signed receipts: the county tells a township what it holds (docs/exchange-format.md, "Receipts").

    receipt file (.p7s) = S/MIME application/pkcs7-mime; smime-type=signed-data (CMS SignedData, SHA-256,
                          signed by the supervisor's signing certificate, content embedded)
      content           = gzip of one JSON object:
        {"format": "fanguai-receipt", "format_version": 2, "receipt_id", "created_at",
         "supervisor_certs": [sha256 of each encryption certificate the supervisor decrypts with],
         "installations": [{"installation_id",
                            "epochs": [{"epoch", "parent", "base", "held_through", "sequences", "missing"}],
                            "records": {"n": N, "cells": C, "table": base64},   # exchange/digest.py: (id, version)
                            "tombstones": {"n": M, "cells": C, "table": base64}}]}   # as last received

Version 1 listed every record id and version (~25 MB at 100,000 files); version 2 carries digests whose size
is about a byte per record and which tell the township exactly what differs (exchange/digest.py).  A version 1
receipt is still read.

No personal data: record ids (random UUIDs), version numbers and change numbers only, so it is signed
but not encrypted.  A township accepts it only when it is signed by the same person whose encryption
certificate it exports to, with a certificate from the county CA.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanguai_desk.exchange.delivery import holdings
from fanguai_desk.exchange.digest import Table, cells_for
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.store.models import RecordSync, Tombstone, new_uuid

RECEIPT_FORMAT = "fanguai-receipt"
RECEIPT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_RECEIPT_BYTES = 512 * 1024**2


def receipt_content(s: Session, supervisor_certs: Sequence[str], created_at: datetime) -> dict[str, Any]:
    installations: dict[str, dict[str, Any]] = {}

    def entry(installation_id: str) -> dict[str, Any]:
        return installations.setdefault(installation_id, {"installation_id": installation_id, "epochs": [],
                                                          "records": _digest([]), "tombstones": _digest([])})

    for (inst, _epoch), h in sorted(holdings(s).items()):
        entry(inst)["epochs"].append({"epoch": h.epoch, "parent": h.parent, "base": h.base,
                                      "held_through": h.held_through, "sequences": sorted(h.sequences),
                                      "missing": [list(m) for m in h.missing()]})
    # one laptop's table at a time, streamed from the registry
    for (origin, n) in s.execute(select(RecordSync.origin_installation, func.count())
                                 .group_by(RecordSync.origin_installation)).all():
        rows = s.execute(select(RecordSync.record_id, RecordSync.synced_version)
                         .where(RecordSync.origin_installation == origin).execution_options(yield_per=5000))
        entry(origin)["records"] = _digest(((rid, v) for rid, v in rows), int(n))
    for (origin, n) in s.execute(select(Tombstone.installation_id, func.count())
                                 .group_by(Tombstone.installation_id)).all():
        if origin in installations:
            rows = s.execute(select(Tombstone.record_id).where(Tombstone.installation_id == origin))
            installations[origin]["tombstones"] = _digest(((rid, 0) for (rid,) in rows), int(n))
    return {"format": RECEIPT_FORMAT, "format_version": RECEIPT_VERSION, "receipt_id": new_uuid(),
            "created_at": created_at.isoformat(), "supervisor_certs": list(supervisor_certs),
            "installations": [installations[k] for k in sorted(installations)]}


def _digest(pairs: Iterable[tuple[str, int]], n: int = 0) -> dict[str, Any]:
    cells = cells_for(n)
    return {"n": n, "cells": cells, "table": Table(cells).add_all(pairs).encode()}


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
    records: dict[str, int] = field(default_factory=dict)  # version 1: every record held
    tombstones: set[str] = field(default_factory=set)  # version 1
    digests: dict[str, Any] = field(default_factory=dict)  # version 2: {"records": …, "tombstones": …}

    def held(self, epoch: str) -> int | None:
        for e in self.epochs:
            if e.get("epoch") == epoch:
                return int(e.get("held_through") or 0)
        return None


def decode_receipt(payload: bytes, installation_id: str) -> ReceiptForLaptop:
    def bad(reason: str) -> ExchangeError:
        # a message code of its own per reason (messages.py): the user reads words, never an English reason
        return ExchangeError("receipt_version" if reason == "version" else "receipt_invalid")

    try:
        content = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, ValueError, UnicodeDecodeError):
        raise bad("format") from None
    if not isinstance(content, dict) or content.get("format") != RECEIPT_FORMAT:
        raise bad("format")
    if content.get("format_version") not in READABLE_VERSIONS:
        raise bad("version")
    try:
        created = datetime.fromisoformat(content["created_at"])
        certs = [str(c) for c in content["supervisor_certs"]]
        out = ReceiptForLaptop(str(content["receipt_id"]), created, certs)
        for inst in content["installations"]:
            if inst["installation_id"] != installation_id:
                continue
            out.epochs = [dict(e) for e in inst["epochs"]]
            if content["format_version"] == 1:
                out.records = {str(rid): int(v) for rid, v in inst["records"]}
                out.tombstones = {str(t) for t in inst["tombstones"]}
                continue
            for key in ("records", "tombstones"):
                d = inst[key]
                Table.decode(int(d["cells"]), str(d["table"]))  # readable, the right size
                out.digests[key] = {"n": int(d["n"]), "cells": int(d["cells"]), "table": str(d["table"])}
    except (KeyError, TypeError, ValueError):
        raise bad("format") from None
    return out
