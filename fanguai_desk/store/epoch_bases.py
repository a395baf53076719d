"""What a restored laptop held of each record when its delivery epoch began (issue 19, migration 0021).

A restore starts a new delivery epoch (``store/journal.py``) and the laptop numbers record versions again
from its backup.  The county may hold a later version from the lost laptop; versions of two epochs are not
comparable, so a restored laptop that edits a record *more* times than the lost one did would send a higher
version and silently overwrite the lost laptop's edits at the county.

So :func:`snapshot` (called when an epoch starts) records, for every record, the version the laptop holds and
a digest of its contents.  In the new epoch the exporter sends them with each record (``"base"`` beside
``"data"``, docs/exchange-format.md) and the county takes an incoming version as a successor of its copy only
if the base *proves* the sender held exactly that copy: same version and the same contents digest
(``exchange/importer.py``).  A claim cannot be forged without knowing the contents the county holds — which
the restored laptop does not know when the lost laptop's edits never reached it; anything unproven is a
merge conflict for the supervisor, never an overwrite.

The digest covers the fields a merge compares (not the bookkeeping columns nor the file's maintained state),
and not ``township_id``, which the county may map to its own id of the same township.  It is a SHA-256 of a
canonical JSON text of the record id and those fields, computed the same way on both sides by
:func:`content_digest`.  Only ids, versions and digests are stored; purging or deleting a record removes its
row with the other rows that name it by ``record_id`` (``services/purge.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from fanguai_desk.store.models import TRACKED_MODELS, EpochBase
from fanguai_desk.store.state import DERIVED_COLUMNS

#: Not part of the contents a base proves: identity/bookkeeping columns, the maintained state, and the
#: township (the county may know the same township under another id).
NOT_DIGESTED = frozenset({"id", "created_at", "created_by", "origin_installation", "updated_at", "updated_by",
                          "updated_installation", "version", "township_id"}) | DERIVED_COLUMNS

_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def digest_fields(model: type[Any]) -> tuple[str, ...]:
    fields = _FIELDS.get(model)
    if fields is None:
        fields = _FIELDS[model] = tuple(sorted(c.key for c in model.__table__.columns if c.key not in NOT_DIGESTED))
    return fields


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def content_digest(model: type[Any], record_id: str, values: Mapping[str, Any] | Any) -> str:
    """``values``: a row mapping or an ORM object (attributes), with the columns' Python values."""
    get = values.get if isinstance(values, Mapping) else (lambda k: getattr(values, k, None))
    text = json.dumps([record_id, [[f, _plain(get(f))] for f in digest_fields(model)]],
                      ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(s: Session, batch: int = 2000) -> int:
    """Record what this registry holds now as the base of the epoch that starts; returns the record count."""
    s.execute(delete(EpochBase))
    n = 0
    for model in TRACKED_MODELS:
        table = model.__table__
        columns = [table.c.id, table.c.version, *(table.c[f] for f in digest_fields(model))]
        rows = []
        for row in s.execute(select(*columns)):
            m = row._mapping
            rows.append({"record_id": m["id"], "version": int(m["version"]),
                         "digest": content_digest(model, m["id"], m)})
            if len(rows) >= batch:
                s.execute(insert(EpochBase), rows)
                n, rows = n + len(rows), []
        if rows:
            s.execute(insert(EpochBase), rows)
            n += len(rows)
    return n


def any_bases(s: Session) -> bool:
    return s.scalar(select(EpochBase.record_id).limit(1)) is not None


def bases_for(s: Session, record_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    ids = list(record_ids)
    out: dict[str, tuple[int, str]] = {}
    for i in range(0, len(ids), 500):
        for rid, version, digest in s.execute(select(EpochBase.record_id, EpochBase.version, EpochBase.digest)
                                              .where(EpochBase.record_id.in_(ids[i:i + 500]))):
            out[rid] = (int(version), digest)
    return out

