"""Review flags on a file: older records that a later change made break a file rule
(``domain/entry_rules.recheck_file``).  Used by the services when a file changes on this laptop and by the
importer when a bundle changes it; the flag is shown on the file until someone resolves it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.entry_rules import RECHECK_FIELDS, FileFacts, buyers_of, recheck_file
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import (
    BuyerHousehold,
    Consent,
    Guardian,
    Placement,
    ReviewFlag,
    ServiceRecord,
    Victim,
)

__all__ = ["RECEIVED", "file_facts", "flag_file_for_review", "flag_files_for_review"]

#: ``source`` of a flag received in a township's bundle (raised on that laptop; closed only there).
RECEIVED = "township"


def file_facts(victim: Victim) -> FileFacts:
    """What the file rules need to know about a file (its person's age, its recorded buyer households)."""
    return FileFacts(victim.birth_date, victim.estimated_birth_year, buyers_of(list(victim.buyer_households)))


def flag_file_for_review(s: Session, victim: Victim, source: str = "local") -> list[ReviewFlag]:
    """Run the file rules over the file's records as stored and flag (once) each record that breaks one."""
    return flag_files_for_review(s, [victim.id], source)


#: Files re-checked per round of statements (SQLite's bound-parameter limit is 32,766; an import re-checks
#: every file of its bundle: one statement per table per chunk, not per file).
CHUNK = 500


def flag_files_for_review(s: Session, victim_ids: Sequence[str], source: str = "local") -> list[ReviewFlag]:
    """:func:`flag_file_for_review` for many files at once: seven statements per ``CHUNK`` files, records read
    as plain rows.  Files that are gone are skipped."""
    flags: list[ReviewFlag] = []
    today = local_today()
    ids = list(dict.fromkeys(victim_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]

        def by_file(model: Any, *where: Any, chunk: list[str] = chunk) -> dict[str, list[Any]]:
            out: dict[str, list[Any]] = defaultdict(list)
            columns = [model.__table__.c[name] for name in ("victim_id", *RECHECK_FIELDS[model.RECORD_TYPE])]
            for row in s.execute(select(*columns).where(model.victim_id.in_(chunk), *where)):
                out[row.victim_id].append(row)
            return out

        people = s.execute(select(Victim.id, Victim.birth_date, Victim.estimated_birth_year)
                           .where(Victim.id.in_(chunk))).all()
        buyers, services, placements = by_file(BuyerHousehold), by_file(ServiceRecord), by_file(Placement)
        guardians, consents = by_file(Guardian), by_file(Consent)
        # Once per record and rule: an open flag stands; and a flag the file's own laptop raised (received with
        # its bundle, ``source = "township"``) speaks for that record and rule whatever its state — the township
        # reviews its own files, and a flag it closed is not raised again here by the county's re-check.
        existing = {(f.victim_id, f.record_id, f.rule) for f in s.execute(
            select(ReviewFlag.victim_id, ReviewFlag.record_id, ReviewFlag.rule).where(
                ReviewFlag.victim_id.in_(chunk), (ReviewFlag.status == "open") | (ReviewFlag.source == RECEIVED)))}
        for vid, birth_date, estimated_birth_year in people:
            facts = FileFacts(birth_date, estimated_birth_year, buyers_of(buyers.get(vid, [])))
            found = recheck_file(facts, services=services.get(vid, ()), placements=placements.get(vid, ()),
                                 guardians=guardians.get(vid, ()), consents=consents.get(vid, ()), on=today)
            flags += [ReviewFlag(victim_id=vid, record_type=f.record_type, record_id=f.record_id, rule=f.rule,
                                 source=source) for f in found if (vid, f.record_id, f.rule) not in existing]
    s.add_all(flags)
    return flags
