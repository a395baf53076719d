"""The registry's settings, typed and validated in one place.

Every setting has a type, bounds and a default here; ``UnitOfWork.settings()`` (services/unit_of_work.py)
reads through :func:`read_settings` and ``UnitOfWork.update_settings`` / the backup settings write through
:func:`validate_setting`, so a bad value (``retention_years = -5``) is refused with a message and never
stored.  A value already stored that does not parse (an old registry, a hand edit) falls back to the default
rather than breaking every screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from fanguai_desk.domain.errors import AccessDenied, ValidationError

__all__ = ["EDITABLE", "SETTINGS", "RegistrySettings", "SettingSpec", "read_settings", "validate_setting"]


@dataclass(frozen=True)
class SettingSpec:
    kind: type  # int or str
    default: int | str
    minimum: int | None = None  # ints: the bounds; strs: the length bounds
    maximum: int | None = None


#: key → spec.  retention: PIPL art. 19/47 (no longer than needed) — at least a year, at most thirty.
SETTINGS: dict[str, SettingSpec] = {
    "county_code": SettingSpec(str, "0000", 4, 6),
    "county_name": SettingSpec(str, "", 1, 100),
    "retention_years": SettingSpec(int, 5, 1, 30),
    "referral_wait_days": SettingSpec(int, 7, 1, 365),
    "idle_lock_minutes": SettingSpec(int, 5, 1, 120),
    "backup_reminder_days": SettingSpec(int, 7, 1, 365),
    "attachment_max_mb": SettingSpec(int, 20, 1, 200),
    "backup_keep": SettingSpec(int, 10, 1, 1000),
    # Issue 13: the "no contact for N days" card (files_without_contact), and how long after its creation an
    # administrator may still delete a file entered by mistake (after that: close it with a reason).
    "no_contact_days": SettingSpec(int, 90, 7, 3650),
    "delete_window_days": SettingSpec(int, 7, 0, 365),
}

#: What ``update_settings`` may change (the county code is fixed at init: it is part of every file number).
EDITABLE = frozenset({"county_name", "retention_years", "referral_wait_days", "idle_lock_minutes",
                      "backup_reminder_days", "attachment_max_mb", "backup_keep", "no_contact_days",
                      "delete_window_days"})


@dataclass(frozen=True)
class RegistrySettings:
    """The typed settings, made only by :func:`read_settings`: the defaults are those of ``SETTINGS``."""

    county_code: str
    county_name: str
    retention_years: int
    referral_wait_days: int
    idle_lock_minutes: int
    backup_reminder_days: int
    attachment_max_mb: int
    no_contact_days: int
    delete_window_days: int


def validate_setting(key: str, value: object) -> str:
    """The stored text of a valid value; ``AccessDenied("setting_unknown")`` for an unknown key,
    ``ValidationError("setting_invalid", setting, min, max)`` for a bad value."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise AccessDenied("setting_unknown", setting=key)
    lo, hi = spec.minimum, spec.maximum
    if spec.kind is int:
        if isinstance(value, bool):
            raise ValidationError("setting_invalid", setting=key, min=lo, max=hi)
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError("setting_invalid", setting=key, min=lo, max=hi) from None
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise ValidationError("setting_invalid", setting=key, min=lo, max=hi)
        return str(number)
    text = str(value).strip()
    if (lo is not None and len(text) < lo) or (hi is not None and len(text) > hi) \
            or any(ord(ch) < 32 or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in text):
        raise ValidationError("setting_invalid", setting=key, min=lo, max=hi)
    return text


def read_settings(meta: Mapping[str, str]) -> RegistrySettings:
    """Typed settings from the stored texts; a missing or unreadable value gives the default."""
    values: dict[str, int | str] = {}
    for f in fields(RegistrySettings):
        spec = SETTINGS[f.name]
        raw = meta.get(f.name)
        try:
            values[f.name] = spec.kind(validate_setting(f.name, raw)) if raw is not None else spec.default
        except ValidationError:
            values[f.name] = spec.default
    return RegistrySettings(**values)  # type: ignore[arg-type]
