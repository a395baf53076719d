"""Review flags on a file (``review_flags``, raised by ``store/review.py`` and the importer): shown on the file,
counted on the workbench, and marked reviewed by someone who may work the file (audited).

A flag names the rule an older record now breaks (its code is a message code of ``messages.py``) or an imported
file number that collides with a local one (shown with both townships).  The text says what to check.

Who closes what (the permission rule: records change on the installation that created them):

* a flag raised on this installation (``origin_installation`` NULL) is closed here, by a user who may work
  files (``Permission.FILE_WRITE``), with an optional note of what was found or done; on a township laptop
  the closure then travels to the county with the next bundle (``exchange/review_flags.py``);
* a flag received from a township (``source = "township"``) is shown at the county with its state, but is
  never closed here — for no role: there is no way back to the township, so a closure here would only
  make the two disagree.  It closes at the township and "closed" arrives with its next bundle
  (``review_flag_at_township``).  The county's own re-check does not raise a second flag for the same
  record and rule (``store/review.py``).

The view's ``can_close`` says which is which, so the CLI and the UI offer closing only where it works."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.entry_rules import check_review_note
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import AccessDenied, NotFound
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.messages import MESSAGES
from fanguai_desk.services import prepared
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.models import ReviewFlag, Township, User, Victim

__all__ = ["FlaggedFile", "ReviewFlagView", "ReviewService", "flag_text"]

_RECORD_ZH = {"victim": "档案", "service": "帮扶服务记录", "placement": "安置记录", "guardian": "监护人记录",
              "consent": "同意书记录", "followup": "回访记录", "referral": "法律援助转介记录"}
_RECORD_EN = {"victim": "file", "service": "service record", "placement": "placement record",
              "guardian": "guardian record", "consent": "consent record", "followup": "visit record",
              "referral": "legal aid referral"}
_CLAUSE = re.compile(r"(?<=[；。;])|(?<=\. )")


def _rule_words(template: str) -> str:
    """The rule's message without the clauses that need the refusal's own numbers (a flag has none)."""
    kept = [c for c in _CLAUSE.split(template) if c.strip() and "{" not in c]
    text = "".join(kept).strip().rstrip("；;。. ")
    return text + ("。" if "。" in template or "；" in template else ".") if text else ""


def flag_text(rule: str, record_type: str, lang: str = "zh_CN", *, number: str = "", township: str = "",
              others: str = "") -> str:
    """What the flag says and what to check, in the user's language (zh default)."""
    en = lang.startswith("en")
    if rule == "file_number_collision":
        if en:
            return (f"Imported file number {number} (township {township}) is also used by a file here "
                    f"({others or '?'}). Check with the township which file is which before printing or exporting.")
        return (f"导入的档案编号 {number}（{township}）与本机已有档案重复（{others or '?'}）。"
                "请与乡镇核实是哪一份档案，再打印或导出。")
    zh, en_text = MESSAGES.get(rule, MESSAGES["rule_violation"])
    why = _rule_words(en_text if en else zh)
    if en:
        return (f"The {_RECORD_EN.get(record_type, record_type)} no longer meets a rule after a later change: "
                f"{why} Check the record (and the change that caused this), correct it, then mark it reviewed.")
    return (f"{_RECORD_ZH.get(record_type, record_type)}在后来的修改后不再符合规则：{why}"
            "请核对该记录（以及引起此问题的修改），更正后标记为已复核。")


@dataclass(frozen=True)
class ReviewFlagView:
    id: str
    victim_id: str
    record_type: str
    record_id: str
    rule: str
    source: str  # local | import (raised here) | township (received; closes at the township)
    created_at: datetime
    text: str  # zh
    text_en: str
    status: str = "open"  # open | resolved
    can_close: bool = False  # may the signed-in user close it here (see the module docstring)?
    raised_at: str = ""  # the township whose laptop raised a received flag ("" = raised here)
    resolved_at: datetime | None = None
    resolved_by: str = ""  # display name of who closed it
    note: str = ""  # what the reviewer found or did


@dataclass(frozen=True)
class FlaggedFile:
    victim_id: str
    file_number: str
    township: str
    open_flags: int


