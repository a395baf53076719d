"""Every SQL twin in ``store/rule_sql.py`` gives its Python rule's answer, row by row, over a grid of dates.

The grid: every day of a leap year (2024) and a common year (2025) as "today"; birth dates on every day of
a leap and a common year of birth, the 28th–31st of every month over the years that decide school age and
majority, birthdays (the grid holds every month/day), estimated birth years only, unknown age.  One real
SQLCipher registry; one query per day answers every row, and Python answers the same rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import DateTime, bindparam, select

from fanguai_desk.domain import clocks
from fanguai_desk.domain.enums import (
    FollowUpStatus,
    ReferralMatter,
    ReferralStatus,
    ServiceStatus,
    ServiceType,
)
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import clock, rule_sql
from fanguai_desk.store.models import FollowUp, LegalAidReferral, ServiceRecord, Township, Victim
from tests.conftest import make_desk
from tests.helpers import in_zone


def _days(start: date, end: date, step: int = 1) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


TODAYS = _days(date(2024, 1, 1), date(2025, 12, 31))  # a leap year and a common year, every day


def _birth_grid() -> list[tuple[date | None, int | None]]:
    births: set[date] = set(_days(date(2006, 1, 1), date(2006, 12, 31)))  # common year: majority in 2024
    births |= set(_days(date(2008, 1, 1), date(2008, 12, 31)))  # leap year: 29 Feb birthdays
    for year in range(2004, 2020):  # school-age and majority bounds: the 28th–31st of every month
        for month in range(1, 13):
            for day in (1, 28, 29, 30, 31):
                with contextlib.suppress(ValueError):
                    births.add(date(year, month, day))
    births |= {date(2026, 3, 1), date(2025, 12, 31)}  # born after some of the "todays"
    rows: list[tuple[date | None, int | None]] = [(b, None) for b in sorted(births)]
    rows += [(None, y) for y in range(1995, 2027)]  # estimated birth year only
    rows += [(date(2007, 2, 28), 1990)]  # a birth date wins over an estimate
    rows.append((None, None))  # unknown age
    return rows


@pytest.fixture(scope="module")
def grid_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    from fanguai_desk.store import keyslots
    from tests.conftest import CHEAP

    original = keyslots.KdfParams.production
    keyslots.KdfParams.production = classmethod(lambda cls: CHEAP)  # type: ignore[method-assign,assignment]
    try:
        desk = make_desk(Path(tmp_path_factory.mktemp("grid")) / "registry")
    finally:
        keyslots.KdfParams.production = original  # type: ignore[method-assign]
    with desk.tx() as s:
        township_id = s.scalar(select(Township.id))
        assert township_id is not None
        holder = None
        for i, (birth, estimate) in enumerate(_birth_grid()):
            v = Victim(file_number=f"5101-2024-{i + 1:05d}", township_id=township_id, birth_date=birth,
                       estimated_birth_year=estimate, alias=f"G{i}")
            s.add(v)
            holder = holder or v
        s.flush()
        assert holder is not None
        # follow-ups: every planned day around the grid, in every state, with and without an actual date
        for i, planned in enumerate(_days(date(2023, 12, 20), date(2026, 1, 12), 1)):
            status = list(FollowUpStatus)[i % 3]
            actual = planned if i % 5 == 0 else None
            s.add(FollowUp(victim_id=holder.id, status=status, planned_date=planned, actual_date=actual))
        s.add(FollowUp(victim_id=holder.id, status=FollowUpStatus.PLANNED, planned_date=None))
        # services: every due day, every status, and no due date
        for i, due in enumerate(_days(date(2023, 12, 20), date(2026, 1, 12), 1)):
            s.add(ServiceRecord(victim_id=holder.id, service_type=ServiceType.MEDICAL, start_date=date(2023, 1, 1),
                                due_date=due, status=list(ServiceStatus)[i % 4]))
        s.add(ServiceRecord(victim_id=holder.id, service_type=ServiceType.MEDICAL, start_date=date(2023, 1, 1),
                            due_date=None, status=ServiceStatus.PLANNED))
        # referrals: every referral day, every status, with and without decision / lawyer dates
        for i, referred in enumerate(_days(date(2023, 12, 10), date(2026, 1, 5), 2)):
            status = list(ReferralStatus)[i % len(ReferralStatus)]
            decision = referred + timedelta(days=i % 9) if i % 4 else None
            lawyer = (decision or referred) + timedelta(days=1) if i % 7 == 0 else None
            # issue 13: days paused for 补充材料, an art. 44 legal deadline, an art. 49 objection date
            s.add(LegalAidReferral(victim_id=holder.id, institution="某县法律援助中心", matter=ReferralMatter.OTHER,
                                   referral_date=referred, status=status, decision_date=decision,
                                   lawyer_assigned_date=lawyer, paused_days=(i % 5) * 3 if i % 3 == 0 else 0,
                                   urgent_deadline=referred + timedelta(days=i % 11) if i % 6 == 1 else None,
                                   objected_on=(decision or referred) + timedelta(days=2) if i % 2 else None))
        # unidentified stays: since arrival / rescue / creation, identified or not
        for i, since in enumerate(_days(date(2023, 12, 1), date(2026, 1, 31), 11)):
            created = datetime(since.year, since.month, since.day, 23, 59, 59)
            s.add(Victim(file_number=f"5101-2023-{i + 1:05d}", township_id=township_id, alias=f"U{i}",
                         arrived_at_institution_on=since if i % 3 == 0 else None,
                         rescue_date=since if i % 3 == 1 else None, created_at=created,
                         identified_on=since + timedelta(days=40) if i % 2 else None))
    yield desk
    desk.registry.close()


def test_ages_minors_and_school_age_agree_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        people = [(i, b, e) for i, b, e in s.execute(
            select(Victim.id, Victim.birth_date, Victim.estimated_birth_year).where(Victim.alias.like("G%")))]
        assert len(people) > 1500
        for on in TODAYS:
            stmt = select(Victim.id, rule_sql.age_on(on), rule_sql.is_minor(on), rule_sql.protected_as_minor(on),
                          rule_sql.is_school_age(on)).where(Victim.alias.like("G%"))
            sql = {i: (age, bool(m), bool(p), bool(school)) for i, age, m, p, school in s.execute(stmt)}
            for i, b, e in people:
                expected = (clocks.age_on(b, e, on), clocks.is_minor(b, e, on), clocks.protected_as_minor(b, e, on),
                            clocks.is_school_age(b, e, on))
                assert sql[i] == expected, (on, b, e)


def test_turning_16_and_18_within_30_days_agree_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        people = [(i, b, e) for i, b, e in s.execute(
            select(Victim.id, Victim.birth_date, Victim.estimated_birth_year).where(Victim.alias.like("G%")))]
        for on in TODAYS:
            stmt = select(Victim.id, rule_sql.turns_age_within(on, 16, 30),
                          rule_sql.turns_age_within(on, 18, 30)).where(Victim.alias.like("G%"))
            sql = {i: (bool(a), bool(b)) for i, a, b in s.execute(stmt)}
            for i, b, e in people:
                assert sql[i] == (clocks.turns_age_within(b, e, 16, on, 30),
                                  clocks.turns_age_within(b, e, 18, on, 30)), (on, b, e)


def test_followup_clocks_agree_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        rows = list(s.execute(select(FollowUp.id, FollowUp.status, FollowUp.planned_date, FollowUp.actual_date)))
        for today in TODAYS:
            stmt = select(FollowUp.id, rule_sql.followup_overdue(today), rule_sql.followup_due_soon(today))
            sql = {i: (bool(o), bool(d)) for i, o, d in s.execute(stmt)}
            for i, status, planned, _actual in rows:
                state = clocks.followup_state(status, planned, today)
                assert sql[i] == (state is clocks.DueState.OVERDUE, state is clocks.DueState.DUE_SOON), (today, i)


def test_service_overdue_agrees_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        rows = list(s.execute(select(ServiceRecord.id, ServiceRecord.status, ServiceRecord.due_date)))
        for today in TODAYS:
            sql = {i: bool(o) for i, o in s.execute(select(ServiceRecord.id, rule_sql.service_overdue(today)))}
            for i, status, due in rows:
                assert sql[i] == (clocks.service_state(due, status, today) is clocks.DueState.OVERDUE), (today, i)


def test_referral_deadlines_agree_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        r = LegalAidReferral
        rows = list(s.execute(select(r.id, r.referral_date, r.status, r.decision_date, r.lawyer_assigned_date,
                                     r.paused_days, r.urgent_deadline, r.objected_on)))
        assert {row[2] for row in rows} == set(ReferralStatus)

        def clock(row: tuple[object, ...], today: date) -> clocks.ReferralClock:
            _i, referred, status, decision, lawyer, paused, urgent, objected = row
            return clocks.referral_clock(referred, status, decision, lawyer, today,  # type: ignore[arg-type]
                                         paused_days=paused, urgent_deadline=urgent,  # type: ignore[arg-type]
                                         objected_on=objected)  # type: ignore[arg-type]

        dues = {i: (d, lawyer, review, bool(t)) for i, d, lawyer, review, t in s.execute(select(
            r.id, rule_sql.referral_decision_due(), rule_sql.referral_lawyer_due(), rule_sql.referral_review_due(),
            rule_sql.referral_decided_in_time()))}
        for row in rows:
            c = clock(row, date(2024, 1, 1))
            assert dues[row[0]] == (c.decision_due, c.lawyer_due, c.review_due,
                                    clocks.decided_in_time(row[1], row[3])), row  # type: ignore[arg-type]
        for today in TODAYS:
            sql = {i: bool(o) for i, o in s.execute(select(r.id, rule_sql.referral_overdue(today)))}
            for row in rows:
                assert sql[row[0]] == clock(row, today).overdue, (today, row)


def test_days_unidentified_agree_on_every_day(grid_desk: Desk) -> None:
    with grid_desk.read() as s:
        victims = list(s.scalars(select(Victim).where(Victim.alias.like("U%"))))
        for today in TODAYS:
            stmt = select(Victim.id, rule_sql.unidentified_since(), rule_sql.days_unidentified(today)).where(
                Victim.alias.like("U%"))
            sql = {i: (since, n) for i, since, n in s.execute(stmt)}
            for v in victims:
                since = clocks.unidentified_since(v.arrived_at_institution_on, v.rescue_date,
                                                  clock.local_day(v.created_at))
                assert sql[v.id] == (since, clocks.days_unidentified(since, v.identified_on, today)), (today, v.id)


#: China; UTC; west of UTC with summer time; +14 (the day ahead of UTC all day); a 30-minute summer time shift.
ZONES = ("Asia/Shanghai", "UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Australia/Lord_Howe")


def _instants(seed: str) -> list[datetime]:
    """Naive UTC, as stored: random ones over 1971–2037 (SQLite's localtime maps years outside 1970–2037 onto an
    equivalent year), and the microsecond before, at and after local midnight on New Year's Day, 29 February and
    the days around the summer-time changes here and in the southern hemisphere."""
    import random

    rng = random.Random(seed)
    start = datetime(1971, 1, 1)
    instants = [start + timedelta(seconds=rng.uniform(0, 66 * 365 * 86400)) for _ in range(3000)]
    for day in (date(2027, 1, 1), date(2024, 2, 29), date(2026, 3, 8), date(2026, 3, 9), date(2026, 11, 1),
                date(2026, 11, 2), date(2026, 4, 5), date(2026, 10, 4), date(1991, 9, 15)):
        midnight = datetime(day.year, day.month, day.day).astimezone()  # naive: local midnight, in this zone
        for d in (-1, 0, 1):
            instants.append((midnight + timedelta(microseconds=d)).astimezone(UTC).replace(tzinfo=None))
    return instants


@pytest.mark.parametrize("zone", ZONES)
def test_the_local_day_of_an_instant_is_the_same_in_python_and_sql(grid_desk: Desk, zone: str) -> None:
    """``clock.local_day`` and its twin ``rule_sql.local_day`` (SQLite's ``'localtime'``, in the registry's own
    connection) give the same day for every instant, in zones east and west of UTC; the stored form of the
    instant (SQLAlchemy's text with microseconds) is what SQLite reads."""
    with in_zone(zone), grid_desk.read() as s:
        stmt = select(rule_sql.local_day(bindparam("at", type_=DateTime)))
        instants = _instants(zone)
        for instant in instants:
            day = clock.local_day(instant)
            assert s.execute(stmt, {"at": instant}).scalar_one() == day, (zone, instant)
            assert clock.local_time(instant).date() == day, (zone, instant)
        if zone == "Asia/Shanghai":  # the case of the bug: 07:30 on New Year's Day is 23:30 UTC the day before
            assert clock.local_day(datetime(2026, 12, 31, 23, 30)) == date(2027, 1, 1)
        elif zone == "America/Los_Angeles":  # and west of UTC the UTC date runs ahead every evening
            assert clock.local_day(datetime(2027, 1, 2, 1, 0)) == date(2027, 1, 1)


def test_turning_18_on_the_29th_to_31st_is_not_a_minor_any_more() -> None:
    """The old list cut off at min(day, 28): someone turning 18 on 31 March was still listed as a minor."""
    assert rule_sql.birth_cutoff(date(2026, 3, 31), 18) == date(2008, 3, 31)
    assert rule_sql.birth_cutoff(date(2024, 2, 29), 18) == date(2006, 2, 28)
    assert not clocks.is_minor(date(2008, 3, 31), None, date(2026, 3, 31))


# --- a file's maintained state (store/state.py) against domain/file_state.py -------------------------------


@pytest.fixture(scope="module")
def files_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """400 files with random visits (every status, missing dates, same-day ties, blank schooling notes) and
    services, then moved, edited and deleted records: the triggers' answer after every kind of write."""
    import random

    from sqlalchemy import delete, update

    from fanguai_desk.store import keyslots
    from tests.conftest import CHEAP

    original = keyslots.KdfParams.production
    keyslots.KdfParams.production = classmethod(lambda cls: CHEAP)  # type: ignore[method-assign,assignment]
    try:
        desk = make_desk(Path(tmp_path_factory.mktemp("files")) / "registry")
    finally:
        keyslots.KdfParams.production = original  # type: ignore[method-assign]
    rnd = random.Random(16)
    days = _days(date(2025, 1, 1), date(2025, 1, 20))
    stamps = [datetime(2025, 2, 1, 8, 0, 0), datetime(2025, 2, 1, 8, 0, 0, 1), datetime(2025, 3, 1)]
    notes = [None, "", " ", "\u3000", "\n\t", "在读五年级", "辍学"]
    with desk.tx() as s:
        township_id = s.scalar(select(Township.id))
        victims = []
        for i in range(400):
            v = Victim(file_number=f"5101-2025-{i + 1:05d}", township_id=township_id, alias=f"F{i}",
                       rescue_date=rnd.choice([None, *days[:5]]),
                       created_at=datetime(2024, 12, rnd.randint(1, 31), rnd.randint(0, 23), 59))
            s.add(v)
            victims.append(v)
        s.flush()
        for v in victims:
            for _ in range(rnd.choice([0, 0, 1, 2, 3, 5])):
                s.add(FollowUp(victim_id=v.id, status=rnd.choice(list(FollowUpStatus)),
                               planned_date=rnd.choice([None, *days]), actual_date=rnd.choice([None, *days]),
                               schooling=rnd.choice(notes)))
            for _ in range(rnd.choice([0, 1, 2])):
                s.add(ServiceRecord(victim_id=v.id, start_date=date(2025, 1, 1),
                                    service_type=rnd.choice([ServiceType.RETURN_TO_SCHOOL, ServiceType.MEDICAL]),
                                    status=rnd.choice(list(ServiceStatus))))
    with desk.tx() as s:  # later writes: Core updates (no ORM), moves between files, deletions
        ids = [v.id for v in victims]
        fids = list(s.scalars(select(FollowUp.id)))
        for fid in rnd.sample(fids, 120):
            s.execute(update(FollowUp).where(FollowUp.id == fid).values(
                status=rnd.choice(list(FollowUpStatus)), actual_date=rnd.choice([None, *days]),
                updated_at=rnd.choice(stamps), schooling=rnd.choice(notes)))
        for fid in rnd.sample(fids, 40):
            s.execute(update(FollowUp).where(FollowUp.id == fid).values(victim_id=rnd.choice(ids)))
        s.execute(delete(FollowUp).where(FollowUp.id.in_(rnd.sample(fids, 40))))
        sids = list(s.scalars(select(ServiceRecord.id)))
        for sid in rnd.sample(sids, 60):
            s.execute(update(ServiceRecord).where(ServiceRecord.id == sid).values(
                status=rnd.choice(list(ServiceStatus)), victim_id=rnd.choice(ids)))
        s.execute(delete(ServiceRecord).where(ServiceRecord.id.in_(rnd.sample(sids, 30))))
        for vid in rnd.sample(ids, 60):
            s.execute(update(Victim).where(Victim.id == vid).values(rescue_date=rnd.choice([None, *days])))
    yield desk
    desk.registry.close()


def test_maintained_visits_contact_and_schooling_agree_with_the_rules(files_desk: Desk) -> None:
    from fanguai_desk.domain import file_state

    with files_desk.read() as s:
        visits: dict[str, list[file_state.FileVisit]] = {}
        for f in s.scalars(select(FollowUp)):
            visits.setdefault(f.victim_id, []).append(file_state.FileVisit(
                f.id, f.status, f.planned_date, f.actual_date, f.updated_at, f.schooling))
        services: dict[str, list[file_state.FileService]] = {}
        for r in s.scalars(select(ServiceRecord)):
            services.setdefault(r.victim_id, []).append(file_state.FileService(r.service_type, r.status))
        files = list(s.scalars(select(Victim)))
        gaps: set[str | None] = set()
        planned = visited = 0
        for v in files:
            mine = visits.get(v.id, [])
            last = file_state.last_visit(mine)
            expected = (file_state.next_planned_visit(mine), last,
                        file_state.last_contact(last, v.rescue_date, clock.local_day(v.created_at)),
                        file_state.schooling_gap(mine, services.get(v.id, [])))
            assert (v.next_visit_on, v.last_visit_on, v.last_contact_on, v.schooling_gap) == expected, v.alias
            gaps.add(expected[3])
            planned += expected[0] is not None
            visited += last is not None
        assert gaps == {None, file_state.NO_SCHOOL_SERVICE, file_state.SCHOOLING_UNKNOWN}
        assert 0 < planned < len(files) and 0 < visited < len(files)
        for today in _days(date(2025, 1, 1), date(2025, 4, 30)):
            stmt = select(Victim.id, rule_sql.out_of_contact(today, 30), rule_sql.without_visit_plan(),
                          rule_sql.visit_overdue(today), rule_sql.schooling_unrecorded())
            sql = {i: (bool(o), bool(p), bool(d), bool(g)) for i, o, p, d, g in s.execute(stmt)}
            for v in files:
                mine = visits.get(v.id, [])
                contact = file_state.last_contact(file_state.last_visit(mine), v.rescue_date,
                                                  clock.local_day(v.created_at))
                overdue = any(clocks.followup_state(f.status, f.planned_date, today) is clocks.DueState.OVERDUE
                              for f in mine)
                assert sql[v.id] == (file_state.out_of_contact(contact, today, 30),
                                     file_state.next_planned_visit(mine) is None, overdue,
                                     file_state.schooling_gap(mine, services.get(v.id, [])) is not None), today
