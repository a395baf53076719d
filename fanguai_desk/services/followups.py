"""Follow-up visits (跟踪回访, 动态掌握生活状况): planned until done, overdue after the planned date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select

from fanguai_desk.domain.clocks import UPCOMING_DAYS, DueState, followup_state
from fanguai_desk.domain.enums import AuditAction, FollowUpMethod, FollowUpStatus
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.paging import DEFAULT_PAGE, Cursor, Page, fetch_page, make_page
from fanguai_desk.services.victims import display_name
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import FollowUp, Victim


@dataclass(frozen=True)
class FollowUpRow:
    id: str
    victim_id: str
    file_number: str
    display_name: str
    planned_date: date | None
    actual_date: date | None
    method: FollowUpMethod | None
    status: FollowUpStatus
    state: DueState
    caseworker_id: str | None


class FollowUpService(ServiceBase):
    def plan(self, victim_id: str, planned_date: date | str, method: FollowUpMethod | str | None = None,
             caseworker_id: str | None = None, *, confirm_past: bool = False) -> str:
        """Plan a visit.  A date in the past is refused with ``visit_planned_in_past`` until the user
        confirms it (``confirm_past``): usually a typo, sometimes a visit planned late on purpose."""
        when = fields.parse_date("planned_date", planned_date)
        if when is None:
            raise ValidationError("field_required", field="planned_date")
        if when < local_today() and not confirm_past:
            raise ValidationError("visit_planned_in_past", planned_date=when.isoformat())
        how = fields.enum_of(FollowUpMethod)("method", method)
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            row = FollowUp(victim_id=victim.id, planned_date=when, method=how, status=FollowUpStatus.PLANNED,
                           caseworker_id=caseworker_id or victim.caseworker_id or self.uow.actor.user_id)
            s.add(row)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, FollowUp.RECORD_TYPE, row.id, victim=victim.id, op="plan")
            return row.id

    def record(self, data: Mapping[str, Any], *, followup_id: str | None = None, victim_id: str | None = None,
               expected_version: int | None = None) -> tuple[str, str | None]:
        """Record a visit (completing a planned one, or an unplanned visit on a file) and plan the next.

        Returns (visit id, next planned visit id or None)."""
        values = fields.FOLLOWUP_RECORD.coerce(data)
        next_date: date | None = values.pop("next_visit_date", None)
        if values["actual_date"] > local_today():
            raise ValidationError("visit_in_future")
        if next_date is not None and next_date <= values["actual_date"]:
            raise ValidationError("next_visit_before_visit")
        with self.uow.tx() as s:
            if followup_id:
                row, victim = self._child(s, FollowUp, followup_id, write=True)
                self._check_version(row, expected_version)
                if row.status is not FollowUpStatus.PLANNED:
                    raise ValidationError("followup_not_planned")
            elif victim_id:
                victim = self._victim(s, victim_id, write=True)
                row = FollowUp(victim_id=victim.id, caseworker_id=self.uow.actor.user_id)
                s.add(row)
            else:
                raise ValidationError("field_required", field="victim")
            for key, value in values.items():
                setattr(row, key, value)
            row.status = FollowUpStatus.DONE
            row.next_visit_date = next_date
            s.flush()
            self.uow.audit(s, AuditAction.UPDATE, FollowUp.RECORD_TYPE, row.id, victim=victim.id, op="record")
            next_id = None
            if next_date is not None:
                nxt = FollowUp(victim_id=victim.id, planned_date=next_date, status=FollowUpStatus.PLANNED,
                               method=values.get("method"), caseworker_id=row.caseworker_id)
                s.add(nxt)
                s.flush()
                next_id = nxt.id
                self.uow.audit(s, AuditAction.CREATE, FollowUp.RECORD_TYPE, nxt.id, victim=victim.id, op="plan")
            return row.id, next_id

    def cancel(self, followup_id: str, reason: str) -> None:
        note = fields.NOTE("notes", reason)
        with self.uow.tx() as s:
            row, _victim = self._child(s, FollowUp, followup_id, write=True)
            row.status = FollowUpStatus.CANCELLED
            row.notes = note
            self.uow.audit(s, AuditAction.UPDATE, FollowUp.RECORD_TYPE, row.id, op="cancel")

    def get(self, followup_id: str) -> tuple[FollowUp, Victim]:
        with self.uow.read() as s:
            return self._child(s, FollowUp, followup_id)

    def _statement(self, *, overdue: bool, due_within_days: int | None, mine: bool, victim_id: str | None,
                   include_done: bool, today: date) -> Select[Any]:
        stmt = select(FollowUp, Victim).join(Victim, Victim.id == FollowUp.victim_id)
        ids = self.uow.visible_township_ids()
        if ids is not None:
            stmt = stmt.where(Victim.township_id.in_(ids))
        if victim_id:
            stmt = stmt.where(FollowUp.victim_id == victim_id)
        if not include_done:
            stmt = stmt.where(rule_sql.followup_open())
        window = []
        if overdue:
            window.append(rule_sql.followup_overdue(today))
        if due_within_days is not None:
            window.append(rule_sql.followup_due_soon(today, days=due_within_days))
        if window:
            stmt = stmt.where(or_(*window))
        if mine:
            stmt = stmt.where(FollowUp.caseworker_id == self.uow.actor.user_id)
        return stmt

    @staticmethod
    def _row(f: FollowUp, v: Victim, today: date) -> FollowUpRow:
        return FollowUpRow(f.id, v.id, v.file_number, display_name(v), f.planned_date, f.actual_date, f.method,
                           f.status, followup_state(f.status, f.planned_date, today), f.caseworker_id)

    def page(self, *, overdue: bool = False, due_within_days: int | None = None, mine: bool = False,
             victim_id: str | None = None, include_done: bool = False, today: date | None = None,
             after: Cursor | None = None, limit: int = DEFAULT_PAGE) -> Page[FollowUpRow]:
        """A keyset page (``services/paging.py``) of the visits ``list`` would give, by planned date then id
        (visits without a planned date first) — uncapped: fetch pages until ``next`` is None."""
        today = today or local_today()
        stmt = self._statement(overdue=overdue, due_within_days=due_within_days, mine=mine, victim_id=victim_id,
                               include_done=include_done, today=today)
        with self.uow.read() as s:
            fetched = fetch_page(s, stmt, sort=FollowUp.planned_date, id_col=FollowUp.id, after=after, limit=limit)
            rows = [self._row(f, v, today) for f, v in fetched]
        return make_page(fetched, rows, limit, lambda r: Cursor(r[0].planned_date, r[0].id))

    def list(self, *, overdue: bool = False, due_within_days: int | None = None, mine: bool = False,
             victim_id: str | None = None, include_done: bool = False, today: date | None = None,
             limit: int = 500) -> list[FollowUpRow]:
        """Visits in scope: overdue ones, those due within N days, or a file's whole list (planned date order,
        visits without one last).  Work lists page with :meth:`page`."""
        today = today or local_today()
        stmt = self._statement(overdue=overdue, due_within_days=due_within_days, mine=mine, victim_id=victim_id,
                               include_done=include_done, today=today)
        stmt = stmt.order_by(FollowUp.planned_date.is_(None), FollowUp.planned_date, FollowUp.id).limit(limit)
        with self.uow.read() as s:
            return [self._row(f, v, today) for f, v in s.execute(stmt)]


__all__ = ["UPCOMING_DAYS", "FollowUpRow", "FollowUpService"]
