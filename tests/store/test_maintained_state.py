"""Maintained state (store/state.py): ``victims.current_placement`` equals the latest placement on every write
path, the dashboard and the list filter read it, and doctor recomputes it from the history and catches drift."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fanguai_desk.domain.enums import FileStatus, PlacementState
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery, current_placement_state
from fanguai_desk.store import state
from fanguai_desk.store.clock import local_day, local_today
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


# ------------------------------------------------------------------------- the "nobody forgotten" columns


def visit_state(desk: Desk, vid: str) -> tuple[object, ...]:
    with desk.registry.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT next_visit_on, last_visit_on, last_contact_on, schooling_gap "
                                   "FROM victims WHERE id = ?", (vid,)).one()
    return tuple(row)


def test_the_service_paths_keep_visits_contact_and_schooling(desk: Desk) -> None:
    today = date.today()
    child = today.year - 10
    vid, _ = desk.victims.register({"alias": "小明", "estimated_birth_year": child, "rescue_date": "2025-01-10"})
    assert visit_state(desk, vid) == (None, None, "2025-01-10", "no_school_service")
    plan = (today + timedelta(days=20)).isoformat()
    fid = desk.followups.plan(vid, plan)
    assert visit_state(desk, vid) == (plan, None, "2025-01-10", "no_school_service")
    desk.assistance.add(vid, {"service_type": "return_to_school", "start_date": "2025-02-01"})
    assert visit_state(desk, vid)[3] == "schooling_unknown"  # a school service, but no visit wrote on schooling
    seen = (today - timedelta(days=1)).isoformat()
    nxt = (today + timedelta(days=60)).isoformat()
    desk.followups.record({"actual_date": seen, "method": "home_visit", "schooling": "在读四年级",
                           "next_visit_date": nxt}, followup_id=fid)
    assert visit_state(desk, vid) == (nxt, seen, seen, None)
    desk.followups.record({"actual_date": seen, "method": "phone", "schooling": " \u3000"}, victim_id=vid)
    assert visit_state(desk, vid)[3] == "schooling_unknown"  # the later visit of the same day wrote nothing
    assert drift(desk) == 0

    other, _ = desk.victims.register({"alias": "小芳", "estimated_birth_year": 1990})
    assert visit_state(desk, other)[2] == date.today().isoformat()  # no visit, no rescue date: the day it was made
    desk.victims.edit(other, {"rescue_date": "2024-06-01"})
    assert visit_state(desk, other)[2] == "2024-06-01"
    assert drift(desk) == 0


def test_the_cards_count_what_the_rules_say_on_the_demo(demo_desk: Desk) -> None:
    """The maintained columns give every card the count the Python rules give over each file's records."""
    from fanguai_desk.domain import clocks, file_state
    from fanguai_desk.services.worklists import TURNING_WINDOW_DAYS
    from fanguai_desk.store.models import FollowUp, ServiceRecord

    today = local_today()
    days = demo_desk.settings().no_contact_days
    with demo_desk.read() as s:
        visits: dict[str, list[file_state.FileVisit]] = {}
        for f in s.scalars(select(FollowUp)):
            visits.setdefault(f.victim_id, []).append(file_state.FileVisit(
                f.id, f.status, f.planned_date, f.actual_date, f.updated_at, f.schooling))
        services: dict[str, list[file_state.FileService]] = {}
        for r in s.scalars(select(ServiceRecord)):
            services.setdefault(r.victim_id, []).append(file_state.FileService(r.service_type, r.status))
        expected = dict.fromkeys(("files_without_plan", "files_without_contact", "school_age_without_school",
                                  "turning_16", "turning_18"), 0)
        for v in s.scalars(select(Victim).where(Victim.status == FileStatus.OPEN)):
            mine = visits.get(v.id, [])
            contact = file_state.last_contact(file_state.last_visit(mine), v.rescue_date,
                                              local_day(v.created_at))
            expected["files_without_plan"] += file_state.next_planned_visit(mine) is None
            expected["files_without_contact"] += file_state.out_of_contact(contact, today, days)
            expected["school_age_without_school"] += (
                clocks.is_school_age(v.birth_date, v.estimated_birth_year, today)
                and file_state.schooling_gap(mine, services.get(v.id, [])) is not None)
            for key, age in (("turning_16", 16), ("turning_18", 18)):
                expected[key] += clocks.turns_age_within(v.birth_date, v.estimated_birth_year, age, today,
                                                         TURNING_WINDOW_DAYS)
    assert expected["files_without_plan"] and expected["files_without_contact"] and expected["school_age_without_school"]
    counts = demo_desk.worklists.counts(today=today)
    assert {k: counts[k] for k in expected} == expected


