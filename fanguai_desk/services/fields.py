"""Input coercion: one place that turns user/CLI/import input into typed values.

Every entry path (form, ``--from-json``, import) hands a plain mapping to the services, which run it
through the field specs here.  Every free-text value passes the DNA detector on the way in, so no path
can store a DNA profile (000 §9: only the police may collect DNA data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from fanguai_desk.domain.dates import parse_typed_date
from fanguai_desk.domain.dna import ensure_no_dna
from fanguai_desk.domain.entry_rules import FREE_TEXT_MAX, check_length, check_text
from fanguai_desk.domain.enums import (
    ClosureReason,
    ConsentGiver,
    ConsentScope,
    FollowUpMethod,
    IdentityStatus,
    PlacementState,
    ReferralMatter,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.domain.errors import ValidationError

Parser = Callable[[str, Any], Any]


def text(max_len: int, *, multiline: bool = False) -> Parser:
    """Text of at most ``max_len`` characters, without control characters or bidirectional controls
    (``entry_rules.check_text``; notes keep line breaks), without DNA data."""

    def parse(field: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str | int | float):
            raise ValidationError("field_type", field=field, expected="text")
        s = str(value).strip()
        if not s:
            return None
        check_length(field, s, max_len)
        check_text(field, s, multiline=multiline)
        ensure_no_dna(field, s)
        return s

    return parse


def parse_date(field: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValidationError("field_type", field=field, expected="date")
    try:
        return parse_typed_date(value)
    except ValueError:
        raise ValidationError("date_format", field=field) from None


def parse_int(field: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError("field_type", field=field, expected="integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("field_type", field=field, expected="integer") from None


def parse_bool(field: str, value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "y", "是"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "n", "否"}:
        return False
    raise ValidationError("field_type", field=field, expected="boolean")


def enum_of(enum_cls: type[StrEnum]) -> Parser:
    def parse(field: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, enum_cls):
            return value
        try:
            return enum_cls(str(value).strip())
        except ValueError:
            raise ValidationError("enum_value", field=field, allowed=",".join(m.value for m in enum_cls)) from None

    return parse


def sex_parser(field: str, value: Any) -> Sex | None:
    aliases = {"女": "F", "男": "M", "f": "F", "m": "M", "u": "U", "未知": "U"}
    if isinstance(value, str):
        value = aliases.get(value.strip().lower(), aliases.get(value.strip(), value.strip()))
    parsed: Sex | None = enum_of(Sex)(field, value)
    return parsed


@dataclass(frozen=True)
class Spec:
    fields: Mapping[str, Parser]
    required: frozenset[str] = frozenset()

    def coerce(self, data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise ValidationError("unknown_field", field=unknown[0])
        out = {key: self.fields[key](key, value) for key, value in data.items()}
        if not partial:
            for key in sorted(self.required):
                if out.get(key) is None:
                    raise ValidationError("field_required", field=key)
        return out


NAME = text(100)
UNIT = text(200)
ADDRESS = text(300)
NOTE = text(FREE_TEXT_MAX, multiline=True)

VICTIM = Spec({
    "name": NAME, "alias": NAME, "hidden_name": parse_bool, "sex": sex_parser,
    "birth_date": parse_date, "estimated_birth_year": parse_int, "id_number": text(18),
    "identity_status": enum_of(IdentityStatus), "identified_on": parse_date,
    "township": NAME, "case_id": text(36), "caseworker_id": text(36),
    "ethnicity": text(50), "nationality": text(50), "household_registration": ADDRESS,
    "current_residence": ADDRESS, "phone": text(50), "disability": UNIT, "disability_grade": text(20),
    "rescue_date": parse_date, "rescue_unit": UNIT, "arrived_at_institution_on": parse_date,
    "attention_flag": parse_bool, "attention_message": text(500), "notes": NOTE,
    "file_number": text(32), "guardians": lambda f, v: v, "buyer_households": lambda f, v: v,
})
GUARDIAN = Spec({"name": NAME, "relation": text(50), "phone": text(50), "address": ADDRESS,
                 "id_number": text(18)}, required=frozenset({"name"}))
BUYER = Spec({"head_name": NAME, "address": ADDRESS, "member_id_numbers": text(400), "notes": NOTE})
CASE = Spec({
    "police_case_ref": text(64), "handling_unit": UNIT, "opened_on": parse_date, "incident_date": parse_date,
    "place": UNIT, "exploitation_type": text(100), "summary": NOTE, "township": NAME,
})
SERVICE = Spec({
    "service_type": enum_of(ServiceType), "responsible_unit": UNIT, "cooperating_units": text(500),
    "start_date": parse_date, "due_date": parse_date, "end_date": parse_date,
    "status": enum_of(ServiceStatus), "willing": parse_bool, "notes": NOTE,
}, required=frozenset({"service_type", "start_date"}))
FOLLOWUP_RECORD = Spec({
    "actual_date": parse_date, "method": enum_of(FollowUpMethod), "visitors": text(300),
    "living_situation": NOTE, "schooling": NOTE, "work": NOTE, "health": NOTE, "psychological": NOTE,
    "needs": NOTE, "difficulties": NOTE, "referred_to_unit": UNIT, "next_visit_date": parse_date,
    "notes": NOTE,
}, required=frozenset({"actual_date", "method"}))
REFERRAL = Spec({
    "institution": UNIT, "matter": enum_of(ReferralMatter), "referral_date": parse_date,
    "green_channel": parse_bool, "urgent_deadline": parse_date, "notes": NOTE,
}, required=frozenset({"institution", "matter", "referral_date"}))
PLACEMENT = Spec({
    "state": enum_of(PlacementState), "start_date": parse_date, "institution": UNIT,
    "household_head": NAME, "address": ADDRESS, "caregiver_id_number": text(18),
    "is_buyer_household": parse_bool, "notes": NOTE,
}, required=frozenset({"state", "start_date"}))
CONSENT = Spec({
    "scope": enum_of(ConsentScope), "given_by": enum_of(ConsentGiver), "guardian_name": NAME,
    "given_on": parse_date, "notes": NOTE,
}, required=frozenset({"scope", "given_by", "given_on"}))
CLOSURE = Spec({"reason": enum_of(ClosureReason), "closed_on": parse_date, "retention_years": parse_int},
               required=frozenset({"reason"}))
