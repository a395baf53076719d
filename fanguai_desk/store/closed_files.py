"""A closed file is read-only: enforced at flush time for the file and every record that hangs off it.

Registered on every session the registry hands out (beside ``history``), so no service, and no new record
type added later, can forget it: a visit planned, a service added, a guardian edited or a referral moved on
a closed file is refused with ``RuleViolation("file_closed")`` and the transaction writes nothing.

Only the lifecycle operations (close, reopen, transfer, delete: ``services/lifecycle.py``) and the
exchange merge (whose conflicts the supervisor resolves) set ``session.info[LIFECYCLE_WRITE]`` to pass.
Raw SQL (import inserts, purge deletes) does not go through a flush and is governed by those modules.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.domain.errors import RuleViolation
from fanguai_desk.store.models import Attachment, ReferralEvent, Tracked, Victim

#: Records that hang off a file without being ``Tracked`` (their bytes must not reach the change log).
_FILE_RECORDS = (Tracked, Attachment)

LIFECYCLE_WRITE = "lifecycle_write"


def _victim_id_of(obj: Any) -> str | None:
    vid = getattr(obj, "victim_id", None)
    if vid is None and getattr(obj, "victim", None) is not None:
        vid = obj.victim.id
    if vid is None and isinstance(obj, ReferralEvent):
        ref = obj.referral
        if ref is not None:
            vid = ref.victim_id
    return vid


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(LIFECYCLE_WRITE):
        return
    child_files: set[str] = set()
    with session.no_autoflush:
        for obj in chain(session.new, session.dirty, session.deleted):
            if not isinstance(obj, _FILE_RECORDS):
                continue
            if isinstance(obj, Victim):
                if obj in session.new or not session.is_modified(obj, include_collections=False):
                    continue
                hist = inspect(obj).attrs.status.history
                before = hist.deleted[0] if hist.deleted else obj.status
                if before == FileStatus.CLOSED:
                    raise RuleViolation("file_closed")
                continue
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            vid = _victim_id_of(obj)
            if vid is not None:
                child_files.add(vid)
        if child_files and session.scalar(select(Victim.id).where(Victim.id.in_(child_files),
                                                                   Victim.status == FileStatus.CLOSED).limit(1)):
            raise RuleViolation("file_closed")


def ensure_file_open(session: Session, victim_id: str) -> None:
    """For the few writes done in raw SQL (attachment removal): the same refusal as the flush guard."""
    if session.info.get(LIFECYCLE_WRITE):
        return
    if session.scalar(select(Victim.status).where(Victim.id == victim_id)) == FileStatus.CLOSED:
        raise RuleViolation("file_closed")


def install(session_factory: Any) -> None:
    event.listen(session_factory, "before_flush", _before_flush)
