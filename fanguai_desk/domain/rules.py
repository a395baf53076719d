"""The plans' hard rules that do not fit anywhere more specific.

* Vocational training only from 16 (002 三(三), 003 第十九条, 004 第二十四条: "为有培训意愿的16周岁以上
  被拐卖受害人提供…"), on the date of the service.
* Return-to-school services are for children of compulsory-education age (适龄儿童入学; the ages are
  ``clocks.SCHOOL_AGE_MIN``–``SCHOOL_AGE_MAX``, from 义务教育法 第十一条).
* A rescued minor must not be left with the buying household (不得由收买家庭继续抚养: 001 三(二)2(4),
  002 三(二)4, 003 第十六条, 004 第二十一条), whatever the form says.
* File numbers look like ``5101-2026-0001``.

Error parameters carry field names, numbers, ISO dates and codes only, never names or addresses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from fanguai_desk.domain.chinese import to_simplified
from fanguai_desk.domain.clocks import SCHOOL_AGE_MAX, SCHOOL_AGE_MIN, age_on, is_school_age
from fanguai_desk.domain.enums import ServiceType
from fanguai_desk.domain.errors import RuleViolation, ValidationError

__all__ = [
    "MIN_TRAINING_AGE",
    "AddressParts",
    "HouseholdRef",
    "address_parts",
    "buyer_ref",
    "ensure_not_buyer_household",
    "ensure_school_service_allowed",
    "ensure_training_allowed",
    "household_match_reason",
    "household_matches",
    "normalize_address",
    "normalize_person_name",
    "same_village",
    "validate_file_number",
]

MIN_TRAINING_AGE = 16


def ensure_training_allowed(
    service_type: ServiceType,
    service_date: date,
    birth_date: date | None,
    estimated_birth_year: int | None,
) -> None:
    """Refuse vocational training for a person under 16 on the service date, or of unknown age.

    With only an estimated birth year the age is its lower bound (see ``clocks.age_on``).
    """
    if service_type is not ServiceType.VOCATIONAL_TRAINING:
        return
    age = age_on(birth_date, estimated_birth_year, service_date)
    if age is None:
        raise RuleViolation("training_age_unknown", service_date=service_date.isoformat())
    if age < MIN_TRAINING_AGE:
        raise RuleViolation(
            "training_under_16", age=age, min_age=MIN_TRAINING_AGE, service_date=service_date.isoformat()
        )


def ensure_school_service_allowed(
    service_type: ServiceType,
    service_date: date,
    birth_date: date | None,
    estimated_birth_year: int | None,
) -> None:
    """Refuse a return-to-school service for a person outside compulsory-education age on the service date
    (``clocks.is_school_age``: 6 to 16).

    An unknown age is allowed (an unidentified child may well be of school age).
    """
    if service_type is not ServiceType.RETURN_TO_SCHOOL:
        return
    age = age_on(birth_date, estimated_birth_year, service_date)
    if age is not None and not is_school_age(birth_date, estimated_birth_year, service_date):
        raise RuleViolation("school_service_not_school_age", age=age, service_date=service_date.isoformat(),
                            min_age=SCHOOL_AGE_MIN, max_age=SCHOOL_AGE_MAX)


# --- buyer household --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdRef:
    """A household as far as the file knows it: any of the three may be missing."""

    head_name: str | None = None
    address: str | None = None
    member_id_numbers: tuple[str, ...] = ()


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A run of Chinese numerals directly before one of these is a house/group number, not part of a name
# ("三合村" stays, "八组" becomes "8组").
_CN_NUMBER_BEFORE_UNIT = re.compile(
    r"第?([〇零一二两三四五六七八九十百]+)(?=组|号|社|队|栋|幢|单元|楼|层|室|巷|弄|户)"
)
_ORDINAL_BEFORE_DIGITS = re.compile(r"第(?=\d)")
# Shorter addresses must be at least this long for a suffix match ("X镇Y村8组" in "Z县X镇Y村8组").
_MIN_SUFFIX_MATCH = 6


def _cn_number(text: str) -> int | None:
    """Parse a small Chinese numeral (0–999): 八, 十八, 二十, 一百零五, 三〇二."""
    if "十" not in text and "百" not in text:
        digits = [_CN_DIGITS.get(ch) for ch in text]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    total = 0
    current = 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _replace_cn_number(m: re.Match[str]) -> str:
    value = _cn_number(m.group(1))
    return m.group(0) if value is None else str(value)


_COMMITTEE = re.compile(r"村民委员会|村委会|村委")
_RESIDENTS_COMMITTEE = re.compile(r"居民委员会|居委会")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
_GROUP_WORDS = re.compile(r"(\d+)(?:村民小组|小组|社|队)")
_GROUP = re.compile(r"(\d+)组")
_HOUSE = re.compile(r"(\d+)号")
_TOWNSHIP_SUFFIXES = ("街道", "乡", "镇")
_COUNTY_SUFFIXES = ("县", "区", "市", "旗")
_VILLAGE_SUFFIX = re.compile(r"(?:村|社区)$")
_MIN_VILLAGE_MATCH = 2


# Cached: a file's buyer households are compared with each of its placements and guardians, on entry and again
# for every file an import brings; the same few addresses were normalised over and over.  Pure functions of
# the text, so a cache cannot change an answer.
@lru_cache(maxsize=4096)
def normalize_address(s: str) -> str:
    """A comparison key for an address, one normaliser for every rule that compares addresses.

    NFKC (full-width → half-width), traditional → simplified (``domain/chinese.py``), lower case,
    whitespace and punctuation removed; 村委会/村民委员会 → 村, 居委会 → 社区; Chinese numerals before a unit
    → digits ("第八组"/"八组" → "8组"), "第8组" → "8组", leading zeros dropped ("03组" → "3组"); a village
    group written 社/队/小组 → 组 ("3社" → "3组").
    """
    text = to_simplified(unicodedata.normalize("NFKC", s)).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")
    text = _COMMITTEE.sub("村", text)
    text = _RESIDENTS_COMMITTEE.sub("社区", text)
    text = _CN_NUMBER_BEFORE_UNIT.sub(_replace_cn_number, text)
    text = _ORDINAL_BEFORE_DIGITS.sub("", text)
    text = _LEADING_ZEROS.sub("", text)
    return _GROUP_WORDS.sub(r"\1组", text)


@dataclass(frozen=True)
class AddressParts:
    """A rural address as the rule compares it: township (without 乡/镇/街道), village (without 村/社区),
    village group number, house number — each "" when the address does not say."""

    township: str
    village: str
    group: str
    house: str


@lru_cache(maxsize=4096)
def address_parts(s: str) -> AddressParts:
    text = normalize_address(s)
    place, rest, group = text, "", ""
    m = _GROUP.search(text)
    if m is not None:
        place, group, rest = text[:m.start()], m.group(1), text[m.end():]
    else:
        h = _HOUSE.search(text)
        if h is not None:
            place, rest = text[:h.start()], text[h.start():]
    h = _HOUSE.search(rest)
    house = h.group(1) if h is not None else ""
    township = ""
    cut = max((place.rfind(x) + len(x), x) for x in _TOWNSHIP_SUFFIXES)
    if cut[0] >= len(cut[1]) and cut[0] < len(place):  # a township marker with a village after it
        township, place = place[:cut[0] - len(cut[1])], place[cut[0]:]
        county_end = max(township.rfind(x) for x in _COUNTY_SUFFIXES)
        township = township[county_end + 1:] if county_end >= 0 else township
    county_end = max(place.rfind(x) for x in _COUNTY_SUFFIXES)
    if county_end >= 0 and not township:  # "某县石门村": drop the county
        place = place[county_end + 1:]
    return AddressParts(township, _VILLAGE_SUFFIX.sub("", place), group, house)


def _same_name(a: str, b: str, minimum: int) -> bool:
    """Equal, or one ending with the other (a county or township written on one side only)."""
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and len(shorter) >= minimum and longer.endswith(shorter)


def same_village(a: AddressParts, b: AddressParts) -> bool:
    """The same village: the village names agree (one may carry its township without 乡/镇: "青龙石门") and
    the townships, where both are written, agree."""
    if not _same_name(a.village, b.village, _MIN_VILLAGE_MATCH):
        return False
    return not a.township or not b.township or _same_name(a.township, b.township, 1)


def same_household_address(a: AddressParts, b: AddressParts) -> bool:
    """The same village and village group, and no two different house numbers."""
    return (same_village(a, b) and bool(a.group) and a.group == b.group
            and (not a.house or not b.house or a.house == b.house))


def normalize_person_name(s: str | None) -> str:
    """A comparison key for a person's name: NFKC, traditional → simplified, lower case, no spaces or
    punctuation (王 某某 = 王某某, 陳 = 陈)."""
    if not s:
        return ""
    text = to_simplified(unicodedata.normalize("NFKC", s)).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def _normalize_id(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split()).upper()


def _addresses_overlap(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and shorter in longer


def household_match_reason(candidate: HouseholdRef, buyer: HouseholdRef) -> str | None:
    """Why ``candidate`` is the ``buyer`` household: ``"member_id"``, ``"address"``, ``"head_name"``, or
    ``None`` when it is not.

    * any shared member ID number;
    * the same normalized address, or one ending with the other when the shorter one is specific enough
      (the same village group written with and without the county), or the same village and village group
      with no conflicting house number (石门村3组 = 石门村3组12号 = 青龙乡石门3社 = 石门村委会03组);
    * the same head of household in the same village (or where either address is unknown).
    """
    candidate_ids = {_normalize_id(n) for n in candidate.member_id_numbers} - {""}
    buyer_ids = {_normalize_id(n) for n in buyer.member_id_numbers} - {""}
    if candidate_ids & buyer_ids:
        return "member_id"
    a = normalize_address(candidate.address) if candidate.address else ""
    b = normalize_address(buyer.address) if buyer.address else ""
    parts_a = address_parts(a) if a else None
    parts_b = address_parts(b) if b else None
    if a and b:
        shorter, longer = sorted((a, b), key=len)
        if a == b or (len(shorter) >= _MIN_SUFFIX_MATCH and longer.endswith(shorter)):
            return "address"
        assert parts_a is not None and parts_b is not None
        if same_household_address(parts_a, parts_b):
            return "address"
    head_a = normalize_person_name(candidate.head_name)
    head_b = normalize_person_name(buyer.head_name)
    if head_a and head_a == head_b and (parts_a is None or parts_b is None or _addresses_overlap(a, b)
                                        or same_village(parts_a, parts_b)):
        return "head_name"
    return None


def buyer_ref(head_name: str | None, address: str | None, member_id_numbers: str | None) -> HouseholdRef:
    """A recorded buyer household as the rule sees it (member ID numbers separated by , ， 、 ; or spaces)."""
    ids = tuple(x for x in re.split(r"[,，、;；\s]+", member_id_numbers or "") if x)
    return HouseholdRef(head_name, address, ids)


def household_matches(candidate: HouseholdRef, buyer: HouseholdRef) -> bool:
    return household_match_reason(candidate, buyer) is not None


def ensure_not_buyer_household(
    minor_on_date: bool,
    candidate: HouseholdRef,
    buyers: Sequence[HouseholdRef],
    explicitly_flagged: bool = False,
) -> None:
    """Refuse placing a minor with the household that bought them.

    ``explicitly_flagged`` is the user's own statement that the candidate is the buyer household.
    Raises ``RuleViolation("minor_with_buyer_household", match=...)`` where ``match`` is ``"flagged"``,
    ``"member_id"``, ``"address"`` or ``"head_name"``.
    """
    if not minor_on_date:
        return
    if explicitly_flagged:
        raise RuleViolation("minor_with_buyer_household", match="flagged")
    for buyer in buyers:
        reason = household_match_reason(candidate, buyer)
        if reason is not None:
            raise RuleViolation("minor_with_buyer_household", match=reason)


# --- file numbers ------------------------------------------------------------------------------------

_FILE_NUMBER = re.compile(r"([1-9]\d{3})-(\d{4})-(\d{4,})")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
FILE_NUMBER_MIN_YEAR = 1900
FILE_NUMBER_MAX_YEAR = 2099


def validate_file_number(s: str) -> str:
    """Check and normalize a file number ``CCCC-YYYY-NNNN`` (county code, year, sequence of 4+ digits).

    Full-width characters and typographic dashes are accepted; surrounding spaces are dropped.
    Raises ``ValidationError("file_number_format")``.
    """
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", s)).strip()
    m = _FILE_NUMBER.fullmatch(text)
    if m is None:
        raise ValidationError("file_number_format", field="file_number")
    year = int(m.group(2))
    if not FILE_NUMBER_MIN_YEAR <= year <= FILE_NUMBER_MAX_YEAR or int(m.group(3)) == 0:
        raise ValidationError("file_number_format", field="file_number")
    return text
