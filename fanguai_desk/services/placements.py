"""Placement and rehoming (安置状况) as a timeline: every change is a new event, nothing is overwritten.

Hard rule (001 三(二)2(4), 002 三(二)4, 003 第十六条, 004 第二十一条): a rescued child must not be left with
the buying family (不得由收买家庭继续抚养).  The file records the buyer household; a minor's placement that
matches it — by address, head of household or a member's ID number, whatever the form's checkbox says —
is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from fanguai_desk.domain import entry_rules
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.models import Placement, Victim
from fanguai_desk.store.review import file_facts


def check_placement(victim: Victim, values: Mapping[str, Any], explicitly_flagged: bool = False) -> None:
    entry_rules.check_placement(file_facts(victim), values.get("household_head"), values.get("address"),
                                values.get("caregiver_id_number"), values["start_date"], explicitly_flagged)


class PlacementService(ServiceBase):
    def add(self, victim_id: str, data: Mapping[str, Any]) -> str:
        values = fields.PLACEMENT.coerce(data)
        flagged = bool(values.pop("is_buyer_household", False))
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            check_placement(victim, values, flagged)
            row = Placement(victim_id=victim.id, **values)
            s.add(row)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, Placement.RECORD_TYPE, row.id, victim=victim.id,
                            state=values["state"].value)
            return row.id

    def history(self, victim_id: str) -> list[Placement]:
        with self.uow.read() as s:
            v = self._victim(s, victim_id)
            return list(s.scalars(select(Placement).where(Placement.victim_id == v.id)
                                  .order_by(Placement.start_date, Placement.created_at)))
