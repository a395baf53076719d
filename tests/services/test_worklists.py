"""Nobody forgotten: the workbench cards and the work lists (issue 13), on a registry with known counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from fanguai_desk.domain.clocks import is_school_age, turns_age_within
from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.worklists import CARDS, WorkFilter, WorkList
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Victim
from tests.conftest import USER_PASSWORD

TODAY = local_today()


pytestmark = pytest.mark.usefixtures("today_read_per_test")  # TODAY is the day each test runs


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return date(d.year - years, 3, 1)


def mk(desk: Desk, alias: str, *, plan: bool = True, contact: bool = True, school: bool = False,
       schooling: str | None = None, **values: Any) -> str:
    data: dict[str, Any] = {"alias": alias, "rescue_date": (TODAY - timedelta(days=30)).isoformat(),
                            "identity_status": "known", **values}
    if "birth_date" not in data and "estimated_birth_year" not in data:
        data["estimated_birth_year"] = 1990
    vid, _ = desk.victims.register(data)
    if school:
        desk.assistance.add(vid, {"service_type": "return_to_school",
                                  "start_date": (TODAY - timedelta(days=20)).isoformat()})
    if contact:
        desk.followups.record({"actual_date": (TODAY - timedelta(days=1)).isoformat(), "method": "phone",
                               "schooling": schooling}, victim_id=vid)
    if plan:
        desk.followups.plan(vid, (TODAY + timedelta(days=20)).isoformat())
    return vid


@pytest.fixture
def known(desk: Desk) -> dict[str, str]:
    """A registry whose every card has a known count."""
    ids = {
        "A": mk(desk, "有计划有联系"),
        "B": mk(desk, "无计划无联系", plan=False, contact=False, rescue_date=(TODAY - timedelta(days=200)).isoformat()),
        "C": mk(desk, "无计划近期联系", plan=False),
        "E": mk(desk, "学龄无服务", birth_date=years_before(TODAY, 10).isoformat()),
        "F": mk(desk, "学龄在读", birth_date=years_before(TODAY, 10).isoformat(), school=True, schooling="在读三年级"),
        "G": mk(desk, "学龄情况不明", birth_date=years_before(TODAY, 10).isoformat(), school=True),
        "H": mk(desk, "将满16", birth_date=years_before(TODAY + timedelta(days=10), 16).isoformat(), school=True,
                schooling="初三"),
        "I": mk(desk, "40天后满16", birth_date=years_before(TODAY + timedelta(days=40), 16).isoformat(), school=True,
                schooling="初三"),
        "J": mk(desk, "将满18", birth_date=years_before(TODAY + timedelta(days=1), 18).isoformat()),
        "K": mk(desk, "身份不明久", identity_status="unknown",
                arrived_at_institution_on=(TODAY - timedelta(days=100)).isoformat()),
        "L": mk(desk, "身份不明短", identity_status="unknown",
                arrived_at_institution_on=(TODAY - timedelta(days=10)).isoformat()),
        "D": mk(desk, "已结案无计划", plan=False, contact=False,
                rescue_date=(TODAY - timedelta(days=400)).isoformat()),
    }
    desk.lifecycle.close(ids["D"], "returned_home")
    return ids


EXPECTED = {
    "files_without_plan": {"B", "C"},
    "files_without_contact": {"B"},
    "school_age_without_school": {"E", "G"},
    "turning_16": {"H"},
    "turning_18": {"J"},
    "unidentified_past_threshold": {"K"},
}


def test_every_card_counts_what_its_list_shows(desk: Desk, known: dict[str, str]) -> None:
    names = {v: k for k, v in known.items()}
    counts = desk.worklists.counts()
    assert set(counts) == {c.value for c in CARDS}
    for key, expected in EXPECTED.items():
        rows, _ = desk.worklists.page(key, limit=100)
        assert {names[r.victim_id] for r in rows} == expected, key
        assert counts[key] == len(expected), key
    d = desk.dashboard.compute()
    assert {k: getattr(d, k) for k in EXPECTED} == {k: len(v) for k, v in EXPECTED.items()}


def test_turning_rows_say_what_changes_and_when(desk: Desk, known: dict[str, str]) -> None:
    [row16], _ = desk.worklists.page("turning_16")
    [row18], _ = desk.worklists.page("turning_18")
    assert row16.detail == "training_possible" and row16.when == TODAY + timedelta(days=10)
    assert row18.detail == "own_consent" and row18.when == TODAY + timedelta(days=1)
    school = {r.victim_id: r.detail for r in desk.worklists.page("school_age_without_school")[0]}
    assert school == {known["E"]: "no_school_service", known["G"]: "schooling_unknown"}


def test_no_contact_days_is_the_setting(desk: Desk, known: dict[str, str]) -> None:
    desk.update_settings({"no_contact_days": 20})  # C was seen yesterday, A too; the rest 30 days ago
    rows, _ = desk.worklists.page("files_without_contact", limit=100)
    assert known["B"] in {r.victim_id for r in rows}
    assert desk.worklists.count("files_without_contact") == len(rows) >= 1


def test_keyset_pages_cover_the_list_once_newest_overdue_first(desk: Desk) -> None:
    vids = [mk(desk, f"逾期{i}", plan=False, contact=False) for i in range(3)]
    planned = []
    for i in range(7):
        when = TODAY - timedelta(days=3 + 5 * i)
        desk.followups.plan(vids[i % 3], when.isoformat(), confirm_past=True)
        planned.append(when)
    seen: list[Any] = []
    cursor = None
    while True:
        rows, cursor = desk.worklists.page("followups_overdue", after=cursor, limit=3)
        seen += rows
        if cursor is None:
            break
    assert [r.when for r in seen] == sorted(planned, reverse=True)  # the newest overdue on top
    assert len({r.id for r in seen}) == 7 == desk.worklists.count("followups_overdue")
    assert desk.dashboard.compute().followups_overdue == 7
    asc, _ = desk.worklists.page("followups_overdue", descending=False, limit=100)
    assert [r.when for r in asc] == sorted(planned)
    by_number, _ = desk.worklists.page("followups_overdue", sort="file_number", limit=100)
    assert [r.file_number for r in by_number] == sorted(r.file_number for r in by_number)
    with pytest.raises(ValidationError):
        desk.worklists.page("followups_overdue", sort="name")
    with pytest.raises(ValidationError):
        desk.worklists.count("no_such_list")


def test_filters_by_township_and_caseworker_and_scope(desk: Desk) -> None:
    desk.users.township_by_name("白马镇", create=True)
    desk.users.add("bm1", USER_PASSWORD, Role.CASEWORKER, "白马镇", display_name="白马社工")
    mine = mk(desk, "青龙无计划", plan=False)
    other = mk(desk, "白马无计划", plan=False, township="白马镇")
    bm = Desk.unlock(desk.registry.data_dir, "bm1", USER_PASSWORD)
    try:
        with desk.read() as s:
            bm_town = s.scalar(select(Victim.township_id).where(Victim.id == other))
        assert {r.victim_id for r in desk.worklists.page("files_without_plan")[0]} == {mine, other}
        only_bm = WorkFilter(township_id=bm_town)
        assert [r.victim_id for r in desk.worklists.page("files_without_plan", only_bm)[0]] == [other]
        assert desk.worklists.count("files_without_plan", only_bm) == 1
        assert [r.victim_id for r in bm.worklists.page("files_without_plan")[0]] == [other]  # scope
        assert desk.worklists.count("files_without_plan", WorkFilter(caseworker_id=desk.actor.user_id)) == 2
        assert desk.worklists.count("files_without_plan", WorkFilter(caseworker_id=bm.actor.user_id)) == 0
    finally:
        bm.close()


def test_urgent_referral_first_and_deadline_before_the_legal_deadline(desk: Desk) -> None:
    vid = mk(desk, "法援")
    override = "本人电话同意，书面材料随后补交"
    plain = desk.referrals.add(vid, {"institution": "中心", "matter": "compensation",
                                     "referral_date": (TODAY - timedelta(days=1)).isoformat()},
                               consent_override_reason=override)
    urgent = desk.referrals.add(vid, {"institution": "中心", "matter": "custody",
                                      "referral_date": TODAY.isoformat(),
                                      "urgent_deadline": (TODAY + timedelta(days=3)).isoformat()},
                                consent_override_reason=override)
    rows, _ = desk.worklists.page("referrals_open")
    assert [r.id for r in rows] == [urgent, plain]
    assert rows[0].urgent and rows[0].when == TODAY + timedelta(days=2)  # decided before the deadline
    assert rows[1].when == TODAY + timedelta(days=6)
    assert desk.dashboard.compute().referrals_urgent == 1


# --------------------------------------------------------------------------- SQL twins against domain rules


@pytest.mark.parametrize("today", [date(2024, 2, 29), date(2025, 2, 28), date(2025, 12, 31), date(2024, 12, 30),
                                   date(2025, 3, 1)])
def test_sql_age_windows_agree_with_the_python_rules(desk: Desk, today: date) -> None:
    people: list[tuple[date | None, int | None]] = []
    for base in (6, 15, 16, 18):
        for delta in (-2, -1, 0, 1, 2, 29, 30, 31):
            people.append((years_before(today + timedelta(days=delta), base), None))
    people += [(date(2008, 2, 29), None), (date(2010, 2, 28), None), (date(2009, 3, 1), None)]
    people += [(None, today.year - n) for n in (5, 6, 7, 15, 16, 17, 18, 19)]
    people.append((None, None))
    ids = {}
    with desk.tx() as s:
        township = desk.actor.township_id
        for i, (b, y) in enumerate(people):
            v = Victim(file_number=f"5101-2024-{9000 + i}", township_id=township, alias=f"网格{i}", birth_date=b,
                       estimated_birth_year=y)
            s.add(v)
            s.flush()
            ids[v.id] = (b, y)
    with desk.read() as s:
        sql_school = set(s.scalars(select(Victim.id).where(rule_sql.is_school_age(today))))
        sql16 = set(s.scalars(select(Victim.id).where(rule_sql.turns_age_within(today, 16, 30))))
        sql18 = set(s.scalars(select(Victim.id).where(rule_sql.turns_age_within(today, 18, 30))))

    def turning(b: date | None, y: int | None, n: int) -> bool:
        return turns_age_within(b, y, n, today, 30)

    assert sql_school == {i for i, (b, y) in ids.items() if is_school_age(b, y, today)}
    assert sql16 == {i for i, (b, y) in ids.items() if turning(b, y, 16)}
    assert sql18 == {i for i, (b, y) in ids.items() if turning(b, y, 18)}


def test_every_list_key_works(desk: Desk, known: dict[str, str]) -> None:
    for kind in WorkList:
        rows, _ = desk.worklists.page(kind, limit=500)
        assert desk.worklists.count(kind) == len(rows), kind


def test_counts_are_built_once_per_day_scope_and_settings(desk: Desk, known: dict[str, str]) -> None:
    """The second call runs the statements the first one built (services/prepared.py); a new setting or
    another day builds new ones, and the counts follow the setting."""
    from fanguai_desk.services import dashboard, worklists

    worklists._count_sql.cache_clear()
    dashboard._count_sql.cache_clear()
    first = desk.dashboard.compute(today=TODAY)
    built = worklists._count_sql.cache_info().misses, dashboard._count_sql.cache_info().misses
    assert desk.dashboard.compute(today=TODAY) == first
    assert (worklists._count_sql.cache_info().misses, dashboard._count_sql.cache_info().misses) == built
    assert worklists._count_sql.cache_info().hits >= len(CARDS) and dashboard._count_sql.cache_info().hits == 1
    desk.update_settings({"no_contact_days": 20})
    assert desk.worklists.counts(today=TODAY)["files_without_contact"] >= first.files_without_contact
    assert worklists._count_sql.cache_info().misses > built[0]
