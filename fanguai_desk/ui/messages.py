"""Turn an error into one sentence in the user's language — never a traceback.

Core errors carry a stable ``code`` and ``params``; the English text of ``fanguai_desk/messages.py`` is the
translation source (context ``CoreMessages``), its Chinese text the translation (kept in step by
``i18n/sync_core_texts.py``).  Parameters that are codes (field keys, statuses, roles) are shown by their
label.
"""

from __future__ import annotations

import logging
import os
import traceback
from typing import Any

from PySide6.QtCore import QCoreApplication

from fanguai_desk.domain.enums import ReferralStatus, Role
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.messages import ACTIONS, MESSAGES, RECORD_WORDS, fill
from fanguai_desk.ui.labels import enum_label, field_label

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class RegistryLocked(FanguaiError):
    """Raised by a background job that found the registry locked (the key has been dropped)."""

    code = "registry_locked"


def _display_params(params: dict[str, Any]) -> dict[str, Any]:
    shown = dict(params)
    if isinstance(shown.get("field"), str):
        shown["field"] = field_label(shown["field"])
    for key in ("from_status", "to_status"):
        value = shown.get(key)
        if isinstance(value, str) and value in ReferralStatus._value2member_map_:
            shown[key] = enum_label(ReferralStatus(value))
    record_type, reason = shown.get("record_type"), shown.get("reason")
    if isinstance(record_type, str) and record_type in RECORD_WORDS:
        shown["record_type"] = translate("CoreRecords", RECORD_WORDS[record_type][1])
    if isinstance(reason, str) and f"refusal_reason_{reason}" in MESSAGES:
        shown["reason"] = translate("CoreMessages", MESSAGES[f"refusal_reason_{reason}"][1])
    shown["record_ref"] = ""  # a record id means nothing to the user: the record type is named instead
    if isinstance(shown.get("required"), str):
        roles = [r for r in shown["required"].split(",") if r in Role._value2member_map_]
        shown["required"] = "、".join(enum_label(Role(r)) for r in roles)
    return shown


def gui_action(code: str, params: dict[str, Any]) -> str:
    """What to do, in the desktop app's words (a menu, page or button — never a command to type): the ``gui``
    action of ``messages.ACTIONS`` through ``tr()`` (context ``CoreActions``)."""
    pair = ACTIONS.get(code, {}).get("gui")
    if pair is None or not pair[1]:
        return ""
    return fill(translate("CoreActions", pair[1]), params)


def error_text(error: BaseException) -> str:
    if isinstance(error, RegistryLocked):
        return translate("Messages", "The registry is locked. Unlock it and try again; your input is kept.")
    if isinstance(error, FanguaiError):
        pair = MESSAGES.get(error.code) or MESSAGES.get(type(error).code) or MESSAGES["error"]
        template = translate("CoreMessages", pair[1])
        params = _display_params(error.params)
        params.setdefault("action", gui_action(error.code, params))
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template
    # A bug, not the user's doing.  The exception text may quote data: only its type is logged and shown.
    log.error("internal error: %s", type(error).__name__)
    if os.environ.get("FANGUAI_DEBUG"):
        log.error("%s", "".join(traceback.format_exception(error)))
    return translate("Messages", "Internal error (%1). Nothing was saved; please tell your administrator.").replace(
        "%1", type(error).__name__)


def error_field(error: BaseException) -> str | None:
    """The form field an error is about, if it names one."""
    if isinstance(error, FanguaiError):
        field = error.params.get("field")
        return field if isinstance(field, str) else None
    return None
