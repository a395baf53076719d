"""Assistance and services (救助、安置、康复和回归社会): 002 三(三)1–10, 003 第十八–十九条, 004 第二十三–二十四条."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from fanguai_desk.domain.entry_rules import check_service
from fanguai_desk.domain.enums import AuditAction, ServiceStatus, ServiceType
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.paging import DEFAULT_PAGE, Cursor, Page, fetch_page, make_page
from fanguai_desk.services.victims import display_name
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import ServiceRecord, Victim
from fanguai_desk.store.review import file_facts

# Default response timeframe per service, from which the due date and the overdue flag follow
# (as Primero's service response timeframes do).  The caseworker may set another due date.
DEFAULT_TIMEFRAME_DAYS: dict[ServiceType, int] = {
    ServiceType.TEMPORARY_ASSISTANCE: 3,
    ServiceType.MEDICAL: 7,
    ServiceType.LEGAL_AID: 7,
    ServiceType.FAMILY_TRACING: 90,
    ServiceType.HUKOU_REGISTRATION: 90,
}


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


class AssistanceService(ServiceBase):
    def overdue_page(self, today: date | None = None, *, after: Cursor | None = None,
                     limit: int = DEFAULT_PAGE) -> Page[ServiceDueRow]:
        """Planned or running services past their due date (``rule_sql.service_overdue``: what the dashboard
        counts), by due date then id: a keyset page (``services/paging.py``), uncapped."""
        today = today or local_today()
        stmt = (select(ServiceRecord, Victim).join(Victim, Victim.id == ServiceRecord.victim_id)
                .where(rule_sql.service_overdue(today)))
        ids = self.uow.visible_township_ids()
        if ids is not None:
            stmt = stmt.where(Victim.township_id.in_(ids))
        with self.uow.read() as s:
            fetched = fetch_page(s, stmt, sort=ServiceRecord.due_date, id_col=ServiceRecord.id, after=after,
                                 limit=limit)
            rows = [ServiceDueRow(r.id, v.id, v.file_number, display_name(v), r.service_type, r.due_date, r.status,
                                  r.responsible_unit) for r, v in fetched]
        return make_page(fetched, rows, limit, lambda row: Cursor(row[0].due_date, row[0].id))

    def add(self, victim_id: str, data: Mapping[str, Any]) -> str:
        values = fields.SERVICE.coerce(data)
        stype: ServiceType = values["service_type"]
        start: date = values["start_date"]
        if values.get("end_date") and values["end_date"] < start:
            raise ValidationError("end_before_start")
        if stype is ServiceType.VOCATIONAL_TRAINING and values.get("willing") is not True:
            # 为有培训意愿的16周岁以上被拐卖受害人提供…: willingness is recorded, and required.
            raise ValidationError("training_willingness_required")
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            check_service(file_facts(victim), stype, start)
            if values.get("due_date") is None and stype in DEFAULT_TIMEFRAME_DAYS:
                values["due_date"] = start + timedelta(days=DEFAULT_TIMEFRAME_DAYS[stype])
            values["status"] = values.get("status") or ServiceStatus.PLANNED
            row = ServiceRecord(victim_id=victim.id, **values)
            s.add(row)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, ServiceRecord.RECORD_TYPE, row.id, victim=victim.id,
                            service_type=stype.value)
            return row.id

    def update(self, service_id: str, data: Mapping[str, Any], expected_version: int | None = None) -> None:
        values = fields.SERVICE.coerce(data, partial=True)
        with self.uow.tx() as s:
            row, victim = self._child(s, ServiceRecord, service_id, write=True)
            self._check_version(row, expected_version)
            stype = values.get("service_type", row.service_type)
            start = values.get("start_date", row.start_date)
            if start is None:
                raise ValidationError("field_required", field="start_date")
            # The same rules as add (the edit path used to skip the school-age rule).
            check_service(file_facts(victim), stype, start)
            for key, value in values.items():
                setattr(row, key, value)
            self.uow.audit(s, AuditAction.UPDATE, ServiceRecord.RECORD_TYPE, row.id, fields=sorted(values))

    def list(self, victim_id: str) -> list[ServiceRecord]:
        with self.uow.read() as s:
            victim = self._victim(s, victim_id)
            return list(s.scalars(select(ServiceRecord).where(ServiceRecord.victim_id == victim.id)
                                  .order_by(ServiceRecord.start_date)))
