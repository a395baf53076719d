"""The transfer bundle (移交包): one whole file, with its history, handed to another installation.

Same envelope and payload format as a records bundle (docs/exchange-format.md): CMS SignedData inside
EnvelopedData, addressed to the receiving user's encryption certificate, a gzip'd JSON-lines payload.  What
differs:

* the header has ``"kind": "transfer"``, ``"sequence": 1`` (transfers do not take part in the township →
  county sequence; replay is refused by ``bundle_id``) and a ``"transfer"`` object: the file's id, the
  sending township, the destination as the sender wrote it, and the sending county's CA certificate and CRLs
  (so that a receiver in another county that trusts that CA can check the author and revocation);
* the records are the one file and everything it owns (guardians, buyer households, consents, services, visits,
  referrals and their events, placements), its case, the townships and user stubs they name;
* ``{"t": "history", "data": {...}}`` lines carry the field-level history (``change_log``) of those records.

Nothing here touches the database schema or decides trust: ``services/transfer.py`` does.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.exporter import EXPORT_ORDER, ExportSelection, _statement
from fanguai_desk.exchange.payload import FORMAT, FORMAT_VERSION, PayloadWriter, encode_value
from fanguai_desk.store.models import ChangeEntry, User

KIND = "transfer"
HISTORY_FIELDS = ("record_type", "record_id", "version", "field", "old_value", "new_value", "changed_at",
                  "changed_by", "installation_id")


@dataclass
class TransferPayload:
    payload: bytes
    counts: dict[str, int] = field(default_factory=dict)
    history: int = 0


def build_transfer_payload(s: Session, victim_id: str, township_ids: Sequence[str] | None,
                           header: dict[str, Any]) -> TransferPayload:
    """The payload of a transfer bundle for one file (``header`` gives the envelope's fields)."""
    writer = PayloadWriter()
    writer.line({"t": "header", "format": FORMAT, "format_version": FORMAT_VERSION, **header, "kind": KIND})
    sel = ExportSelection(township_ids, [victim_id], None)
    rows: dict[type[Any], list[dict[str, Any]]] = {
        model: [{key: encode_value(value) for key, value in row._mapping.items()}
                for row in s.execute(_statement(model, sel))] for model in EXPORT_ORDER}
    # Only the staff the file's records name travel (who wrote what, the caseworker), not every user here.
    named = {str(r[k]) for model, batch in rows.items() if model is not User for r in batch
             for k in ("created_by", "updated_by", "caseworker_id") if r.get(k)}
    rows[User] = [r for r in rows[User] if r["id"] in named]
    counts: dict[str, int] = {}
    ids: set[str] = set()
    for model in EXPORT_ORDER:
        for data in rows[model]:
            writer.record(model.RECORD_TYPE, data)
            ids.add(str(data["id"]))
        counts[model.RECORD_TYPE] = len(rows[model])
    if counts.get("victim") != 1:
        raise ExchangeError("bundle_incomplete", record_type="victim")
    history = 0
    for entry in s.scalars(select(ChangeEntry).where(ChangeEntry.record_id.in_(ids)).order_by(ChangeEntry.seq)):
        writer.line({"t": "history", "data": {k: encode_value(getattr(entry, k)) for k in HISTORY_FIELDS}})
        history += 1
    return TransferPayload(writer.finish(), counts, history)


def history_entry(data: Any) -> ChangeEntry:
    """A ``history`` line back into a change-log row (refusing anything malformed)."""
    from datetime import datetime

    if not isinstance(data, dict) or set(data) != set(HISTORY_FIELDS):
        raise ExchangeError("bundle_malformed", part="history")
    try:
        changed_at = datetime.fromisoformat(str(data["changed_at"]))
        version = int(data["version"])
    except (TypeError, ValueError):
        raise ExchangeError("bundle_malformed", part="history") from None
    texts = {}
    for key in ("record_type", "record_id", "field", "old_value", "new_value", "changed_by", "installation_id"):
        value = data[key]
        if value is not None and not isinstance(value, str):
            raise ExchangeError("bundle_malformed", part="history")
        texts[key] = value
    if not texts["record_id"] or not texts["field"] or not texts["record_type"]:
        raise ExchangeError("bundle_malformed", part="history")
    return ChangeEntry(version=version, changed_at=changed_at, **texts)


def pem_list(items: Sequence[bytes]) -> list[str]:
    return [base64.b64encode(b).decode("ascii") for b in items]


def sender_ca(header: dict[str, Any]) -> tuple[x509.Certificate | None, list[bytes]]:
    """The sending county's CA certificate and CRLs as the header carries them (not trusted by themselves)."""
    info = header.get("transfer")
    if not isinstance(info, dict):
        raise ExchangeError("bundle_malformed", part="header")
    ca = None
    try:
        if isinstance(info.get("ca_cert"), str):
            ca = x509.load_pem_x509_certificate(info["ca_cert"].encode("ascii"))
        crls = [base64.b64decode(c) for c in info.get("crls") or [] if isinstance(c, str)]
    except ValueError:
        raise ExchangeError("bundle_malformed", part="header") from None
    return ca, crls
