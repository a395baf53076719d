"""Cases (案件) as far as civil affairs knows them.  No suspects, no evidence: the registry does not investigate."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import NotFound, ValidationError
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Case, Township, Victim

if TYPE_CHECKING:
    from fanguai_desk.services.victims import VictimRow


class CaseService(ServiceBase):
    def add(self, data: Mapping[str, Any]) -> str:
        values = fields.CASE.coerce(data)
        with self.uow.tx() as s:
            name = values.pop("township", None)
            if name:
                t = s.scalar(select(Township).where(or_(Township.name == name, Township.code == name)))
                if t is None:
                    raise ValidationError("township_unknown")
                township_id = t.id
            else:
                if self.uow.actor.township_id is None:
                    raise ValidationError("field_required", field="township")
                township_id = self.uow.actor.township_id
            self.uow.require_township(township_id)
            case = Case(township_id=township_id, **values)
            s.add(case)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, Case.RECORD_TYPE, case.id)
            return case.id

    def list(self) -> builtins.list[tuple[Case, int]]:
        """Cases in scope with their number of victims."""
        ids = self.uow.visible_township_ids()
        stmt = (select(Case, func.count(Victim.id)).outerjoin(Victim, Victim.case_id == Case.id)
                .group_by(Case.id).order_by(Case.opened_on.desc(), Case.id))
        if ids is not None:
            stmt = stmt.where(Case.township_id.in_(ids))
        with self.uow.read() as s:
            return [(c, int(n)) for c, n in s.execute(stmt)]

    def victims(self, case_id: str, today: date | None = None) -> builtins.list[VictimRow]:
        """The masked rows of a case's files (in scope)."""
        from fanguai_desk.services.victims import list_row_select, victim_rows

        today = today or local_today()
        stmt = list_row_select().where(Victim.case_id == case_id).order_by(Victim.file_number, Victim.id)
        ids = self.uow.visible_township_ids()
        if ids is not None:
            stmt = stmt.where(Victim.township_id.in_(ids))
        with self.uow.read() as s:
            return victim_rows(s, stmt, today)

    def get(self, case_id: str) -> tuple[Case, builtins.list[str]]:
        """The case and the ids of its victims (in scope)."""
        with self.uow.tx() as s:
            case = s.get(Case, case_id)
            if case is None or not self.uow.can_see_township(case.township_id):
                raise NotFound("case_not_found")
            victims = list(s.scalars(select(Victim.id).where(Victim.case_id == case.id)))
            self.uow.audit(s, AuditAction.READ, Case.RECORD_TYPE, case.id)
            return case, victims
