"""Nationalities by name (ISO 3166-1 alpha-2 code → Chinese, English): a form shows 中国, the record keeps CN.

The countries of origin and destination the anti-trafficking plans name for cross-border cases (Lincang
borders Myanmar, Laos and Vietnam; foreign victims are repatriated: 003 六(三), 004 第三十六条).
"""

from __future__ import annotations

NATIONALITIES: dict[str, tuple[str, str]] = {
    "CN": ("中国", "China"),
    "MM": ("缅甸", "Myanmar"),
    "VN": ("越南", "Vietnam"),
    "LA": ("老挝", "Laos"),
    "KH": ("柬埔寨", "Cambodia"),
    "TH": ("泰国", "Thailand"),
    "KP": ("朝鲜", "DPR Korea"),
    "NP": ("尼泊尔", "Nepal"),
    "PK": ("巴基斯坦", "Pakistan"),
    "MN": ("蒙古", "Mongolia"),
    "RU": ("俄罗斯", "Russia"),
    "UA": ("乌克兰", "Ukraine"),
    "ID": ("印度尼西亚", "Indonesia"),
    "PH": ("菲律宾", "Philippines"),
}


def nationality_name(code: str | None, lang: str = "zh_CN") -> str:
    if not code:
        return ""
    names = NATIONALITIES.get(code.upper())
    if names is None:
        return code
    return names[1] if lang.startswith("en") else names[0]
