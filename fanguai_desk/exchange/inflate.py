"""Bounded inflation of a bundle payload (docs/exchange-format.md, "Bounded reading").

A validly signed payload of 2 MB can inflate to gigabytes.  The payload is therefore inflated as a
stream, a slice at a time, and never beyond:

* the header line: at most ``MAX_HEADER_BYTES``;
* any other line: at most ``MAX_LINE_BYTES`` (one record; what a reader must hold at once);
* the whole payload after the header: what the header declares (``inflated_bytes``, written by the
  exporter, which knows it exactly) and never more than ``ABSOLUTE_CAP``.

Exceeding any of these refuses the bundle with ``bundle_too_large``; peak memory is a few times
``MAX_LINE_BYTES`` whatever the payload would inflate to.  A payload that ends before its declared size
is malformed.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from fanguai_desk.exchange.envelope import ExchangeError

MAX_HEADER_BYTES = 64 * 1024
MAX_LINE_BYTES = 32 * 1024 * 1024
ABSOLUTE_CAP = 8 * 1024**3
_IN_SLICE = 64 * 1024
_OUT_SLICE = 1024 * 1024


class TooLarge(ExchangeError):
    code = "bundle_too_large"


def _too_large(limit: int) -> TooLarge:
    return TooLarge(limit_mb=max(1, limit // (1024 * 1024)))


def inflate_chunks(payload: bytes) -> Iterator[bytes]:
    """The inflated bytes of a (possibly multi-member) gzip payload, in slices of at most 1 MiB."""
    view = memoryview(payload)
    pos = 0
    carry = b""  # input the previous member did not use: the start of the next member
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while True:
            if d.unconsumed_tail:
                data = d.unconsumed_tail
            elif carry:
                data, carry = carry, b""
            elif pos < len(view):
                data = bytes(view[pos:pos + _IN_SLICE])
                pos += len(data)
            else:
                break
            out = d.decompress(data, _OUT_SLICE)
            if out:
                yield out
            if d.eof:
                carry = d.unused_data
                if not carry and pos >= len(view):
                    return
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error:
        raise ExchangeError("bundle_malformed", part="payload") from None
    raise ExchangeError("bundle_malformed", part="payload")  # ended inside a member


def bounded_lines(payload: bytes, *, absolute_cap: int | None = None, max_line: int | None = None,
                  inflated: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """JSON objects, one per line, with every limit above enforced while inflating.  ``inflated(n)`` hears
    the body bytes read so far after each slice (at most 1 MiB apart), for a progress bar."""
    cap = ABSOLUTE_CAP if absolute_cap is None else absolute_cap
    line_cap = MAX_LINE_BYTES if max_line is None else max_line
    buffer = bytearray()
    header_seen = False
    limit = MAX_HEADER_BYTES  # until the header says more
    body = 0  # inflated bytes after the header line
    declared = 0
    for chunk in inflate_chunks(payload):
        if header_seen:
            body += len(chunk)
            if body > limit:
                raise _too_large(limit)
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            if nl < 0:
                buffer += chunk[start:]
                if len(buffer) > (MAX_HEADER_BYTES if not header_seen else line_cap):
                    raise _too_large(MAX_HEADER_BYTES if not header_seen else line_cap)
                break
            buffer += chunk[start:nl + 1]
            start = nl + 1
            if len(buffer) > (MAX_HEADER_BYTES if not header_seen else line_cap):
                raise _too_large(MAX_HEADER_BYTES if not header_seen else line_cap)
            obj = _parse(bytes(buffer))
            buffer.clear()
            if not header_seen:
                header_seen = True
                declared = obj.get("inflated_bytes", 0) if obj.get("t") == "header" else 0
                if isinstance(declared, bool) or not isinstance(declared, int) or declared < 0:
                    raise ExchangeError("bundle_malformed", part="header")
                limit = min(declared, cap) if declared else cap
                if declared > cap:
                    raise _too_large(cap)
                body = len(chunk) - start  # what follows the header in this slice
                if body > limit:
                    raise _too_large(limit)
            yield obj
        if inflated is not None and header_seen:
            inflated(body)
    if buffer:
        raise ExchangeError("bundle_malformed", part="payload")
    if declared and body != declared:
        raise ExchangeError("bundle_malformed", part="payload")


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ExchangeError("bundle_malformed", part="payload") from None
    if not isinstance(obj, dict) or "t" not in obj:
        raise ExchangeError("bundle_malformed", part="payload")
    return obj