def test_doctor_finds_and_repairs_a_corrupted_column(demo_desk: Desk) -> None:
    with demo_desk.registry.engine.begin() as conn:
        vid = conn.exec_driver_sql("SELECT id FROM victims WHERE last_contact_on IS NOT NULL LIMIT 1").scalar()
        conn.exec_driver_sql("UPDATE victims SET last_contact_on = '1901-01-01', schooling_gap = 'x' WHERE id = ?",
                             (vid,))
        conn.exec_driver_sql("DROP TRIGGER trg_state_followups_update")
    maintenance = demo_desk.maintenance
    check = maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "fail" and check.params["files"] == 1
    assert check.params["columns"] == "last_contact_on, schooling_gap"
    assert check.params["triggers"] == "trg_state_followups_update"
    assert maintenance.repair_state() == 1
    check = maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "ok"
    assert drift(demo_desk) == 0 and state.missing_triggers(demo_desk.registry.engine.connect()) == []


def test_a_caseworker_cannot_repair_and_nothing_is_written(desk: Desk, caseworker: Desk) -> None:
    from fanguai_desk.domain.errors import AccessDenied
    from tests.helpers import content_fingerprint

    vid, _ = desk.victims.register({"alias": "小兰", "estimated_birth_year": 2001})
    with desk.registry.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE victims SET next_visit_on = '1901-01-01' WHERE id = ?", (vid,))
    before = content_fingerprint(desk)
    with pytest.raises(AccessDenied):
        caseworker.maintenance.repair_state()
    assert content_fingerprint(desk) == before
    assert drift(desk) == 1


def test_migration_0012_backfills_an_existing_registry(demo_desk: Desk) -> None:
    """Downgraded to 0011 with files in it, reopened → upgraded: every column as the triggers kept it."""
    from alembic import command

    from fanguai_desk.store.schema import alembic_config, current_revision, head_revision
    from tests.conftest import ADMIN_PASSWORD

    columns = "id, current_placement, next_visit_on, last_visit_on, last_contact_on, schooling_gap"
    with demo_desk.registry.engine.connect() as conn:
        kept = sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT {columns} FROM victims"))
        journal_before = conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar()
    assert any(r[2] for r in kept) and any(r[5] for r in kept)
    engine = demo_desk.registry.engine
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0011")
    assert current_revision(engine) == "0011"
    with engine.connect() as conn, conn.begin():
        assert "next_visit_on" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(victims)")}
        # as before this revision: the journal's trigger fired for every column of victims
        conn.exec_driver_sql("DROP TRIGGER trg_journal_victims_update")
        conn.exec_driver_sql("CREATE TRIGGER trg_journal_victims_update AFTER UPDATE ON victims BEGIN INSERT INTO "
                             "change_journal (record_type, record_id) VALUES ('victim', NEW.id); END")
    path = demo_desk.registry.data_dir
    demo_desk.registry.close()
    d = Desk.unlock(path, "admin", ADMIN_PASSWORD)
    try:
        assert current_revision(d.registry.engine) == head_revision()
        with d.registry.engine.connect() as conn:
            assert sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT {columns} FROM victims")) == kept
            assert state.missing_triggers(conn) == []
            # the backfill is not a change of the files: nothing new to send
            assert conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar() == journal_before
    finally:
        d.registry.close()


# ------------------------------------------------------------------------- derived columns do not journal


def journal_since(desk: Desk, seq: int) -> list[tuple[str, str]]:
    with desk.registry.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
            "SELECT record_type, record_id FROM change_journal WHERE seq > ? ORDER BY seq", (seq,))]


def journal_head(desk: Desk) -> int:
    with desk.registry.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM change_journal").scalar() or 0)


