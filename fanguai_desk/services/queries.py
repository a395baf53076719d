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
from typing import Any

from sqlalchemy import Select, and_, or_, select

from fanguai_desk.domain.enums import AuditAction, ServiceStatus, ServiceType
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import (
    SORT_COLUMNS,
    VictimQuery,
    VictimRow,
    VictimService,
    current_placement_states,
    display_name,
)
from fanguai_desk.store import audit, rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import AuditEntry, ServiceRecord, Township, User, Victim
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


@dataclass(frozen=True)
class ServiceDueRow:
    id: str
    victim_id: str
    file_number: str
    display_name: str
    service_type: ServiceType
    due_date: date | None
    status: ServiceStatus
    responsible_unit: str | None


def overdue_services(desk: Desk, today: date | None = None, limit: int = 500) -> list[ServiceDueRow]:
    """Planned or running services past their due date (what the dashboard's "services overdue" counts)."""
    today = today or local_today()
    stmt = (select(ServiceRecord, Victim).join(Victim, Victim.id == ServiceRecord.victim_id)
            .where(rule_sql.service_overdue(today))
            .order_by(ServiceRecord.due_date, ServiceRecord.id).limit(limit))
    ids = desk.visible_township_ids()
    if ids is not None:
        stmt = stmt.where(Victim.township_id.in_(ids))
    with desk.read() as s:
        return [ServiceDueRow(r.id, v.id, v.file_number, display_name(v), r.service_type, r.due_date, r.status,
                              r.responsible_unit) for r, v in s.execute(stmt)]


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
        return audit.verify_chain(s)


@dataclass(frozen=True)
class PageCursor:
    """Where a page of the victim list ended: the last row's sort value and id."""

    value: Any
    id: str


def list_rows_after(desk: Desk, q: VictimQuery, after: PageCursor | None, limit: int = 200,
                    today: date | None = None) -> tuple[list[VictimRow], PageCursor | None]:
    """The next page of ``desk.victims.list_rows(q, …)`` after ``after``, by keyset instead of OFFSET.

    Same rows, same order (sort column, then id ascending; SQLite puts NULLs first ascending and last
    descending), but each page is an index range read of ``limit`` rows however deep the user has scrolled:
    with OFFSET, SQLite steps over every earlier row (about a second at row 100,000 of an encrypted
    registry).  The NULL and non-NULL values of the sort column are read as two segments, so that every
    condition is a plain range on the column's index (an OR with ``IS NULL`` would make SQLite scan).
    """
    today = today or local_today()
    col = SORT_COLUMNS.get(q.sort, Victim.file_number)
    nullable = bool(getattr(col, "nullable", True))
    base = desk.victims._filtered(q, today)
    key = col.key

    def values_segment(cursor: PageCursor | None, n: int) -> Select[Any]:
        stmt = base.where(col.is_not(None)) if nullable else base
        if cursor is not None:
            v, i = cursor.value, cursor.id
            stmt = stmt.where(and_(col <= v, or_(col < v, Victim.id > i)) if q.descending
                              else and_(col >= v, or_(col > v, Victim.id > i)))
        return stmt.order_by(col.desc() if q.descending else col.asc(), Victim.id).limit(n)

    def nulls_segment(cursor: PageCursor | None, n: int) -> Select[Any]:
        stmt = base.where(col.is_(None))
        if cursor is not None:
            stmt = stmt.where(Victim.id > cursor.id)
        return stmt.order_by(Victim.id).limit(n)

    in_nulls = after is not None and after.value is None and nullable
    if q.descending:  # values first, then the NULLs
        plan = [(nulls_segment, after)] if in_nulls else [(values_segment, after)]
        if nullable and not in_nulls:
            plan.append((nulls_segment, None))
    else:  # the NULLs first, then the values
        plan = []
        if nullable and (after is None or in_nulls):
            plan.append((nulls_segment, after))
        plan.append((values_segment, None if (after is None or in_nulls) else after))

    victims: list[Victim] = []
    with desk.read() as s:
        for segment, cursor in plan:
            if len(victims) >= limit:
                break
            victims += s.scalars(segment(cursor, limit - len(victims))).unique().all()
        states = current_placement_states(s, [v.id for v in victims])
        rows = [VictimService._row(v, states.get(v.id), today) for v in victims]
    last = PageCursor(getattr(victims[-1], key), victims[-1].id) if victims else None
    return rows, last
