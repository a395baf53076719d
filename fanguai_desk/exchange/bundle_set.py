"""Bundle sets: a large export as several complete CMS bundles bound by a signed list (docs/exchange-format.md).

    B.p7m            the set's list ("part 0"): a bundle like any other (same envelope, same header), whose
                     payload lists every part — number, file name, bundle id, SHA-256 and size of the file,
                     inflated size and counts — in order
    B.part001.p7m    part 1: a complete bundle (header ``set: {set_id, part: 1, parts: N}``), records of the
                     first files
    …
    B.part00N.p7m    part N: … and the tombstones and print log

Each part holds whole files (a file's records never straddle two parts), at most PART_FILES of them and at most
PART_BYTES once inflated (a single larger file alone), so either end holds one part at a time: memory is bounded by
the part size, not by the registry's.  An importer refuses a part declared above MAX_PART_INFLATED before
decrypting anything.  The list is written last, so an export
killed half-way leaves no importable set.  The importer checks every part's file against the signed list
*before* decrypting anything (missing, truncated, swapped, duplicated or reordered parts refuse the whole set
and nothing is written), then opens each part with the full checks of a single bundle and requires its own
signed header to agree with the list (set id, part number, count, sequence, delivery, author).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fanguai_desk.exchange.envelope import ExchangeError

MAX_PARTS = 10_000
# The most one part — or a single records bundle — may inflate to (its body, as declared by its header and, for a
# set, by the signed list): what an importer holds of one part (its records until the part's file rules are
# settled, its attachments until stored) stays bounded whatever a sender claims.  The exporter cuts parts at
# PART_BYTES (exchange/exporter.py), far below; only a single file may take a part up to this, and an export
# with a file larger still is refused before anything is written (``export_file_too_large``).
MAX_PART_INFLATED = 256 * 1024**2


def max_part_file(max_inflated: int) -> int:
    """The most a part's *file* may hold for a payload within ``max_inflated``: gzip adds next to nothing to
    incompressible data, each of the two base64 layers 4/3 × 65/64, CMS and certificates a few KB."""
    return 2 * max_inflated + 1024**2


def too_large(part: int, total: int, inflated: int, limit: int) -> ExchangeError:
    return ExchangeError("bundle_part_too_large", part=part, total=total, mb=-(-inflated // 2**20),
                         limit_mb=limit // 2**20)
_PART_NAME = re.compile(r"^[^/\\\x00]{0,200}\.part[0-9]{3,5}\.[A-Za-z0-9]{1,10}$")
# Header fields every part must share with the set's list (its own bundle_id and set.part differ).
SHARED_HEADER_KEYS = ("kind", "format_version", "schema_revision", "registry_id", "installation_id", "author_user_id",
                      "author_cert_sha256", "recipient_cert_sha256", "sequence", "scope", "delivery", "created_at")


def part_file_name(main: Path, part: int) -> str:
    """``B.p7m`` → ``B.part001.p7m`` (beside the list)."""
    return f"{main.stem}.part{part:03d}{main.suffix or '.p7m'}"


def is_list(header: Mapping[str, Any]) -> bool:
    bundle_set = header.get("set")
    return isinstance(bundle_set, dict) and bundle_set.get("part") == 0


@dataclass(frozen=True)
class PartEntry:
    part: int
    file: str
    bundle_id: str
    sha256: str
    size: int
    inflated_bytes: int
    counts: dict[str, int] = field(default_factory=dict)
    tombstones: int = 0

    def line(self) -> dict[str, Any]:
        return {"t": "part", "part": self.part, "file": self.file, "bundle_id": self.bundle_id,
                "sha256": self.sha256, "bytes": self.size, "inflated_bytes": self.inflated_bytes,
                "counts": self.counts, "tombstones": self.tombstones}


def entry_for(part: int, file: str, bundle_id: str, data: bytes, inflated: int, counts: dict[str, int],
              tombstones: int) -> PartEntry:
    return PartEntry(part, file, bundle_id, hashlib.sha256(data).hexdigest(), len(data), inflated, dict(counts),
                     tombstones)


def read_list(lines: Iterable[dict[str, Any]], header: Mapping[str, Any]) -> list[PartEntry]:
    """The parts a (verified) list names, in order 1…N with N = ``set.parts``; anything else is malformed."""
    parts = header["set"].get("parts")
    if not isinstance(parts, int) or isinstance(parts, bool) or not 2 <= parts <= MAX_PARTS \
            or not isinstance(header["set"].get("set_id"), str) or header["set"]["set_id"] != header.get("bundle_id"):
        raise ExchangeError("bundle_malformed", part="set")
    out: list[PartEntry] = []
    for line in lines:
        kind = line.get("t")
        if kind in ("header", "end"):
            continue
        if kind != "part":
            raise ExchangeError("bundle_malformed", part="set")
        try:
            entry = PartEntry(int(line["part"]), str(line["file"]), str(line["bundle_id"]), str(line["sha256"]),
                              int(line["bytes"]), int(line["inflated_bytes"]),
                              {str(k): int(v) for k, v in dict(line["counts"]).items()}, int(line["tombstones"]))
        except (KeyError, TypeError, ValueError):
            raise ExchangeError("bundle_malformed", part="set") from None
        if entry.part != len(out) + 1 or not _PART_NAME.match(entry.file) or len(entry.sha256) != 64 \
                or entry.size <= 0 or entry.inflated_bytes < 0:
            raise ExchangeError("bundle_malformed", part="set")
        out.append(entry)
    if len(out) != parts or len({e.file for e in out}) != parts or len({e.bundle_id for e in out}) != parts:
        raise ExchangeError("bundle_malformed", part="set")
    return out


def check_files(folder: Path, entries: list[PartEntry], max_bytes: int,
                max_inflated: int | None = None) -> list[Path]:
    """Every part's file beside the list, byte for byte what the signed list says — checked before anything is
    decrypted or written.  Missing parts are named together; a file that differs (another set's part, a part
    copied over another, a truncated or altered file, parts renamed into another order) is named by number.
    A part the list declares larger than an importer takes (``max_inflated``, or a file too large for that) is
    refused first, by number, whether or not its file is there."""
    limit = MAX_PART_INFLATED if max_inflated is None else max_inflated
    for e in entries:
        if e.inflated_bytes > limit or e.size > min(max_bytes, max_part_file(limit)):
            raise too_large(e.part, len(entries), max(e.inflated_bytes, e.size // 2), limit)
    missing = [e.part for e in entries if not (folder / e.file).is_file()]
    if missing:
        raise ExchangeError("bundle_set_incomplete", parts=", ".join(map(str, missing)), total=len(entries),
                            files=", ".join(entries[i - 1].file for i in missing[:5]))
    paths: list[Path] = []
    for e in entries:
        path = folder / e.file
        try:
            size = path.stat().st_size
            if size != e.size:
                raise ExchangeError("bundle_set_mismatch", part=e.part, total=len(entries), file=e.file)
            digest = hashlib.sha256()
            with path.open("rb") as f:
                for block in _blocks(f):
                    digest.update(block)
        except OSError:
            raise ExchangeError("bundle_unreadable") from None
        if digest.hexdigest() != e.sha256:
            raise ExchangeError("bundle_set_mismatch", part=e.part, total=len(entries), file=e.file)
        paths.append(path)
    return paths


def _blocks(f: Any, size: int = 1024 * 1024) -> Iterator[bytes]:
    while True:
        block = f.read(size)
        if not block:
            return
        yield block


def check_part_header(part_header: Mapping[str, Any], list_header: Mapping[str, Any], entry: PartEntry,
                      parts: int) -> None:
    """A part's own signed header agrees with the list: same set, its place in it, same delivery and author."""
    bundle_set = part_header.get("set")
    if not isinstance(bundle_set, dict) or bundle_set.get("set_id") != list_header["set"]["set_id"] \
            or bundle_set.get("part") != entry.part or bundle_set.get("parts") != parts \
            or part_header.get("bundle_id") != entry.bundle_id \
            or part_header.get("inflated_bytes") != entry.inflated_bytes \
            or any(part_header.get(k) != list_header.get(k) for k in SHARED_HEADER_KEYS):
        raise ExchangeError("bundle_set_mismatch", part=entry.part, total=parts, file=entry.file)
