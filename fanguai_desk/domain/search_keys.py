"""Search keys for names: full pinyin and initials, so "zsh" or "zhangsanhua" finds 张三华.

pypinyin reads a name as ordinary words, which gets heteronym surnames wrong (单 as "dan", 曾 as "ceng",
解 as "jie").  pypinyin 0.55 has no surname mode, so the surname readings are a table here: compound
surnames first (尉迟 yuchi, 万俟 moqi…), then single-character surnames whose surname reading differs
from the common one.  The given name is read by pypinyin on its own.

Keys are derived data: stored (encrypted, like everything) to make search work, never shown.  They are
made here on every path a file is written (entry, the demo, an import, which never keeps a sender's keys:
``search_columns``), and they are the sound of the name the duplicate rule compares (``duplicates.name_key``):
traditional characters are read as their simplified forms (區 as the surname 区 "ou", not "qu").
"""

from __future__ import annotations

import unicodedata

from fanguai_desk.domain.chinese import to_simplified
from fanguai_desk.domain.idnumber import id_tail

__all__ = ["name_search_keys", "normalize_query", "search_columns"]

_COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "尉迟": ("yu", "chi"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "长孙": ("zhang", "sun"),
    "宇文": ("yu", "wen"),
    "司徒": ("si", "tu"),
    "夏侯": ("xia", "hou"),
    "令狐": ("ling", "hu"),
    "澹台": ("tan", "tai"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "端木": ("duan", "mu"),
    "轩辕": ("xuan", "yuan"),
    "西门": ("xi", "men"),
    "南宫": ("nan", "gong"),
    "独孤": ("du", "gu"),
    "呼延": ("hu", "yan"),
    "百里": ("bai", "li"),
    "东郭": ("dong", "guo"),
    "公羊": ("gong", "yang"),
    "闻人": ("wen", "ren"),
    "赫连": ("he", "lian"),
    "申屠": ("shen", "tu"),
    "太史": ("tai", "shi"),
    "钟离": ("zhong", "li"),
    "宗政": ("zong", "zheng"),
    "濮阳": ("pu", "yang"),
    "淳于": ("chun", "yu"),
    "公冶": ("gong", "ye"),
    "仲孙": ("zhong", "sun"),
    "司空": ("si", "kong"),
}

# Single-character surnames read differently from the character's most common reading.
_SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "翟": "zhai",
    "乐": "yue",
    "尉": "wei",
    "覃": "qin",
    "盖": "ge",
    "缪": "miao",
    "召": "shao",
    "繁": "po",
    "员": "yun",
    "种": "chong",
    "宓": "mi",
    "能": "nai",
    "句": "gou",
    "秘": "bi",
    "祭": "zhai",
    "柏": "bai",
    "都": "du",
    "重": "chong",
    "长": "chang",
    "华": "hua",
    "任": "ren",
    "纪": "ji",
    "过": "guo",
    "薄": "bo",
    "隗": "wei",
    "沈": "shen",
    "尹": "yin",
    "藏": "zang",
    "相": "xiang",
    "车": "che",
    "贲": "ben",
    "洗": "xian",
    "冼": "xian",
    "弗": "fu",
    "褚": "chu",
    "蕃": "pi",
    "阚": "kan",
}


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _han_syllables(text: str) -> list[str]:
    if not text:
        return []
    # Imported here: pypinyin's dictionaries take ~0.5 s to load, and most commands never need them.
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s]


def _chinese_syllables(han: str) -> list[str]:
    if han[:2] in _COMPOUND_SURNAMES:
        return [*_COMPOUND_SURNAMES[han[:2]], *_han_syllables(han[2:])]
    if han[0] in _SURNAME_READINGS:
        return [_SURNAME_READINGS[han[0]], *_han_syllables(han[1:])]
    return [*_han_syllables(han[:1]), *_han_syllables(han[1:])]


def name_search_keys(name: str | None) -> tuple[str, str]:
    """``(full pinyin, initials)`` in lower case without spaces or tones: 张三华 → ("zhangsanhua", "zsh").

    Latin letters in the name are kept (lower case) as their own words: "Maria Lopez" → ("marialopez", "ml").
    Digits, spaces and punctuation (the "·" of minority names) are dropped.  Traditional characters are read as
    their simplified forms: 王曉紅 has the keys of 王晓红.
    """
    if not name:
        return "", ""
    text = to_simplified(unicodedata.normalize("NFKC", name).strip())
    han = "".join(ch for ch in text if _is_han(ch))
    words: list[str] = []
    if han:
        words.extend(_chinese_syllables(han))
    latin_words = "".join(ch.lower() if ch.isascii() and ch.isalpha() else " " for ch in text).split()
    words.extend(latin_words)
    full = "".join(words)
    initials = "".join(w[0] for w in words)
    return full, initials


def search_columns(name: str | None, alias: str | None, id_number: str | None) -> dict[str, str | None]:
    """A file's stored search keys (``victims.name_pinyin``, ``name_initials``, ``id_tail``), from its name (else
    its alias) and its ID number; None where there is nothing to key."""
    full, initials = name_search_keys(name or alias)
    return {"name_pinyin": full or None, "name_initials": initials or None,
            "id_tail": id_tail(id_number) if id_number else None}


def normalize_query(q: str) -> str:
    """A search box's text as the keys are stored: NFKC (full-width → half-width), trimmed, lower case."""
    return unicodedata.normalize("NFKC", q).strip().casefold()
