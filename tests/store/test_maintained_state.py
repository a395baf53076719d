"""Maintained state (store/state.py): ``victims.current_placement`` equals the latest placement on every write
path, the dashboard and the list filter read it, and doctor recomputes it from the history and catches drift."""

from __future__ import annotations

from sqlalchemy import func, select

from fanguai_desk.domain.enums import FileStatus, PlacementState
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery, current_placement_state
from fanguai_desk.store import state
from fanguai_desk.store.models import Victim


def stored(desk: Desk, vid: str) -> str | None:
    with desk.registry.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT current_placement FROM victims WHERE id = ?", (vid,)).scalar()


def drift(desk: Desk) -> int:
    with desk.registry.engine.connect() as conn:
        return state.drift(conn)


def test_the_service_path_keeps_the_latest_placement(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    assert stored(desk, vid) is None
    desk.placements.add(vid, {"state": "temporary_shelter", "start_date": "2026-01-05"})
    assert stored(desk, vid) == "temporary_shelter"
    # An event dated earlier, recorded later, does not become the current state.
    desk.placements.add(vid, {"state": "welfare_institution", "start_date": "2025-12-01"})
    assert stored(desk, vid) == "temporary_shelter"
    desk.placements.add(vid, {"state": "welfare_institution", "start_date": "2026-02-01"})
    assert stored(desk, vid) == "welfare_institution"
    assert drift(desk) == 0
    check = desk.maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "ok"
    assert desk.victims.count(VictimQuery(placement_state=PlacementState.WELFARE_INSTITUTION)) == 1
    assert desk.victims.count(VictimQuery(placement_state=PlacementState.TEMPORARY_SHELTER)) == 0


def test_demo_generator_path_and_dashboard_match_the_history(demo_desk: Desk) -> None:
    assert drift(demo_desk) == 0
    with demo_desk.read() as s:
        sub = select(current_placement_state().label("state")).where(Victim.status == FileStatus.OPEN).subquery()
        expected = {st: int(n) for st, n in s.execute(select(sub.c.state, func.count()).group_by(sub.c.state))}
    assert sum(expected.values()) > 0 and len(expected) > 1
    assert demo_desk.dashboard.compute().placement_counts == expected


def test_doctor_catches_a_corrupted_state_and_a_dropped_trigger(demo_desk: Desk) -> None:
    with demo_desk.registry.engine.begin() as conn:
        vid = conn.exec_driver_sql("SELECT id FROM victims WHERE current_placement IS NOT NULL LIMIT 1").scalar()
        conn.exec_driver_sql("UPDATE victims SET current_placement = NULL WHERE id = ?", (vid,))
    check = demo_desk.maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "fail" and check.params["files"] == 1
    with demo_desk.registry.engine.begin() as conn:
        state.backfill(conn)
        conn.exec_driver_sql("DROP TRIGGER trg_state_placements_insert")
    check = demo_desk.maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "fail" and check.params["files"] == 0
    assert check.params["triggers"] == "trg_state_placements_insert"
