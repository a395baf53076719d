"""One set of entry rules per record type: the services (add, edit) and the importer call these, and no
other list of rules exists.

Two kinds of rule:

* **Record rules** look at one record alone: text without control characters, NUL or bidirectional
  overrides; dates that can be true (not before 1900, not in the future); a rescue after the birth; an
  estimated birth year that agrees with the ID number.  A record that breaks one is refused on every path,
  and an import bundle carrying one is refused whole (a laptop running this program could not have
  written it).
* **File rules** relate a record to the rest of its file (the person's age, the recorded buyer
  households): vocational training from 16, return to school at school age, no placement with / guardian
  from / consent by the buyer household for a child, a child's consent from a guardian.  A record is
  checked against them when it is written.  When a later change elsewhere in the file makes an older,
  valid record break one (a birth date corrected under an old training record), the older record is
  **flagged for review** on the file (``recheck_file``) — on the township laptop when the change is made,
  and at the supervisor when the bundle arrives — never a reason to refuse the change or the bundle.

Every protective rule treats a person of unknown age as a minor (``clocks.protected_as_minor``).
Error parameters carry field names, codes and ISO dates only, never personal data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fanguai_desk.domain.clocks import protected_as_minor
from fanguai_desk.domain.dna import find_dna_content
from fanguai_desk.domain.enums import ConsentGiver, ServiceType
from fanguai_desk.domain.errors import FanguaiError, RuleViolation, ValidationError
from fanguai_desk.domain.idnumber import parse_id_number
from fanguai_desk.domain.rules import (
    HouseholdRef,
    ensure_not_buyer_household,
    ensure_school_service_allowed,
    ensure_training_allowed,
    household_match_reason,
)

__all__ = [
    "EARLIEST_DATE",
    "FileFacts",
    "Finding",
    "check_consent",
    "check_date",
    "check_guardian",
    "check_length",
    "check_placement",
    "check_referral_consent",
    "check_service",
    "check_text",
    "check_township_code",
    "check_victim",
    "recheck_file",
]

EARLIEST_DATE = date(1900, 1, 1)

# Bidirectional embeddings/overrides/isolates: they make a terminal or a list show text in another order
# than it is stored (a file number or a name that reads differently from what it is).
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
_ALLOWED_CONTROLS_IN_NOTES = frozenset({"\n", "\t"})


def check_text(field: str, value: str, *, multiline: bool = False) -> None:
    """Refuse control characters (NUL included) and bidirectional controls in any text; notes may keep
    line breaks and tabs.  ``ValidationError("text_control_characters", field=…)``."""
    for ch in value:
        code = ord(ch)
        if code in _BIDI_CONTROLS or (unicodedata.category(ch) == "Cc"
                                      and not (multiline and ch in _ALLOWED_CONTROLS_IN_NOTES)):
            raise ValidationError("text_control_characters", field=field)


#: A free-text field (notes, a visit's observations, a case summary, a reason): on entry (``services/fields.NOTE``)
#: and in a bundle alike.  The import checks it before anything else reads the text, so a signed bundle cannot
#: hand the county laptop a note of many megabytes to scan.
FREE_TEXT_MAX = 20000


def check_length(field: str, value: str, max_len: int) -> None:
    """A text of at most ``max_len`` characters (the bound of its field: the services' field table and the
    store's column agree, ``tests/exchange/test_same_answer.py``).  ``ValidationError("field_too_long")``."""
    if len(value) > max_len:
        raise ValidationError("field_too_long", field=field, max=max_len)


def check_date(field: str, value: date | None, today: date) -> None:
    """A date that can be true: not before 1900, not after today."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError("date_before_1900", field=field)
    if value > today:
        raise ValidationError("birth_date_future" if field == "birth_date" else "date_in_future", field=field)


VICTIM_PAST_DATES = ("birth_date", "rescue_date", "identified_on", "arrived_at_institution_on")


def check_victim(values: Mapping[str, Any], today: date, stored: Mapping[str, Any] | None = None) -> None:
    """Record rules of a victim file (the whole file's values after the change).

    ``stored`` is the file as it was before an edit: a date kept unchanged is not judged against today
    again, because it was valid when entered and a laptop clock set back would otherwise refuse an
    unrelated edit (the ethnicity) of a file rescued "in the future"."""
    kept = stored or {}
    for key in VICTIM_PAST_DATES:
        if key in kept and kept[key] == values.get(key):
            check_date(key, values.get(key), date.max)
        else:
            check_date(key, values.get(key), today)
    year = values.get("estimated_birth_year")
    if year is not None and not EARLIEST_DATE.year <= year <= today.year and not (
            "estimated_birth_year" in kept and kept["estimated_birth_year"] == year):
        raise ValidationError("estimated_birth_year_range")
    birth: date | None = values.get("birth_date")
    rescue: date | None = values.get("rescue_date")
    if birth is not None and rescue is not None and rescue < birth:
        raise ValidationError("rescue_before_birth")
    number = values.get("id_number")
    if number and year is not None:
        id_year = parse_id_number(number, today=today).birth_date.year
        if id_year != year:
            raise ValidationError("estimated_year_contradicts_id", id_year=id_year, estimated_year=year)


# --- file rules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileFacts:
    """What the file rules need to know about the person."""

    birth_date: date | None
    estimated_birth_year: int | None
    buyers: tuple[HouseholdRef, ...] = ()

    def protected_as_minor(self, on: date) -> bool:
        return protected_as_minor(self.birth_date, self.estimated_birth_year, on)


def check_service(facts: FileFacts, service_type: ServiceType, start_date: date) -> None:
    """Vocational training from 16 (002 三(三), 003 第十九条, 004 第二十四条); return to school at
    compulsory-education age (义务教育法 第十一条)."""
    ensure_training_allowed(service_type, start_date, facts.birth_date, facts.estimated_birth_year)
    ensure_school_service_allowed(service_type, start_date, facts.birth_date, facts.estimated_birth_year)


def check_placement(facts: FileFacts, household_head: str | None, address: str | None,
                    caregiver_id_number: str | None, start_date: date, explicitly_flagged: bool = False) -> None:
    candidate = HouseholdRef(household_head, address, (caregiver_id_number,) if caregiver_id_number else ())
    ensure_not_buyer_household(facts.protected_as_minor(start_date), candidate, facts.buyers, explicitly_flagged)


def check_guardian(facts: FileFacts, name: str | None, address: str | None, id_number: str | None,
                   on: date) -> None:
    """A recorded buyer can never become a child's guardian (养父/养母 included)."""
    if not facts.protected_as_minor(on):
        return
    candidate = HouseholdRef(name, address, (id_number,) if id_number else ())
    for buyer in facts.buyers:
        reason = household_match_reason(candidate, buyer)
        if reason is not None:
            raise RuleViolation("buyer_as_guardian", match=reason)


def check_consent(facts: FileFacts, given_by: ConsentGiver, guardian_name: str | None, given_on: date) -> None:
    """A child's consent comes from a guardian (PIPL art. 31), never from the buyer household."""
    if not facts.protected_as_minor(given_on):
        return
    if given_by is ConsentGiver.SELF:
        raise RuleViolation("minor_consent_needs_guardian")
    for buyer in facts.buyers:
        if household_match_reason(HouseholdRef(head_name=guardian_name), HouseholdRef(head_name=buyer.head_name)):
            raise RuleViolation("buyer_as_consent_giver")


def check_referral_consent(consent_id: str | None, override_reason: str | None) -> None:
    if not consent_id and not override_reason:
        raise RuleViolation("referral_consent_required")


@dataclass(frozen=True)
class Finding:
    """An older record of a file that now breaks a file rule (to flag for review)."""

    record_type: str
    record_id: str
    rule: str


#: What ``recheck_file`` and ``buyers_of`` read of each kind of record, by record type: a caller may load only
#: these (an import re-checks every file it brings, without the records' notes).
RECHECK_FIELDS: dict[str, tuple[str, ...]] = {
    "buyer_household": ("head_name", "address", "member_id_numbers"),
    "service": ("id", "status", "service_type", "start_date"),
    "placement": ("id", "household_head", "address", "caregiver_id_number", "start_date"),
    "guardian": ("id", "name", "address", "id_number"),
    "consent": ("id", "withdrawn_on", "given_by", "guardian_name", "given_on"),
}


def recheck_file(facts: FileFacts, *, services: Iterable[Any] = (), placements: Iterable[Any] = (),
                 guardians: Iterable[Any] = (), consents: Iterable[Any] = (), on: date) -> list[Finding]:
    """The file rules over a file's existing records (ORM rows or anything with the same attributes).

    Cancelled services and withdrawn consents no longer count.  Guardians are checked as of ``on``."""
    found: list[Finding] = []

    def run(record_type: str, record_id: str, check: Any) -> None:
        try:
            check()
        except FanguaiError as exc:
            found.append(Finding(record_type, record_id, exc.code))

    for r in services:
        if str(getattr(r, "status", "")) != "cancelled":
            run("service", r.id, lambda r=r: check_service(facts, ServiceType(r.service_type), r.start_date))
    for p in placements:
        run("placement", p.id, lambda p=p: check_placement(facts, p.household_head, p.address,
                                                           p.caregiver_id_number, p.start_date))
    for g in guardians:
        run("guardian", g.id, lambda g=g: check_guardian(facts, g.name, g.address, g.id_number, on))
    for c in consents:
        if getattr(c, "withdrawn_on", None) is None:
            run("consent", c.id, lambda c=c: check_consent(facts, ConsentGiver(c.given_by), c.guardian_name,
                                                           c.given_on))
    return found


def buyers_of(rows: Sequence[Any]) -> tuple[HouseholdRef, ...]:
    from fanguai_desk.domain.rules import buyer_ref

    return tuple(buyer_ref(b.head_name, b.address, b.member_id_numbers) for b in rows)


REVIEW_NOTE_MAX = 500  # characters of a reviewer's note on a review flag


def check_review_note(note: str | None) -> str | None:
    """The note closing a review flag — on this laptop and in a bundle alike: trimmed, at most
    :data:`REVIEW_NOTE_MAX` characters, no control characters or bidi overrides, no DNA data.  Empty is no note."""
    if note is None or not note.strip():
        return None
    note = note.strip()
    if len(note) > REVIEW_NOTE_MAX:
        raise ValidationError("field_too_long", field="resolution_note", max=REVIEW_NOTE_MAX)
    check_text("resolution_note", note, multiline=True)
    finding = find_dna_content(note)
    if finding is not None:
        raise RuleViolation("dna_data", field="resolution_note", kind=finding.kind, marker=finding.marker)
    return note


def check_township_code(township_code: str, county_code: str) -> str:
    """A township's code: 6 to 9 digits starting with the county's code (file numbers begin with it, so they
    stay unique county-wide; a code another township already uses is refused at import,
    ``township_code_collision`` in exchange/importer.py).  Returns the code without spaces."""
    code = township_code.strip()
    if not (code.isdigit() and 6 <= len(code) <= 9 and code.startswith(county_code.strip())):
        raise ValidationError("township_code_format", township_code=code)
    return code
