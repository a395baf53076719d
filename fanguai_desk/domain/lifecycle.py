"""A file's whole life: closing (结案), reopening, transfer, deletion of a file entered by mistake.

Pure rules, no I/O.  The services (``services/lifecycle.py``) apply them; the store's closed-file guard
(``store/closed_files.py``) keeps a closed file read-only on every path.

* Closing needs a reason code (``ClosureReason``); "other" (其他（须说明）) and "merged into a duplicate"
  (并入重复档案, which must name the other file) need a note.  Closing starts the retention period
  (PIPL art. 19: keep no longer than needed; the purge of art. 47 follows once it has passed).
* Reopening needs a reason in words; it is kept in the file's history.
* A reason typed by a person (reopen reason, consent override, deletion) must say something: at least
  ``MIN_REASON_CHARS`` letters or digits — "急", "..." or "！！！" are not reasons.
* A file may be deleted as entered by mistake only within a configurable number of days of creation
  (after that it has a history that matters: close it instead).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from fanguai_desk.domain.enums import ClosureReason
from fanguai_desk.domain.errors import ValidationError

__all__ = [
    "CLOSE_REASONS_OFFERED",
    "DEFAULT_DELETE_WINDOW_DAYS",
    "LIFECYCLE_FIELDS",
    "MIN_REASON_CHARS",
    "REASONS_NEEDING_NOTE",
    "close_edit_conflict",
    "ensure_close_note",
    "ensure_real_reason",
    "meaningful_chars",
]

#: The reasons a user can choose when closing (``FORMAL`` only survives on files closed before).
CLOSE_REASONS_OFFERED: tuple[ClosureReason, ...] = (
    ClosureReason.RETURNED_HOME, ClosureReason.REPATRIATED, ClosureReason.TRANSFERRED, ClosureReason.DEATH,
    ClosureReason.MERGED_DUPLICATE, ClosureReason.OTHER,
)
REASONS_NEEDING_NOTE = frozenset({ClosureReason.OTHER, ClosureReason.MERGED_DUPLICATE})
MIN_REASON_CHARS = 4
DEFAULT_DELETE_WINDOW_DAYS = 7

#: Victim columns that only closing / reopening / transfer change.  An import that brings a close while the
#: other side edited the file (or the reverse) is a conflict on ``status`` that the supervisor decides.
LIFECYCLE_FIELDS = frozenset({"status", "closure_reason", "closure_note", "closed_on", "retention_until",
                              "reopen_reason", "reopened_on", "transferred_to"})


def meaningful_chars(text: str | None) -> int:
    """Letters, digits and CJK ideographs in ``text`` (punctuation, symbols and spaces do not count)."""
    if not text:
        return 0
    return sum(1 for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in "LN")


def ensure_real_reason(text: str | None, field: str, min_chars: int = MIN_REASON_CHARS) -> str:
    """The stripped reason, or ``ValidationError("reason_too_short", field=…, min=…)``."""
    stripped = (text or "").strip()
    if not stripped:
        raise ValidationError("field_required", field=field)
    if meaningful_chars(stripped) < min_chars:
        raise ValidationError("reason_too_short", field=field, min=min_chars)
    return stripped


def ensure_close_note(reason: ClosureReason, note: str | None) -> str | None:
    if reason not in CLOSE_REASONS_OFFERED:
        raise ValidationError("enum_value", field="reason",
                              allowed=", ".join(r.value for r in CLOSE_REASONS_OFFERED))
    if reason in REASONS_NEEDING_NOTE:
        return ensure_real_reason(note, "note", 2)
    return (note or "").strip() or None


def close_edit_conflict(changed_here: Collection[str], incoming_differs: Collection[str]) -> bool:
    """Did one side close/reopen the file while the other edited it?  (Field-level merge would otherwise
    apply the edit to a closed file, or silently reopen it.)"""
    here_life = any(f in LIFECYCLE_FIELDS for f in changed_here)
    here_edit = any(f not in LIFECYCLE_FIELDS for f in changed_here)
    there = set(incoming_differs) - set(changed_here)
    there_life = any(f in LIFECYCLE_FIELDS for f in there)
    there_edit = any(f not in LIFECYCLE_FIELDS for f in there)
    return (here_life and there_edit) or (there_life and here_edit)
