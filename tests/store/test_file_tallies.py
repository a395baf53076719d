"""The file tallies (``file_tallies``, store/state.py, migration 0018): open and closed files per township,
identity status and current placement, kept by triggers on ``victims`` in the writing transaction.

Every write path keeps them equal to a count of the files (registering, placements, identity, closing,
reopening, moving township, deleting a mistaken file, purge; the demo generator; the importer's raw path is in
``tests/exchange/test_exchange.py``); the workbench's open-files, unidentified and placement cards read them and
say what counting the files says; doctor recomputes them, catches a corrupted count and a dropped trigger, and
``doctor --repair`` counts them again.  The tally triggers hold no subquery (an upsert of one row by its key
from the file's own values), so no plan can make a write walk the table.
"""

from __future__ import annotations

from sqlalchemy import func, select

from fanguai_desk.domain.enums import FileStatus, IdentityStatus, PurgeReason, Role
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import state
from fanguai_desk.store.models import Victim
from tests.conftest import USER_PASSWORD
from tests.helpers import files_due_for_purge


def tally_drift(desk: Desk) -> int:
    with desk.registry.engine.connect() as conn:
        return state.tally_drift(conn)


def tallies(desk: Desk) -> dict[tuple[str, ...], int]:
    with desk.registry.engine.connect() as conn:
        return {tuple(r[:4]): int(r[4]) for r in conn.exec_driver_sql(
            "SELECT township_id, status, identity_status, placement, n FROM file_tallies WHERE n != 0")}


def counted(desk: Desk) -> dict[tuple[str, ...], int]:
    with desk.read() as s:
        return {(t, st.value, i.value, p or ""): int(n) for t, st, i, p, n in s.execute(
            select(Victim.township_id, Victim.status, Victim.identity_status, Victim.current_placement, func.count())
            .group_by(Victim.township_id, Victim.status, Victim.identity_status, Victim.current_placement))}


def same_as_the_files(desk: Desk) -> None:
    assert tally_drift(desk) == 0
    assert tallies(desk) == counted(desk)
    board = desk.dashboard.compute()
    with desk.read() as s:
        open_files = s.scalar(select(func.count()).select_from(Victim).where(Victim.status == FileStatus.OPEN))
        unknown = s.scalar(select(func.count()).select_from(Victim).where(
            Victim.status == FileStatus.OPEN, Victim.identity_status == IdentityStatus.UNKNOWN))
        placements = {p: int(n) for p, n in s.execute(
            select(Victim.current_placement, func.count()).where(Victim.status == FileStatus.OPEN)
            .group_by(Victim.current_placement))}
    assert board.open_files == open_files
    assert board.unidentified_count == unknown
    assert {(k.value if k is not None else None): n for k, n in board.placement_counts.items()} == placements


def test_every_service_write_path_keeps_the_tallies(desk: Desk) -> None:
    a, _ = desk.victims.register({"alias": "小红", "estimated_birth_year": 2012, "identity_status": "unknown",
                                  "rescue_date": "2024-01-01"})
    b, _ = desk.victims.register({"alias": "小兰", "estimated_birth_year": 2001})
    same_as_the_files(desk)
    desk.placements.add(a, {"state": "temporary_shelter", "start_date": "2026-01-05"})
    desk.placements.add(b, {"state": "welfare_institution", "start_date": "2026-01-05"})
    same_as_the_files(desk)
    desk.placements.add(a, {"state": "welfare_institution", "start_date": "2026-02-01"})
    desk.victims.edit(a, {"identity_status": "known"})
    same_as_the_files(desk)
    desk.lifecycle.close(b, "returned_home")
    same_as_the_files(desk)
    desk.lifecycle.reopen(b, "送返后本人回到本地居住")
    same_as_the_files(desk)
    desk.users.township_by_name("白马镇", create=True)
    desk.users.add("bm1", USER_PASSWORD, Role.CASEWORKER, "白马镇", display_name="白马社工")
    desk.lifecycle.transfer(b, "白马镇")
    same_as_the_files(desk)
    c, _ = desk.victims.register({"alias": "错建", "estimated_birth_year": 2003})
    desk.lifecycle.delete_mistaken(c, "重复录入")
    same_as_the_files(desk)
    due = files_due_for_purge(desk, ["甲某", "乙某"])
    same_as_the_files(desk)
    desk.purge.purge(due, PurgeReason.RETENTION_EXPIRED)
    same_as_the_files(desk)
    assert tallies(desk)  # there is something to count


def test_the_demo_generator_path_and_the_cards(demo_desk: Desk) -> None:
    same_as_the_files(demo_desk)
    assert sum(demo_desk.dashboard.compute().placement_counts.values()) > 0


def test_doctor_catches_a_corrupted_tally_and_a_dropped_trigger_and_repair_counts_again(demo_desk: Desk) -> None:
    with demo_desk.registry.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE file_tallies SET n = n + 3 WHERE (township_id, status, identity_status, "
                             "placement) IN (SELECT township_id, status, identity_status, placement FROM "
                             "file_tallies WHERE status = 'open' LIMIT 1)")
        conn.exec_driver_sql("DROP TRIGGER trg_tally_victims_update")
    maintenance = demo_desk.maintenance
    check = maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "fail"
    assert check.params["columns"] == "file_tallies" and check.params["files"] == 0
    assert check.params["triggers"] == "trg_tally_victims_update"
    assert maintenance.repair_state() == 0  # no file was wrong; the tallies are counted again
    check = maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "ok"
    same_as_the_files(demo_desk)
