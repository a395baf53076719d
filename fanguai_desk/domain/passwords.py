"""Minimum password strength.  A lost password cannot be recovered (only the administrator's recovery
key or another administrator can give access back), so the rule is about guessing, not remembering."""

from __future__ import annotations

import math
import string

from fanguai_desk.domain.errors import ValidationError

MIN_LENGTH = 10
COMMON = frozenset({
    "password", "password1", "1234567890", "12345678910", "qwertyuiop", "1qaz2wsx3edc", "a123456789",
    "woaini1314", "iloveyou12", "abc1234567", "admin12345", "administrator", "0123456789", "11111111111",
    "88888888888", "66666666666", "passw0rd12", "qwerty1234", "asdfghjkl1", "zxcvbnm123",
})


def estimate_bits(password: str) -> float:
    """A rough entropy estimate (character classes × length) for the strength meter."""
    pool = 0
    if any(c in string.ascii_lowercase for c in password):
        pool += 26
    if any(c in string.ascii_uppercase for c in password):
        pool += 26
    if any(c in string.digits for c in password):
        pool += 10
    if any(c in string.punctuation or c == " " for c in password):
        pool += 33
    if any(ord(c) > 127 for c in password):
        pool += 2000  # CJK and other scripts: a large alphabet
    distinct = len(set(password))
    return distinct * math.log2(pool) if pool else 0.0


def strength_score(password: str) -> int:
    """0 (very weak) … 4 (strong), for a meter."""
    if password.lower() in COMMON:
        return 0
    bits = estimate_bits(password)
    return 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 55 else 3 if bits < 70 else 4


def ensure_password_strength(password: str, login: str | None = None) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError("password_too_short", min=MIN_LENGTH)
    if password.lower() in COMMON or len(set(password)) < 5:
        raise ValidationError("password_too_common")
    if login and login.strip() and login.strip().lower() in password.lower():
        raise ValidationError("password_contains_login")
    classes = sum([
        any(c.islower() for c in password), any(c.isupper() for c in password),
        any(c.isdigit() for c in password), any(not c.isalnum() for c in password),
        any(ord(c) > 127 for c in password),
    ])
    if classes < 2:
        raise ValidationError("password_too_simple")
