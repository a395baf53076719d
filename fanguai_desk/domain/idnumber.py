"""Resident ID numbers (居民身份号码), GB 11643-1999.

An 18-character number: a 6-digit county code (GB/T 2260), the birth date ``YYYYMMDD``, a 3-digit
sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.

Errors carry only a code, never the number itself: error parameters may reach logs.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.errors import RuleViolation, ValidationError

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "SYNTHETIC_REGION_CODE",
    "IdNumberInfo",
    "check_character",
    "check_id_against_file",
    "id_tail",
    "normalize_id_number",
    "parse_id_number",
    "synthetic_id_number",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")
_DIGITS17 = re.compile(r"\d{17}")

#: The oldest birth date accepted.  The standard's own worked example (440524188001010014) is from 1880.
EARLIEST_BIRTH_DATE = date(1800, 1, 1)

#: County part 99 under Sichuan's 5101 (Chengdu) prefecture is not a county code in GB/T 2260, so a
#: number generated with it can never be a real person's number.  Used for demo data and tests.
SYNTHETIC_REGION_CODE = "510199"


@dataclass(frozen=True)
class IdNumberInfo:
    """What a valid ID number says about its holder."""

    number: str  # normalized: 18 characters, uppercase X
    region_code: str  # 6-digit county code
    birth_date: date
    sex: Sex  # FEMALE or MALE (from the parity of the sequence)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if not _DIGITS17.fullmatch(first17):
        raise ValidationError("id_number_format")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(raw: str) -> str:
    """Full-width to half-width, whitespace removed, ``x`` upper-cased.  No validation."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(text.split()).upper()


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate and decode an ID number.

    ``today`` is the reference date for refusing birth dates in the future; it defaults to the system
    date (the domain otherwise takes dates explicitly; pass it in tests).
    Raises ``ValidationError`` with code ``id_number_format``, ``id_number_birth_date`` or
    ``id_number_checksum`` (checked in that order).
    """
    number = normalize_id_number(raw)
    if not _SHAPE.fullmatch(number):
        raise ValidationError("id_number_format")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("id_number_birth_date") from None
    reference = today if today is not None else date.today()
    if birth < EARLIEST_BIRTH_DATE or birth > reference:
        raise ValidationError("id_number_birth_date")
    if check_character(number[:17]) != number[17]:
        raise ValidationError("id_number_checksum")
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberInfo(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def check_id_against_file(
    raw: str, birth_date: date | None, sex: Sex | None, *, today: date | None = None
) -> IdNumberInfo:
    """Parse ``raw`` and cross-check it with the birth date and sex recorded on the file.

    Raises ``RuleViolation("id_number_birth_mismatch")`` or ``RuleViolation("id_number_sex_mismatch")``;
    an unknown sex (``Sex.UNKNOWN`` or ``None``) and a missing birth date are not checked.
    """
    info = parse_id_number(raw, today=today)
    if birth_date is not None and birth_date != info.birth_date:
        raise RuleViolation("id_number_birth_mismatch", field="birth_date")
    if sex in (Sex.FEMALE, Sex.MALE) and sex != info.sex:
        raise RuleViolation("id_number_sex_mismatch", field="sex")
    return info


def synthetic_id_number(
    rng: random.Random, birth_date: date, sex: Sex, region_code: str = SYNTHETIC_REGION_CODE
) -> str:
    """A well-formed ID number for demo data and tests.

    The check character is valid and the sequence parity matches ``sex`` (any parity for
    ``Sex.UNKNOWN``).  The default region code ``510199`` uses county part 99 of the Chengdu (5101)
    prefecture, which GB/T 2260 does not assign, so the result cannot be a real person's number.
    """
    if not re.fullmatch(r"\d{6}", region_code):
        raise ValueError("region_code must be 6 digits")
    if not 1000 <= birth_date.year <= 9999:
        raise ValueError("birth year must have 4 digits")
    if sex is Sex.MALE:
        sequence = rng.randrange(1, 1000, 2)
    elif sex is Sex.FEMALE:
        sequence = rng.randrange(2, 1000, 2)
    else:
        sequence = rng.randrange(1, 1000)
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def id_tail(number: str, n: int = 4) -> str:
    """The last ``n`` characters of a (normalized) ID number, e.g. for "尾号123X"."""
    if n <= 0:
        return ""
    return normalize_id_number(number)[-n:]
