"""Every error code the core raises has a Chinese and an English message with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from fanguai_desk.messages import MESSAGES

PACKAGE = Path(__file__).resolve().parent.parent / "fanguai_desk"
RAISED = re.compile(r'(?:RuleViolation|ValidationError|AccessDenied|NotFound|ConflictError|UnlockError|'
                    r'RegistryError|ExchangeError|FanguaiError)\(\s*"([a-z0-9_]+)"')


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_raised_code_has_a_message() -> None:
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        codes |= set(RAISED.findall(path.read_text("utf-8")))
    missing = sorted(codes - set(MESSAGES))
    assert not missing, f"codes without a message: {missing}"


def test_chinese_and_english_messages_have_the_same_placeholders() -> None:
    for code, (zh, en) in MESSAGES.items():
        assert placeholders(zh) == placeholders(en), code
        assert zh and en
