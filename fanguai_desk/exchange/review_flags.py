"""Review flags travel from the laptop that raised them to the county, with their closures
(docs/exchange-format.md, "Review flags").

Issue 11: a record that a later change made break a rule is flagged on the file "on the township laptop and
at the supervisor".  The township works its own files, so the township's flag is the one that counts:

* **Export.** Every flag raised on this installation (``origin_installation`` NULL: ``source`` local or
  import) of the exported files, by change number like records (``store/journal.py`` journals
  ``review_flags``; opening one flag and closing it are two changes), as one line each::

      {"t": "review_flag", "data": {"id", "victim_id", "record_type", "record_id", "rule", "status",
                                   "created_at", "resolved_at", "resolved_by", "resolution_note",
                                   "origin_installation"}}

  A flag received from another laptop is never sent on: it is that laptop's to send.
* **Import.** Each line is checked before anything is written; the first bad line refuses the whole bundle
  (the caller rolls back):
  - shape: exactly those keys, known record type, a message code as rule, ``open`` with no closure or
    ``resolved`` with who and when; the note obeys the rules of notes (no control characters or bidi
    overrides, no DNA data, bounded: ``domain/entry_rules.check_review_note``) — ``bundle_malformed`` /
    ``bundle_rule_violation``;
  - authorisation (a valid signature is not permission): the file must be the signer's township's
    (``Authoriser.check_file_part``), the closer a user of that township, ``origin_installation`` the
    exporting laptop, and a flag id already here must be that same laptop's flag on the same file (a
    township cannot close the county's own flags, nor another laptop's) — ``bundle_not_authorised``.
* **Merge (idempotent, never reopens).** An unknown flag is stored as ``source = "township"``; a known one
  only ever moves from open to resolved (with the closer, time and note as sent).  Re-importing or a resend
  of an older bundle carrying the flag still open changes nothing.  A flag for a file deleted here is
  skipped, like its records.
* **One flag per file, record and rule.** The county's own open flag raised at import for the same
  file, record and rule (``source = "import"``) gives way to the township's: it is removed, and the county's
  later re-checks do not raise it again while the township's flag exists (``store/review.py``).

At the county a received flag is read-only (``services/review.py``): it is shown with its state and the
township that raised it; it closes at the township, and "closed" arrives with that township's next bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.entry_rules import check_review_note
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.exchange.authorisation import Authoriser
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.payload import PayloadWriter, encode_value
from fanguai_desk.messages import MESSAGES
from fanguai_desk.store.models import ReviewFlag, Tombstone, Victim
from fanguai_desk.store.review import RECEIVED

__all__ = ["FLAG_KEYS", "FlagMerge", "review_flag_lines", "store_review_flags"]

RECORD_TYPES = frozenset({"victim", "service", "placement", "guardian", "consent", "followup", "referral"})
FLAG_KEYS = frozenset({"id", "victim_id", "record_type", "record_id", "rule", "status", "created_at",
                       "resolved_at", "resolved_by", "resolution_note", "origin_installation"})
EXPORTED_COLUMNS = ("id", "victim_id", "record_type", "record_id", "rule", "status", "created_at", "resolved_at",
             "resolved_by", "resolution_note")


# ---------------------------------------------------------------------------------------------- export

def review_flag_lines(s: Session, writer: PayloadWriter, *, installation_id: str,
                      township_ids: Sequence[str] | None, victim_ids: Sequence[str] | None,
                      changed: Select[Any] | None) -> int:
    """The flags raised on this installation of the exported files (``changed``: the journal filter of a
    delivery, or None for every flag)."""
    stmt = (select(*(ReviewFlag.__table__.c[k] for k in EXPORTED_COLUMNS)).join(Victim, Victim.id == ReviewFlag.victim_id)
            .where(ReviewFlag.origin_installation.is_(None)))
    if township_ids is not None:
        stmt = stmt.where(Victim.township_id.in_(township_ids))
    if victim_ids is not None:
        stmt = stmt.where(ReviewFlag.victim_id.in_(victim_ids))
    if changed is not None:
        stmt = stmt.where(ReviewFlag.id.in_(changed))
    n = 0
    for row in s.execute(stmt.order_by(ReviewFlag.created_at, ReviewFlag.id)):
        data = {k: encode_value(v) for k, v in row._mapping.items()}
        data["origin_installation"] = installation_id
        writer.line({"t": "review_flag", "data": data})
        n += 1
    return n


# ---------------------------------------------------------------------------------------------- import

@dataclass
class FlagMerge:
    added: int = 0  # flags new here
    closed: int = 0  # flags closed by this bundle (closed at the township)
    superseded: int = 0  # the county's own import flags replaced by the township's


@dataclass(frozen=True)
class _Flag:
    id: str
    victim_id: str
    record_type: str
    record_id: str
    rule: str
    status: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None


def _parse(raw: Any, origin_installation: str) -> _Flag:
    def bad() -> ExchangeError:
        return ExchangeError("bundle_malformed", part="review_flag")

    if not isinstance(raw, dict) or set(raw) != FLAG_KEYS:
        raise bad()
    for key in ("id", "victim_id", "record_id"):
        if not isinstance(raw[key], str) or not 0 < len(raw[key]) <= 36:
            raise bad()
    rule = raw["rule"]
    if raw["record_type"] not in RECORD_TYPES or not isinstance(rule, str) \
            or (rule not in MESSAGES and rule != "file_number_collision") or raw["status"] not in ("open", "resolved"):
        raise bad()
    try:
        created = datetime.fromisoformat(str(raw["created_at"]))
        resolved_at = None if raw["resolved_at"] is None else datetime.fromisoformat(str(raw["resolved_at"]))
    except ValueError:
        raise bad() from None
    who, note = raw["resolved_by"], raw["resolution_note"]
    if raw["status"] == "open":
        if resolved_at is not None or who is not None or note is not None:
            raise bad()
    elif resolved_at is None or not isinstance(who, str) or not 0 < len(who) <= 36:
        raise bad()
    if note is not None:
        if not isinstance(note, str):
            raise bad()
        try:
            if check_review_note(note) != note:
                raise bad()
        except FanguaiError as exc:
            code = exc.code if exc.code == "dna_data" else "text_control_characters"
            if exc.code == "field_too_long":
                raise bad() from None
            raise ExchangeError("bundle_rule_violation", rule=code, record_type="review_flag",
                                record_id=raw["id"]) from None
    if raw["origin_installation"] != origin_installation:
        raise ExchangeError("bundle_not_authorised", record_type="review_flag", record_id=raw["id"],
                            reason="installation_not_signer")
    return _Flag(raw["id"], raw["victim_id"], raw["record_type"], raw["record_id"], rule, raw["status"],
                 created.replace(tzinfo=None), resolved_at.replace(tzinfo=None) if resolved_at else None, who, note)


def store_review_flags(s: Session, rows: Sequence[Any], origin_installation: str,
                       authoriser: Authoriser | None) -> FlagMerge:
    """Merge a bundle's flag lines (see the module docstring).  Every line is checked before any is
    written; a refusal raises and the caller rolls the whole import back."""
    flags = [_parse(raw, origin_installation) for raw in rows]
    dead = set(s.scalars(select(Tombstone.record_id).where(
        Tombstone.record_id.in_({f.victim_id for f in flags})))) if flags else set()
    flags = [f for f in flags if f.victim_id not in dead]  # the file was deleted here: nothing to flag
    local: dict[str, ReviewFlag] = {f.id: f for f in s.scalars(
        select(ReviewFlag).where(ReviewFlag.id.in_([f.id for f in flags])))} if flags else {}
    for f in flags:
        if authoriser is not None:
            authoriser.check_file_part("review_flag", f.id, f.victim_id)
            if f.resolved_by is not None:
                authoriser.check_author("review_flag", f.id, f.resolved_by)
        mine = local.get(f.id)
        if mine is not None and (mine.source != RECEIVED or mine.origin_installation != origin_installation
                                 or mine.victim_id != f.victim_id):
            raise ExchangeError("bundle_not_authorised", record_type="review_flag", record_id=f.id,
                                reason="other_installation")
        if mine is None and s.get(Victim, f.victim_id) is None:
            raise ExchangeError("bundle_incomplete", record_type="victim")
    result = FlagMerge()
    for f in flags:
        mine = local.get(f.id)
        if mine is None:
            s.add(ReviewFlag(id=f.id, victim_id=f.victim_id, record_type=f.record_type, record_id=f.record_id,
                             rule=f.rule, source=RECEIVED, status=f.status, created_at=f.created_at,
                             resolved_at=f.resolved_at, resolved_by=f.resolved_by, resolution_note=f.resolution_note,
                             origin_installation=origin_installation))
            result.added += 1
            result.closed += f.status == "resolved"
        elif mine.status == "open" and f.status == "resolved":
            mine.status, mine.resolved_at, mine.resolved_by = "resolved", f.resolved_at, f.resolved_by
            mine.resolution_note = f.resolution_note
            result.closed += 1
        # the county's own flag for the same file, record and rule gives way to the township's
        gone: Any = s.execute(delete(ReviewFlag).where(
            ReviewFlag.victim_id == f.victim_id, ReviewFlag.record_id == f.record_id, ReviewFlag.rule == f.rule,
            ReviewFlag.source == "import", ReviewFlag.status == "open", ReviewFlag.origin_installation.is_(None)))
        result.superseded += gone.rowcount or 0
    s.flush()
    return result
