"""Least exposure: what lists, search results and most prints show instead of identity.

张三华 → 张**, 欧阳小明 → 欧阳**, Maria Lopez → M****, 51010119900101123X → 5101**********123X,
13800001234 → 138****1234.  Seeing the full value is an explicit, audited act (``VictimService.reveal``);
these functions only hide.

:data:`IDENTITY_MASKS` is the one table of which field of which record is masked how: the services build
every masked view from it (``services/privacy.py``), and the CLI, the UI and the reports show those views.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

__all__ = ["COMPOUND_SURNAMES", "HIDDEN_NAME", "IDENTITY_MASKS", "mask_address", "mask_field", "mask_id_list",
           "mask_id_number", "mask_name", "mask_phone", "masked_values"]

#: What a list shows for a record whose name is hidden altogether (Primero's ``hidden_name``).
HIDDEN_NAME = "*******"

_ADDRESS_KEEP = 6
_ID_KEEP = 4
_ID_MIN_LEN_FOR_ENDS = 15  # 15-digit (1st generation) and 18-digit numbers show 4 + 4
_PHONE_MIN_LEN = 7
_ADMIN_MARKERS = ("省", "市", "州", "县", "区", "旗", "乡", "镇", "街道")


def _is_latin_word(word: str) -> bool:
    return all(unicodedata.category(ch)[0] != "L" or ord(ch) < 0x2E80 for ch in word)


#: 复姓: two-character surnames kept whole (欧阳小明 → 欧阳**).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "东郭", "澹台", "公冶", "太史", "申屠", "司空", "万俟",
    "闻人", "赫连", "钟离", "宗政", "濮阳", "淳于", "单于", "仲孙", "拓跋", "第五", "歐陽", "司馬", "諸葛",
})
_FOREIGN_MASK = "****"  # fixed length: the mask tells nothing about the length of the name


def mask_name(name: str | None) -> str:
    """The surname whole, every given-name character hidden: 张三华→张**, 张三→张*, 欧阳小明→欧阳**,
    欧阳明→欧阳*, 张→*; a name in Latin letters shows its first letter and a fixed mask ("Maria Lopez"→"M****");
    None/""→""."""
    if not name:
        return ""
    text = name.strip()
    if not text:
        return ""
    words = text.split()
    # A name starting with a CJK letter is not a Latin name (the first word fails _is_latin_word at once).
    cjk_first = ord(text[0]) >= 0x2E80 and unicodedata.category(text[0])[0] == "L"
    if not cjk_first and all(_is_latin_word(w) for w in words):
        return text[0] + _FOREIGN_MASK
    chars = "".join(words)
    if len(chars) == 1:
        return "*"
    surname = 2 if len(chars) > 2 and chars[:2] in COMPOUND_SURNAMES else 1
    return chars[:surname] + "*" * (len(chars) - surname)


def mask_id_number(number: str | None) -> str:
    """5101**********123X: first 4 and last 4 of an 18- (or 15-) character number; anything shorter is
    masked entirely, so at most 8 characters are ever shown."""
    if not number:
        return ""
    # A stored number is plain ASCII letters and digits already (NFKC and removing spaces change nothing).
    text = (number if number.isascii() and number.isalnum()
            else "".join(unicodedata.normalize("NFKC", number).split())).upper()
    if len(text) < _ID_MIN_LEN_FOR_ENDS:
        return "*" * len(text)
    return text[:_ID_KEEP] + "*" * (len(text) - 2 * _ID_KEEP) + text[-_ID_KEEP:]


def mask_phone(s: str | None) -> str:
    """138****1234: the first 3 and last 4 digits; spaces and dashes dropped; short numbers fully masked."""
    if not s:
        return ""
    text = unicodedata.normalize("NFKC", s)
    compact = "".join(ch for ch in text if not ch.isspace() and ch not in "-()")
    if len(compact) < _PHONE_MIN_LEN:
        return "*" * len(compact)
    return compact[:3] + "*" * (len(compact) - 7) + compact[-4:]


def mask_address(s: str | None) -> str:
    """The administrative beginning, never the village or house: up to the last 省/市/县/区/乡/镇/街道 within
    the first 6 characters (四川省成都市…, 青禾县石桥镇…), else the first third (桃源村5组12号 → 桃源…).
    An address of 6 characters or fewer shows only its first half."""
    if not s:
        return ""
    text = s.strip()
    if not text:
        return ""
    if len(text) <= _ADDRESS_KEEP:
        return text[:len(text) // 2] + "…"
    head = text[:_ADDRESS_KEEP]
    keep = max((head.rfind(m) + len(m) for m in _ADMIN_MARKERS if head.rfind(m) >= 0), default=0)
    return text[:keep or max(1, len(text) // 3)] + "…"


def mask_id_list(s: str | None) -> str:
    """Several ID numbers (a buyer household's members), each masked."""
    if not s:
        return ""
    parts = [p for p in s.replace("，", ",").replace("、", ",").replace(";", ",").split(",") if p.strip()]
    return ", ".join(mask_id_number(p) for p in parts)


def _birth_year(value: Any) -> Any:
    return value.year if isinstance(value, date) else None


def _hidden(_value: Any) -> None:
    return None


#: field → how a masked view shows it (any record type: the field names are shared across records).
IDENTITY_MASKS: dict[str, Callable[[Any], Any]] = {
    "name": mask_name, "alias": mask_name, "head_name": mask_name, "household_head": mask_name,
    "guardian_name": mask_name,
    "id_number": mask_id_number, "caregiver_id_number": mask_id_number, "member_id_numbers": mask_id_list,
    "phone": mask_phone,
    "address": mask_address, "household_registration": mask_address, "current_residence": mask_address,
    "birth_date": _birth_year,  # the year only
    "name_pinyin": _hidden, "name_initials": _hidden, "id_tail": _hidden,
}


def mask_field(field: str, value: Any) -> Any:
    """``value`` as a masked view shows ``field`` (unchanged when the field is not identifying)."""
    if value is None:
        return None
    masker = IDENTITY_MASKS.get(field)
    return masker(value) if masker is not None else value


def masked_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: mask_field(k, v) for k, v in values.items()}
