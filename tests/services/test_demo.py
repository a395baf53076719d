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


def test_demo_workbench_shows_a_working_picture_not_an_alarm(demo_desk: Desk) -> None:
    """The numbers the workbench shows on a demo registry (issue 15 residual: about half the files were
    overdue): most open files have their next visit planned ahead, a few (5–15 %) a visit overdue, a few
    none planned; closed files have none."""
    from fanguai_desk.domain.enums import FileStatus, FollowUpStatus
    from fanguai_desk.store.clock import local_today

    today = local_today()
    board = demo_desk.dashboard.compute(today)
    open_files = board.open_files
    assert open_files > 200
    assert 0.05 * open_files <= board.followups_overdue <= 0.15 * open_files
    assert 0.01 * open_files <= board.files_without_plan <= 0.15 * open_files
    assert board.files_without_contact <= 0.25 * open_files
    assert board.services_overdue <= 0.10 * open_files
    assert board.school_age_without_school <= 0.25 * max(1, _school_age_open(demo_desk, today))
    with demo_desk.read() as s:
        ahead = s.scalar(select(func.count()).select_from(Victim).where(
            Victim.status == FileStatus.OPEN, Victim.next_visit_on >= today)) or 0
        closed_planned = s.scalar(select(func.count()).select_from(FollowUp).join(Victim).where(
            Victim.status == FileStatus.CLOSED, FollowUp.status == FollowUpStatus.PLANNED)) or 0
    assert ahead >= 0.70 * open_files  # the usual case: next visit planned in the future
    assert closed_planned == 0
    # the overdue card counts visits; one overdue visit per overdue file
    assert demo_desk.worklists.count("followups_overdue", today=today) == board.followups_overdue


def _school_age_open(desk: Desk, today) -> int:
    from fanguai_desk.domain.clocks import is_school_age
    from fanguai_desk.domain.enums import FileStatus

    with desk.read() as s:
        return sum(1 for v in s.scalars(select(Victim).where(Victim.status == FileStatus.OPEN))
                   if is_school_age(v.birth_date, v.estimated_birth_year, today))
