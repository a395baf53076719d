"""Delivery that does not depend on the wall clock (docs/exchange-format.md, "Delivery").

Township side: every change has a journal number (store/journal.py).  A bundle carries the records whose
journal entries lie in a range (from, to] of one *epoch*; ``sent_through`` remembers how far bundles were
*written*, ``acked_through`` how far the supervisor's last signed receipt says it holds.  Bundle numbers
are handed out (``sent_bundles``) and committed before the file is written, so a number is never reused.

County side: for each (installation, epoch) the importer keeps the ranges it imported and computes the
*contiguous* change number it holds.  A bundle whose range starts beyond it is a gap — the message names
the missing change numbers and the bundle numbers that carried them, and what to ask the township for.
A restored township's new epoch forks from its parent epoch at ``epoch_base``: what the county holds of
the parent up to that number counts for the new epoch too.

Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.store.models import ImportedBundle, SentBundle


@dataclass(frozen=True)
class Range:
    low: int  # exclusive
    high: int  # inclusive


def contiguous(ranges: Iterable[Range], start: int) -> int:
    """The highest H such that (start, H] is covered by ``ranges`` (start if nothing continues it)."""
    held = start
    for r in sorted(ranges, key=lambda r: (r.low, r.high)):
        if r.low > held:
            break
        held = max(held, r.high)
    return held


@dataclass
class EpochHolding:
    """What the county holds of one laptop's epoch."""

    installation_id: str
    epoch: str
    parent: str | None
    base: int
    held_through: int = 0  # contiguous change number held
    sequences: list[int] = field(default_factory=list)
    ranges: list[tuple[int, int, int]] = field(default_factory=list)  # (sequence, from, to)

    def missing(self) -> list[tuple[int, int]]:
        """Holes (from, to] above the contiguous part, before the newest range held."""
        out: list[tuple[int, int]] = []
        held = self.held_through
        for _seq, low, high in sorted(self.ranges, key=lambda r: (r[1], r[2])):
            if low > held:
                out.append((held, low))
            held = max(held, high)
        return out

    def missing_sequences(self) -> list[int]:
        if not self.sequences:
            return []
        have = set(self.sequences)
        return [n for n in range(1, max(have)) if n not in have]


def holdings(s: Session, installation_id: str | None = None) -> dict[tuple[str, str], EpochHolding]:
    """Per (installation, epoch): the county's view, from the v2 bundles it imported."""
    stmt = select(ImportedBundle).where(ImportedBundle.epoch.is_not(None))
    if installation_id is not None:
        stmt = stmt.where(ImportedBundle.origin_installation == installation_id)
    out: dict[tuple[str, str], EpochHolding] = {}
    for b in s.scalars(stmt):
        assert b.epoch is not None
        h = out.get((b.origin_installation, b.epoch))
        if h is None:
            h = out[(b.origin_installation, b.epoch)] = EpochHolding(b.origin_installation, b.epoch, b.epoch_parent,
                                                                     b.epoch_base or 0)
        h.sequences.append(b.sequence)
        if b.changes_from is not None and b.changes_to is not None:
            h.ranges.append((b.sequence, b.changes_from, b.changes_to))
    resolved: dict[tuple[str, str], int] = {}

    def held(key: tuple[str, str], depth: int = 0) -> int:
        if key in resolved:
            return resolved[key]
        h = out[key]
        start = 0
        if h.base > 0 and depth < 50:
            parent = (h.installation_id, h.parent) if h.parent else None
            start = min(h.base, held(parent, depth + 1)) if parent in out else 0
        value = contiguous((Range(lo, hi) for _s, lo, hi in h.ranges), start)
        resolved[key] = value
        h.held_through = value
        return value

    for key in out:
        held(key)
    return out


def held_through(s: Session, installation_id: str, epoch: str, parent: str | None, base: int) -> int:
    """What the county holds contiguously of this epoch, counting its parent's part up to ``base``."""
    h = holdings(s, installation_id)
    if (installation_id, epoch) in h:
        return h[(installation_id, epoch)].held_through
    if base > 0 and parent and (installation_id, parent) in h:
        return min(base, h[(installation_id, parent)].held_through)
    return 0


# ------------------------------------------------------------------------------------------- township


def next_sequence(s: Session, recipient: str, epoch: str) -> int:
    """One more than any number ever handed out to this recipient in this epoch (written or not)."""
    numbers = list(s.scalars(select(SentBundle.sequence).where(SentBundle.recipient_fingerprint == recipient,
                                                                SentBundle.epoch == epoch)))
    return max(numbers, default=0) + 1


def sent_bundle(s: Session, recipient: str, epoch: str, sequence: int) -> SentBundle | None:
    return s.scalar(select(SentBundle).where(SentBundle.recipient_fingerprint == recipient,
                                             SentBundle.epoch == epoch, SentBundle.sequence == sequence))
