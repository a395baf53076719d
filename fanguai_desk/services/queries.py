"""Read-only queries the desktop needs that the use-case services do not (yet) offer.

Every query applies the actor's township scope like the services do; none writes anything.  Kept in one
small module so that the owners of the services can fold them into ``victims.py`` / ``assistance.py`` /
an audit service later without the UI changing more than an import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import (
    VictimRow,
    VictimService,
    current_placement_states,
)
from fanguai_desk.store import audit
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import AuditEntry, Township, User, Victim
from fanguai_desk.store.registry import Registry


def registry_exists(data_dir: Path) -> bool:
    """Is there a registry (database or key slots) in ``data_dir``?  No key needed."""
    return Registry.exists(data_dir)


def townships(desk: Desk) -> list[tuple[str, str]]:
    """(id, name) of the townships the actor may see, by code."""
    ids = desk.visible_township_ids()
    stmt = select(Township.id, Township.name).order_by(Township.code)
    if ids is not None:
        stmt = stmt.where(Township.id.in_(ids))
    with desk.read() as s:
        return [(i, n) for i, n in s.execute(stmt)]


def user_names(desk: Desk) -> dict[str, str]:
    """user id → display name, for "who" columns (visit lists, audit trails).  No personal data of victims."""
    with desk.read() as s:
        return {i: n for i, n in s.execute(select(User.id, User.display_name))}


def case_victims(desk: Desk, case_id: str, today: date | None = None) -> list[VictimRow]:
    """The masked rows of a case's files (in scope)."""
    today = today or local_today()
    stmt = select(Victim).where(Victim.case_id == case_id).order_by(Victim.file_number)
    ids = desk.visible_township_ids()
    if ids is not None:
        stmt = stmt.where(Victim.township_id.in_(ids))
    with desk.read() as s:
        victims = list(s.scalars(stmt))
        states = current_placement_states(s, [v.id for v in victims])
        return [VictimService._row(v, states.get(v.id), today) for v in victims]


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime  # UTC, naive
    user: str | None  # display name
    action: AuditAction
    record_type: str | None
    record_id: str | None
    file_number: str | None  # when the record is a victim file
    detail: dict[str, object]


def audit_entries(desk: Desk, *, limit: int = 200, offset: int = 0, record_id: str | None = None) -> list[AuditRow]:
    """Newest first.  The whole log: administrators and supervisors; one file's trail (``record_id``): whoever
    may see the file."""
    if record_id is None:
        desk.require(Permission.AUDIT_READ_ALL)
    stmt = (select(AuditEntry, User.display_name, Victim.file_number)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .outerjoin(Victim, Victim.id == AuditEntry.record_id)
            .order_by(AuditEntry.seq.desc()).offset(offset).limit(limit))
    if record_id is not None:
        with desk.read() as s:
            victim = s.get(Victim, record_id)
        if victim is None:
            desk.require(Permission.AUDIT_READ_ALL)
        else:
            desk.require_township(victim.township_id)
        # The file's own entries and those of its records (visits, referrals…), which name it in ``detail``.
        stmt = stmt.where(or_(AuditEntry.record_id == record_id,
                              AuditEntry.detail.contains(json.dumps({"victim": record_id})[1:-1])))
    rows: list[AuditRow] = []
    with desk.read() as s:
        for e, user, file_number in s.execute(stmt):
            try:
                detail = json.loads(e.detail or "{}")
            except ValueError:
                detail = {}
            rows.append(AuditRow(e.seq, e.at, user, e.action, e.record_type, e.record_id, file_number,
                                 detail if isinstance(detail, dict) else {}))
    return rows


def verify_audit(desk: Desk) -> audit.ChainVerification:
    desk.require(Permission.AUDIT_VERIFY)
    with desk.read() as s:
        result = audit.verify_chain(s)
        if not result.ok:
            return result
        from fanguai_desk.store.audit_signing import signature_checker

        return audit.verify_signatures(s, signature_checker(s))
