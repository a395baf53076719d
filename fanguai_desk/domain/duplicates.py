"""When two files are likely the same person — the one rule, for registration hints and for imports.

A caseworker calls two files duplicates when they carry the same ID number, or when the names sound the
same (王小红 / 王晓红 / 王曉紅 / "王 小红": the same pinyin, ``search_keys.name_search_keys``), the sexes do not
contradict each other (either may be unknown) and the ages fit: the same birth date where both are known,
else birth years at most ``ESTIMATE_TOLERANCE_YEARS`` apart (an estimated year is a guess), or an unknown age.
Such files are flagged for a person to decide; nothing is merged automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from fanguai_desk.domain.search_keys import name_search_keys

__all__ = ["ESTIMATE_TOLERANCE_YEARS", "Person", "duplicate_reason", "name_key"]

ESTIMATE_TOLERANCE_YEARS = 2


@dataclass(frozen=True)
class Person:
    id_number: str | None
    name: str | None
    sex: str | None  # "F" | "M" | "U" | None
    birth_date: date | None
    estimated_birth_year: int | None
    #: ``name_key(name)`` when the caller has it already: a stored file's ``name_pinyin`` is exactly that (made by
    #: ``search_keys.search_columns`` on every path a file is written), and an import compares thousands.
    sound: str | None = None


@lru_cache(maxsize=65536)  # pinyin is the costly part: an import compares each new file with its candidates
def name_key(name: str | None) -> str:
    """The sound of a name: pinyin without tones or spaces, traditional read as simplified — the stored
    ``name_pinyin`` of a file of that name (``search_keys.name_search_keys``)."""
    return name_search_keys(name)[0] if name else ""


def _sound(p: Person) -> str:
    return p.sound if p.sound is not None else name_key(p.name)


def _sex_compatible(a: str | None, b: str | None) -> bool:
    known = {"F", "M"}
    return a not in known or b not in known or a == b


def _ages_compatible(a: Person, b: Person) -> bool:
    if a.birth_date is not None and b.birth_date is not None:
        return a.birth_date == b.birth_date
    year_a = a.birth_date.year if a.birth_date else a.estimated_birth_year
    year_b = b.birth_date.year if b.birth_date else b.estimated_birth_year
    if year_a is None or year_b is None:
        return True
    return abs(year_a - year_b) <= ESTIMATE_TOLERANCE_YEARS


def duplicate_reason(a: Person, b: Person) -> str | None:
    """``"same_id_number"``, ``"same_name_birth_sex"`` (a name that sounds the same, compatible sex and age),
    or None."""
    if a.id_number and b.id_number and a.id_number.strip().upper() == b.id_number.strip().upper():
        return "same_id_number"
    key_a, key_b = _sound(a), _sound(b)
    if key_a and key_a == key_b and _sex_compatible(a.sex, b.sex) and _ages_compatible(a, b):
        return "same_name_birth_sex"
    return None
