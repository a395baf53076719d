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

from fanguai_desk.domain.clocks import protected_as_minor
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.rules import HouseholdRef, ensure_not_buyer_household
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.models import BuyerHousehold, Placement, Victim


def buyer_refs(buyers: list[BuyerHousehold]) -> list[HouseholdRef]:
    return [HouseholdRef(b.head_name, b.address,
                         tuple(x.strip() for x in (b.member_id_numbers or "").replace("，", ",").split(",") if x.strip()))
            for b in buyers]


def check_placement(victim: Victim, values: Mapping[str, Any], explicitly_flagged: bool = False) -> None:
    candidate = HouseholdRef(values.get("household_head"), values.get("address"),
                             (values["caregiver_id_number"],) if values.get("caregiver_id_number") else ())
    minor = protected_as_minor(victim.birth_date, victim.estimated_birth_year, values["start_date"])
    ensure_not_buyer_household(minor, candidate, buyer_refs(list(victim.buyer_households)), explicitly_flagged)


class PlacementService(ServiceBase):
    def add(self, victim_id: str, data: Mapping[str, Any]) -> str:
        values = fields.PLACEMENT.coerce(data)
        flagged = bool(values.pop("is_buyer_household", False))
        with self.desk.tx() as s:
            victim = self._victim(s, victim_id)
            check_placement(victim, values, flagged)
            row = Placement(victim_id=victim.id, **values)
            s.add(row)
            s.flush()
            self.desk.audit(s, AuditAction.CREATE, Placement.RECORD_TYPE, row.id, victim=victim.id,
                            state=values["state"].value)
            return row.id

    def history(self, victim_id: str) -> list[Placement]:
        with self.desk.read() as s:
            v = self._victim(s, victim_id)
            return list(s.scalars(select(Placement).where(Placement.victim_id == v.id)
                                  .order_by(Placement.start_date, Placement.created_at)))
