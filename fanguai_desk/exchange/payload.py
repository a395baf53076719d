"""The bundle payload: gzip'd JSON lines (docs/exchange-format.md).

    {"t": "header", "format": "fanguai-exchange", "format_version": 1, "kind": "records", ...}
    {"t": "record", "type": "victim", "data": {...every column...}}
    {"t": "record", "type": "victim", "data": {...}, "base": {"version": N, "digest": "…"}}  (restored laptop)
    {"t": "tombstone", "type": "victim", "id": "...", "deleted_at": "...", "reason": "purged"}
    {"t": "statistics", ...}                      (kind "statistics" only)
    {"t": "end", "records": N, "tombstones": M}

Lines are written and read one at a time, so neither side holds the whole registry as Python objects.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.inflate import bounded_lines

FORMAT = "fanguai-exchange"
FORMAT_VERSION = 2  # 2: header declares inflated_bytes (bounded reading), signer binding, audit head


def encode_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode_value(column: Column[Any], value: Any) -> Any:
    """Turn a JSON value back into the column's Python type; anything else is a malformed bundle."""
    if value is None:
        return None
    try:
        if isinstance(column.type, DateTime):
            return datetime.fromisoformat(value)
        if isinstance(column.type, Date):
            return date.fromisoformat(value)
        if isinstance(column.type, Boolean):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(column.type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, ValueError):
        raise ExchangeError("bundle_malformed", part="record") from None


class PayloadWriter:
    """The header line is held back and written at :meth:`finish` as a gzip member of its own, in front of
    the body's member, declaring the body's exact inflated size (``inflated_bytes``) so that a reader can
    refuse a payload that inflates further (exchange/inflate.py)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._gzip = gzip.GzipFile(fileobj=self._buffer, mode="wb", compresslevel=6, mtime=0)
        self.records = 0
        self.tombstones = 0
        self._header: dict[str, Any] | None = None
        self._inflated = 0

    @property
    def inflated_bytes(self) -> int:
        """The body's inflated size so far (what the header declares once finished)."""
        return self._inflated

    @staticmethod
    def _encode(obj: dict[str, Any]) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=encode_value).encode("utf-8") \
            + b"\n"

    def line(self, obj: dict[str, Any]) -> None:
        if obj.get("t") == "header" and self._header is None and not self._inflated:
            self._header = dict(obj)
            return
        data = self._encode(obj)
        self._inflated += len(data)
        self._gzip.write(data)

    def record(self, record_type: str, data: dict[str, Any], base: tuple[int, str] | None = None) -> None:
        """``base``: in a restored laptop's epoch, the version and contents digest it held when the epoch began
        (``store/epoch_bases.py``)."""
        self.records += 1
        if base is None:
            self.line({"t": "record", "type": record_type, "data": data})
        else:
            self.line({"t": "record", "type": record_type, "data": data,
                       "base": {"version": base[0], "digest": base[1]}})

    def tombstone(self, record_type: str, record_id: str, deleted_at: datetime, reason: str) -> None:
        self.tombstones += 1
        self.line({"t": "tombstone", "type": record_type, "id": record_id, "deleted_at": deleted_at,
                   "reason": reason})

    def finish(self) -> bytes:
        self.line({"t": "end", "records": self.records, "tombstones": self.tombstones})
        self._gzip.close()
        body = self._buffer.getvalue()
        self._buffer = io.BytesIO()
        if self._header is None:
            return body
        head = gzip.compress(self._encode({**self._header, "inflated_bytes": self._inflated}), compresslevel=6,
                             mtime=0)
        return head + body


def read_lines(payload: bytes, inflated: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the payload's lines; the first must be the header and the last the end marker.  Inflated as a
    stream within the header's declared size (exchange/inflate.py): ``bundle_too_large`` otherwise.
    ``inflated(n)``: the body bytes read so far (of the header's ``inflated_bytes``), for progress."""
    seen_end = False
    for obj in bounded_lines(payload, inflated=inflated):
        if seen_end:
            raise ExchangeError("bundle_malformed", part="payload")
        if obj["t"] == "end":
            seen_end = True
        yield obj
    if not seen_end:
        raise ExchangeError("bundle_malformed", part="payload")
