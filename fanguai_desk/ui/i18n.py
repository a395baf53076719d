"""Language choice, the user's QSettings, and dates shown the Chinese way (2026年11月22日).

QSettings (organisation ``fanguai_desk``) holds only UI preferences — language, window geometry, the last
data folder — never personal data.  Registry-wide settings (idle timeout…) live in the encrypted registry.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from PySide6.QtCore import QSettings

from fanguai_desk.store.clock import local_time

ORGANIZATION = "fanguai_desk"
APPLICATION = "fanguai_desk"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_current = DEFAULT_LANGUAGE


def app_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def saved_language() -> str | None:
    value = app_settings().value("language")
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(lang: str) -> None:
    if lang in LANGUAGES:
        app_settings().setValue("language", lang)


def choose_language(requested: str | None) -> str:
    """The command line's non-default choice (``--lang en`` or FANGUAI_LANG) wins; then the user's saved
    choice (settings page); then Chinese."""
    if requested and requested != DEFAULT_LANGUAGE and requested in LANGUAGES:
        return requested
    env = os.environ.get("FANGUAI_LANG")
    if env in LANGUAGES and requested == env:
        return env
    return saved_language() or DEFAULT_LANGUAGE


def set_current_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def is_chinese() -> bool:
    return _current.startswith("zh")


def format_date(value: date | None) -> str:
    """2026年11月22日 in Chinese, 2026-11-22 in English, "" for none."""
    if value is None:
        return ""
    if is_chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """A stored time (UTC, naive) in the laptop's local time, minutes precision."""
    if value is None:
        return ""
    local = local_time(value)
    return f"{format_date(local.date())} {local:%H:%M}"


def qt_date_format() -> str:
    """The display format of date editors (QDateEdit)."""
    return "yyyy年M月d日" if is_chinese() else "yyyy-MM-dd"
