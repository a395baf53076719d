"""Least exposure: what lists, search results and most prints show instead of identity.

张三华 → 张*华, 51010119900101123X → 5101**********123X, 13800001234 → 138****1234.  Seeing the full
value is an explicit, audited act elsewhere; these functions only hide.
"""

from __future__ import annotations

import unicodedata

__all__ = ["HIDDEN_NAME", "mask_address", "mask_id_number", "mask_name", "mask_phone"]

#: What a list shows for a record whose name is hidden altogether (Primero's ``hidden_name``).
HIDDEN_NAME = "*******"

_ADDRESS_KEEP = 6
_ID_KEEP = 4
_ID_MIN_LEN_FOR_ENDS = 15  # 15-digit (1st generation) and 18-digit numbers show 4 + 4
_PHONE_MIN_LEN = 7


def _is_latin_word(word: str) -> bool:
    return all(unicodedata.category(ch)[0] != "L" or ord(ch) < 0x2E80 for ch in word)


def mask_name(name: str | None) -> str:
    """张三华→张*华, 张三→张*, 欧阳小明→欧**明, 张→*, "Maria Lopez"→"M**** L****", None/""→""."""
    if not name:
        return ""
    text = name.strip()
    if not text:
        return ""
    words = text.split()
    if all(_is_latin_word(w) for w in words):
        return " ".join(w[0] + "*" * (len(w) - 1) for w in words)
    chars = "".join(words)
    if len(chars) == 1:
        return "*"
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


def mask_id_number(number: str | None) -> str:
    """5101**********123X: first 4 and last 4 of an 18- (or 15-) character number; anything shorter is
    masked entirely, so at most 8 characters are ever shown."""
    if not number:
        return ""
    text = "".join(unicodedata.normalize("NFKC", number).split()).upper()
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
    """The first 6 characters then "…" (四川省成都市…).  An address of 6 characters or fewer shows only
    its first half, so a short address is never shown whole."""
    if not s:
        return ""
    text = s.strip()
    if not text:
        return ""
    keep = _ADDRESS_KEEP if len(text) > _ADDRESS_KEEP else len(text) // 2
    return text[:keep] + "…"
