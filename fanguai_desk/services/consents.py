"""Consent to referrals, to sharing and to statistics — the person's, or for a minor the guardian's
(PIPL art. 31: under 14 always the guardian's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.clocks import protected_as_minor
from fanguai_desk.domain.entry_rules import check_consent, check_date
from fanguai_desk.domain.enums import AuditAction, ConsentGiver, ConsentScope
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Consent, Victim
from fanguai_desk.store.review import file_facts


def valid_consent(s: Session, victim: Victim, scope: ConsentScope, on: date) -> Consent | None:
    """The consent that covers ``scope`` on ``on``, given by the right person, if any."""
    minor = protected_as_minor(victim.birth_date, victim.estimated_birth_year, on)
    stmt = select(Consent).where(Consent.victim_id == victim.id, Consent.scope == scope, Consent.given_on <= on,
                                 or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on))
    if minor:
        stmt = stmt.where(Consent.given_by == ConsentGiver.GUARDIAN)
    return s.scalars(stmt.order_by(Consent.given_on.desc())).first()


class ConsentService(ServiceBase):
    def add(self, victim_id: str, data: Mapping[str, Any]) -> str:
        values = fields.CONSENT.coerce(data)
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            if values["given_by"] is ConsentGiver.GUARDIAN and not values.get("guardian_name"):
                raise ValidationError("field_required", field="guardian_name")
            check_date("given_on", values["given_on"], local_today())
            check_consent(file_facts(victim), values["given_by"], values.get("guardian_name"), values["given_on"])
            row = Consent(victim_id=victim.id, **values)
            s.add(row)
            s.flush()
            self.uow.audit(s, AuditAction.CREATE, Consent.RECORD_TYPE, row.id, victim=victim.id,
                            scope=values["scope"].value)
            return row.id

    def withdraw(self, consent_id: str, on: date | str) -> None:
        when = fields.parse_date("withdrawn_on", on)
        with self.uow.tx() as s:
            row, _v = self._child(s, Consent, consent_id, write=True)
            row.withdrawn_on = when
            self.uow.audit(s, AuditAction.UPDATE, Consent.RECORD_TYPE, row.id, op="withdraw")

    def list(self, victim_id: str) -> list[Consent]:
        with self.uow.read() as s:
            v = self._victim(s, victim_id)
            return list(s.scalars(select(Consent).where(Consent.victim_id == v.id).order_by(Consent.given_on)))
