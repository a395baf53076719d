"""Review flags on a file: older records that a later change made break a file rule
(``domain/entry_rules.recheck_file``).  Used by the services when a file changes on this laptop and by the
importer when a bundle changes it; the flag is shown on the file until someone resolves it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.entry_rules import FileFacts, buyers_of, recheck_file
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

__all__ = ["RECEIVED", "file_facts", "flag_file_for_review"]

#: ``source`` of a flag received in a township's bundle (raised on that laptop; closed only there).
RECEIVED = "township"


def file_facts(victim: Victim) -> FileFacts:
    """What the file rules need to know about a file (its person's age, its recorded buyer households)."""
    return FileFacts(victim.birth_date, victim.estimated_birth_year, buyers_of(list(victim.buyer_households)))


def flag_file_for_review(s: Session, victim: Victim, source: str = "local") -> list[ReviewFlag]:
    """Run the file rules over the file's records as stored and flag (once) each record that breaks one."""
    buyers = list(s.scalars(select(BuyerHousehold).where(BuyerHousehold.victim_id == victim.id)))
    facts = FileFacts(victim.birth_date, victim.estimated_birth_year, buyers_of(buyers))
    found = recheck_file(
        facts,
        services=s.scalars(select(ServiceRecord).where(ServiceRecord.victim_id == victim.id)),
        placements=s.scalars(select(Placement).where(Placement.victim_id == victim.id)),
        guardians=s.scalars(select(Guardian).where(Guardian.victim_id == victim.id)),
        consents=s.scalars(select(Consent).where(Consent.victim_id == victim.id)),
        on=local_today())
    # Once per record and rule: an open flag stands; and a flag the file's own laptop raised (received with
    # its bundle, ``source = "township"``) speaks for that record and rule whatever its state — the township
    # reviews its own files, and a flag it closed is not raised again here by the county's re-check.
    existing = {(f.record_id, f.rule) for f in s.scalars(select(ReviewFlag).where(
        ReviewFlag.victim_id == victim.id, (ReviewFlag.status == "open") | (ReviewFlag.source == RECEIVED)))}
    flags = [ReviewFlag(victim_id=victim.id, record_type=f.record_type, record_id=f.record_id, rule=f.rule,
                        source=source) for f in found if (f.record_id, f.rule) not in existing]
    s.add_all(flags)
    return flags