@functools.lru_cache(maxsize=32)
def flagged_sql(ids: tuple[str, ...] | None, limit: int) -> tuple[str, str]:
    """(count, first ``limit`` rows) of the files with open flags in scope, as SQL built once
    (``services/prepared.py``): the workbench shows both on every refresh."""
    q = (select(Victim.id, Victim.file_number, Township.name, func.count(ReviewFlag.id))
         .join(ReviewFlag, ReviewFlag.victim_id == Victim.id)
         .join(Township, Township.id == Victim.township_id)
         .where(ReviewFlag.status == "open")
         .group_by(Victim.id, Victim.file_number, Township.name))
    if ids is not None:
        q = q.where(Victim.township_id.in_(ids))
    return (prepared.compiled(select(func.count()).select_from(q.subquery())),
            prepared.compiled(q.order_by(Victim.file_number, Victim.id).limit(limit)))


def flagged_rows(s: Session, ids: tuple[str, ...] | None, limit: int) -> list[FlaggedFile]:
    return [FlaggedFile(vid, number, tname, int(n)) for vid, number, tname, n in
            prepared.rows(s, flagged_sql(ids, limit)[1])]


class ReviewService(ServiceBase):
    def open_flags(self, victim_id: str) -> list[ReviewFlagView]:
        """The file's open flags (a file outside the actor's scope looks like no file)."""
        return self.flags(victim_id)

    def flags(self, victim_id: str, *, include_closed: bool = False) -> list[ReviewFlagView]:
        """The file's flags, open ones only unless ``include_closed`` — with who may close each, and for a
        closed one who closed it, when, and the note."""
        may_write = self.uow.can(Permission.FILE_WRITE)
        with self.uow.read() as s:
            victim = self._victim(s, victim_id)
            township = s.get(Township, victim.township_id)
            tname = township.name if township else ""
            mine = select(ReviewFlag).where(ReviewFlag.victim_id == victim.id)
            if not include_closed:
                mine = mine.where(ReviewFlag.status == "open")
            rows = list(s.scalars(mine.order_by(ReviewFlag.created_at, ReviewFlag.id)))
            closers = {u.id: u.display_name for u in s.scalars(select(User).where(
                User.id.in_({r.resolved_by for r in rows if r.resolved_by})))}
            others = ""
            if any(r.rule == "file_number_collision" for r in rows):
                visible = self.uow.visible_township_ids()
                q = (select(Township.name).join(Victim, Victim.township_id == Township.id)
                     .where(Victim.file_number == victim.file_number, Victim.id != victim.id))
                if visible is not None:
                    q = q.where(Township.id.in_(visible))
                others = "、".join(sorted(set(s.scalars(q)))) or ""
            return [ReviewFlagView(
                r.id, r.victim_id, r.record_type, r.record_id, r.rule, r.source, r.created_at,
                flag_text(r.rule, r.record_type, number=victim.file_number, township=tname, others=others),
                flag_text(r.rule, r.record_type, "en", number=victim.file_number, township=tname, others=others),
                status=r.status, can_close=may_write and r.status == "open" and r.origin_installation is None,
                raised_at=tname if r.origin_installation is not None else "", resolved_at=r.resolved_at,
                resolved_by=closers.get(r.resolved_by or "", ""), note=r.resolution_note or "")
                for r in rows]

    def mark_reviewed(self, flag_id: str, note: str | None = None) -> None:
        """Someone who may work the file has checked the record: the flag closes (audited), with an optional
        note of what was found or done (the rules of notes apply: no control characters, no DNA data).
        A flag received from a township closes only there (``review_flag_at_township``)."""
        self.uow.require(Permission.FILE_WRITE)
        note = check_review_note(note)
        with self.uow.tx() as s:
            flag = s.get(ReviewFlag, flag_id)
            if flag is None or flag.status != "open":
                raise NotFound("record_not_found")
            self._victim(s, flag.victim_id)  # scope: a flag outside it looks like no flag
            if flag.origin_installation is not None:
                raise AccessDenied("review_flag_at_township")
            flag.status = "resolved"
            flag.resolved_at = utcnow()
            flag.resolved_by = self.uow.actor.user_id
            flag.resolution_note = note
            # the note may name people: the audit entry says only that there is one
            self.uow.audit(s, AuditAction.UPDATE, "review_flag", flag.id, victim=flag.victim_id,
                            op="reviewed", rule=flag.rule, note=note is not None)

    def _scope(self) -> tuple[str, ...] | None:
        ids = self.uow.visible_township_ids()
        return None if ids is None else tuple(ids)

    def count_flagged_files(self) -> int:
        with self.uow.read() as s:
            return int(prepared.scalar(s, flagged_sql(self._scope(), 0)[0]) or 0)

    def flagged_files(self, limit: int = 100) -> list[FlaggedFile]:
        """Files with open flags, in file-number order (the workbench list)."""
        with self.uow.read() as s:
            return flagged_rows(s, self._scope(), limit)
