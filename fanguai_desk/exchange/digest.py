"""What the county holds, in a receipt whose size follows the differences, not the registry.

A receipt used to list every record id and version the county held from a laptop: ~25 MB at 100,000 files.
What the township needs is only the *difference* — records missing or out of date at the county, deletions it
has not received — and that is usually small.  The receipt therefore carries, per laptop, an **invertible
Bloom lookup table** (IBLT; Goodrich & Mitzenmacher 2011, the set-difference use of Eppstein et al., "What's
the difference?", SIGCOMM 2011) over the pairs (record, version) it holds and one over its tombstones.  The
township builds the same table over its own records, subtracts, and "peels" the difference: every pair only
the township has (missing or newer here) and every pair only the county has (an older version, or a record
deleted here).  Nothing cryptographic is invented: this is a counting structure; the receipt stays a CMS
SignedData by the supervisor.

Size: ``cells`` = one per ~32 records (at least 96), 32 bytes each — about 1 byte per record held instead of
~14, and it decodes up to about ``0.8 × cells`` differences.  Beyond that the township says how many
differences there are at least and that a catch-up export resends them (it cannot list them one by one).

A cell holds (count, XOR of the 20-byte keys, XOR of the keys' 8-byte check hashes); a key is the first
16 bytes of SHA-256 of the record id and its version (4 bytes).  Each key goes into one cell of each of three
equal sub-tables.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

HASHES = 3
RECORDS_PER_CELL = 32
MIN_CELLS = 96
MAX_CELLS = 3 * 2**18
_CELL = struct.Struct(">i20s8s")


def id_key(record_id: str) -> bytes:
    return hashlib.sha256(record_id.encode("utf-8")).digest()[:16]


def _check(key: bytes) -> bytes:
    return hashlib.sha256(b"check" + key).digest()[:8]


def cells_for(n: int) -> int:
    cells = max(MIN_CELLS, -(-n // RECORDS_PER_CELL))
    return min(MAX_CELLS, -(-cells // HASHES) * HASHES)


class Table:
    """An IBLT of (16-byte id key, version) pairs."""

    def __init__(self, cells: int) -> None:
        if cells < HASHES or cells % HASHES or cells > MAX_CELLS:
            raise ValueError("cells")
        self.cells = cells
        self.count = [0] * cells
        self.keys = [0] * cells
        self.checks = [0] * cells

    def _slots(self, key: bytes) -> list[int]:
        h = hashlib.sha256(b"slot" + key).digest()
        size = self.cells // HASHES
        return [i * size + int.from_bytes(h[4 * i:4 * i + 4], "big") % size for i in range(HASHES)]

    def add(self, ikey: bytes, version: int, sign: int = 1) -> None:
        key = ikey + struct.pack(">I", version & 0xFFFFFFFF)
        k, c = int.from_bytes(key, "big"), int.from_bytes(_check(key), "big")
        for slot in self._slots(key):
            self.count[slot] += sign
            self.keys[slot] ^= k
            self.checks[slot] ^= c

    def add_all(self, pairs: Iterable[tuple[str, int]]) -> Table:
        for record_id, version in pairs:
            self.add(id_key(record_id), version)
        return self

    def encode(self) -> str:
        out = bytearray()
        for n, k, c in zip(self.count, self.keys, self.checks, strict=True):
            out += _CELL.pack(n, k.to_bytes(20, "big"), c.to_bytes(8, "big"))
        return base64.b64encode(bytes(out)).decode("ascii")

    @classmethod
    def decode(cls, cells: int, text: str) -> Table:
        raw = base64.b64decode(text, validate=True)
        if len(raw) != cells * _CELL.size:
            raise ValueError("cells")
        table = cls(cells)
        for i in range(cells):
            n, k, c = _CELL.unpack_from(raw, i * _CELL.size)
            table.count[i], table.keys[i], table.checks[i] = n, int.from_bytes(k, "big"), int.from_bytes(c, "big")
        return table


@dataclass
class Difference:
    """Pairs (id key, version) only one side holds; ``complete`` is False when the table could not be peeled
    to the end (more differences than it can tell apart: ``at_least`` is how many it found)."""

    ours: list[tuple[bytes, int]] = field(default_factory=list)
    theirs: list[tuple[bytes, int]] = field(default_factory=list)
    complete: bool = True
    net: int = 0  # how many more pairs ours holds than theirs (every pair is counted in HASHES cells)

    @property
    def at_least(self) -> int:
        return max(len(self.ours) + len(self.theirs), abs(self.net))


def difference(theirs: Table, ours: Table) -> Difference:
    """Peel ``ours − theirs``: pure cells (count ±1 whose check matches the key) give one pair each."""
    if theirs.cells != ours.cells:
        raise ValueError("cells")
    count = [a - b for a, b in zip(ours.count, theirs.count, strict=True)]
    keys = [a ^ b for a, b in zip(ours.keys, theirs.keys, strict=True)]
    checks = [a ^ b for a, b in zip(ours.checks, theirs.checks, strict=True)]
    out = Difference(net=sum(count) // HASHES)
    helper = Table(ours.cells)
    pending = [i for i in range(ours.cells) if count[i] in (1, -1)]
    while pending:
        i = pending.pop()
        if count[i] not in (1, -1):
            continue
        key = keys[i].to_bytes(20, "big")
        if int.from_bytes(_check(key), "big") != checks[i]:
            continue
        sign = count[i]
        (out.ours if sign == 1 else out.theirs).append((key[:16], struct.unpack(">I", key[16:])[0]))
        k, c = keys[i], checks[i]
        for slot in helper._slots(key):
            count[slot] -= sign
            keys[slot] ^= k
            checks[slot] ^= c
            if count[slot] in (1, -1):
                pending.append(slot)
    out.complete = not any(count) and not any(keys) and not any(checks)
    return out
