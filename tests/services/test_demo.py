"""The synthetic registry: plausible, and valid under every rule the services enforce."""

from __future__ import annotations

from sqlalchemy import func, select

from fanguai_desk.domain.clocks import age_on, is_minor
from fanguai_desk.domain.dna import find_dna_content
from fanguai_desk.domain.enums import ServiceType
from fanguai_desk.domain.idnumber import check_id_against_file
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.placements import check_placement
from fanguai_desk.store.models import FollowUp, LegalAidReferral, Placement, ServiceRecord, Victim


def test_demo_data_passes_every_rule(demo_desk: Desk) -> None:
    with demo_desk.read() as s:
        victims = {v.id: v for v in s.scalars(select(Victim))}
        assert len(victims) == 300
        for v in victims.values():
            if v.id_number:
                check_id_against_file(v.id_number, v.birth_date, v.sex)
            for text in (v.notes, v.household_registration):
                assert text is None or find_dna_content(text) is None
        for svc in s.scalars(select(ServiceRecord).where(ServiceRecord.service_type == ServiceType.VOCATIONAL_TRAINING)):
            v = victims[svc.victim_id]
            assert (age_on(v.birth_date, v.estimated_birth_year, svc.start_date) or 0) >= 16 and svc.willing
        for p in s.scalars(select(Placement)):
            v = victims[p.victim_id]
            check_placement(v, {"household_head": p.household_head, "address": p.address,
                                "caregiver_id_number": p.caregiver_id_number, "start_date": p.start_date})
        for r in s.scalars(select(LegalAidReferral)):
            assert r.consent_id is not None
        assert (s.scalar(select(func.count(FollowUp.id))) or 0) > 1000
        assert any(is_minor(v.birth_date, v.estimated_birth_year, v.rescue_date) for v in victims.values()
                   if v.rescue_date)


def test_demo_generation_is_one_transaction_that_cancelling_leaves_untouched(desk: Desk) -> None:
    from fanguai_desk.services.demo import DemoSpec
    from tests.helpers import content_fingerprint

    before = content_fingerprint(desk)
    gen = desk.demo.generate(DemoSpec(victims=1200, townships=2))
    next(gen)  # first batch written inside the transaction…
    gen.close()  # …then the user cancels
    assert content_fingerprint(desk) == before