def test_a_visit_or_placement_journals_itself_not_its_file(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    fid = desk.followups.plan(vid, (date.today() + timedelta(days=3)).isoformat())
    head = journal_head(desk)
    _done, nxt = desk.followups.record({"actual_date": date.today().isoformat(), "method": "phone",
                                        "next_visit_date": (date.today() + timedelta(days=30)).isoformat()},
                                       followup_id=fid)
    assert visit_state(desk, vid)[1] == date.today().isoformat()  # the file's state did change …
    entries = journal_since(desk, head)
    assert ("followup", fid) in entries and ("followup", nxt) in entries
    assert ("victim", vid) not in entries  # … but the file is not sent again for it
    head = journal_head(desk)
    desk.placements.add(vid, {"state": "temporary_shelter", "start_date": "2026-01-05"})
    assert stored(desk, vid) == "temporary_shelter"
    assert [t for t, _ in journal_since(desk, head)] == ["placement"]
    head = journal_head(desk)
    desk.victims.edit(vid, {"rescue_date": "2025-05-01"})  # a real change of the file still journals it
    assert visit_state(desk, vid)[2] == date.today().isoformat()
    assert journal_since(desk, head) == [("victim", vid)]


def test_every_recomputation_looks_up_one_files_rows_not_the_whole_table(desk: Desk) -> None:
    """The triggers run these on every insert of a file and every edit of a visit.  A plan that walks an index
    by status alone reads every visit of the registry each time: a 10,000-file import took 95 s of that (a
    fresh supervisor registry has no statistics, and SQLite's min/max optimisation chose the status index)."""
    with desk.registry.engine.connect() as c:
        for column, expression in state.EXPRESSIONS.items():
            sql = f"SELECT {expression.format(vid=repr('some-id'))} FROM victims WHERE id = 'some-id'"
            plan = [str(r[-1]) for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
            lookups = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
            assert lookups and all("id=?" in step for step in lookups), (column, plan)


def test_migration_0023_dates_existing_files_by_the_local_day(demo_desk: Desk) -> None:
    """A registry of 0022 (the UTC day of ``created_at``) opened in UTC+8: a file entered at 07:30 on New Year's
    Day, without rescue date or visit, was last in contact on 31 December; upgraded, it is 1 January, the
    index of unidentified stays reads the local day, every trigger is as defined, doctor finds no drift, and
    nothing is re-sent."""
    from alembic import command

    from fanguai_desk.store import triggers
    from fanguai_desk.store.schema import alembic_config, current_revision, head_revision
    from tests.conftest import ADMIN_PASSWORD
    from tests.helpers import in_zone

    engine = demo_desk.registry.engine
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0022")
    assert current_revision(engine) == "0022"
    with engine.connect() as conn, conn.begin():
        assert "created_on" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(victims)")}
        assert "date(created_at))" in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_victims_unidentified_since'").scalar()
        stored = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
        assert "localtime" not in " ".join(stored.values())
        assert "victims.rescue_date, date(victims.created_at))" in stored["trg_state_victims_insert"]
        vid = conn.exec_driver_sql("SELECT id FROM victims v WHERE NOT EXISTS (SELECT 1 FROM followups f "
                                   "WHERE f.victim_id = v.id AND f.status = 'done') LIMIT 1").scalar()
        # 2027-01-01 07:30 in Beijing; 0022's trigger dates it by UTC
        conn.exec_driver_sql("UPDATE victims SET created_at = '2026-12-31 23:30:00.000000', rescue_date = NULL, "
                             "identity_status = 'unknown', status = 'open', arrived_at_institution_on = NULL "
                             "WHERE id = ?", (vid,))
        assert conn.exec_driver_sql("SELECT last_contact_on FROM victims WHERE id = ?", (vid,)).scalar() == "2026-12-31"
        kept = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, last_contact_on FROM victims WHERE id != ?",
                                                         (vid,))}
        journal_before = conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar()
    path = demo_desk.registry.data_dir
    demo_desk.registry.close()
    with in_zone("Asia/Shanghai"):
        d = Desk.unlock(path, "admin", ADMIN_PASSWORD)
        try:
            assert current_revision(d.registry.engine) == head_revision()
            with d.registry.engine.connect() as conn:
                row = conn.exec_driver_sql("SELECT created_on, last_contact_on FROM victims WHERE id = ?",
                                           (vid,)).one()
                assert tuple(row) == ("2027-01-01", "2027-01-01")
                # the other files: made today (real clock), rescued or visited — the same day as before
                assert {r[0]: r[1] for r in conn.exec_driver_sql(
                    "SELECT id, last_contact_on FROM victims WHERE id != ?", (vid,))} == kept
                assert state.missing_triggers(conn) == [] and state.drift(conn) == 0
                assert "created_on" in conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'ix_victims_unidentified_since'").scalar()
                assert not [name for name, sql in conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'") if "date(victims.created_at)" in sql]
                assert triggers.missing(conn, state.trigger_ddl()) == []
                assert conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar() == journal_before
            check = d.maintenance.doctor().check("maintained_state")
            assert check is not None and check.status == "ok", check
            stays = {s.victim_id: s.since for s in d.dashboard.compute(longest=1000).unidentified_longest}
            assert stays[vid] == date(2027, 1, 1)
        finally:
            d.registry.close()
