"""The day a file was made is the caseworker's local day, wherever the day is counted.

In China (UTC+8) a file entered at 07:30 on New Year's Day is stored at 23:30 UTC on 31 December.  It was
counted in the previous year's registrations, last in contact and unidentified since 31 December.  These tests
run in ``Asia/Shanghai`` (the process's zone, switched with ``tests.helpers.in_zone``) with the documented clock
hook ``clock.wall_clock`` at that instant; nothing else about time is faked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from fanguai_desk.services.desk import Desk
from fanguai_desk.services.statistics import AnnualStatistics, annual_statistics
from fanguai_desk.store import clock, rule_sql, state
from fanguai_desk.store.clock import local_day, local_today
from fanguai_desk.store.high_water import ClockCheck
from fanguai_desk.store.models import Victim
from tests.helpers import in_zone

NEW_YEAR_0730_BEIJING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
NEW_YEAR = date(2027, 1, 1)


@pytest.fixture
def beijing_new_year_morning(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with in_zone("Asia/Shanghai"):
        monkeypatch.setattr(clock, "wall_clock", lambda: NEW_YEAR_0730_BEIJING)
        yield
        monkeypatch.setattr(clock, "wall_clock", clock._SYSTEM_CLOCK)


def _registered(stats: AnnualStatistics) -> int:
    return sum(t.files_registered for t in stats.townships)


def test_a_file_entered_at_0730_on_new_years_day_in_beijing_belongs_to_the_new_year(
        desk: Desk, beijing_new_year_morning: None) -> None:
    assert local_today() == NEW_YEAR
    vid, _ = desk.victims.register({"alias": "小新", "estimated_birth_year": 2015})  # no rescue date, no name
    with desk.registry.engine.connect() as conn:
        made, created_on, last_contact = conn.exec_driver_sql(
            "SELECT created_at, created_on, last_contact_on FROM victims WHERE id = ?", (vid,)).one()
    assert made.startswith("2026-12-31 23:30")  # stored in UTC, as every time
    assert (created_on, last_contact) == ("2027-01-01", "2027-01-01")

    # the yearly statistics: registered (and new) in 2027, not in 2026
    stats = annual_statistics(desk, 2027)
    assert _registered(stats) == 1 and sum(t.files_new for t in stats.townships) == 1
    assert _registered(annual_statistics(desk, 2026)) == 0

    # unidentified since the day it was made: in SQL (work lists), on the workbench, in the file
    with desk.read() as s:
        assert s.scalar(select(rule_sql.unidentified_since()).where(Victim.id == vid)) == NEW_YEAR
        assert s.scalar(select(rule_sql.days_unidentified(NEW_YEAR)).where(Victim.id == vid)) == 0
    stays = [stay for stay in desk.dashboard.compute().unidentified_longest if stay.victim_id == vid]
    assert [(stay.since, stay.days) for stay in stays] == [(NEW_YEAR, 0)]
    assert desk.victims.open_file(vid).days_unidentified == 0

    # and the maintained state is what doctor recomputes: no drift
    with desk.registry.engine.connect() as conn:
        assert state.drift(conn) == 0
    check = desk.maintenance.doctor().check("maintained_state")
    assert check is not None and check.status == "ok", check


def test_the_file_summary_is_opened_on_the_local_day(desk: Desk, beijing_new_year_morning: None) -> None:
    vid, _ = desk.victims.register({"alias": "小新", "estimated_birth_year": 2015})
    with desk.read() as s:
        victim = s.get(Victim, vid)
        assert victim is not None
        view = desk.reports._summary_view(s, victim, False, "test", "")
    assert view.opened_date == NEW_YEAR


@pytest.mark.parametrize(("zone", "mark", "day"), [
    ("Asia/Shanghai", datetime(2026, 12, 31, 23, 30), NEW_YEAR),  # 07:30 on New Year's Day
    ("America/Los_Angeles", datetime(2027, 1, 2, 1, 0), NEW_YEAR),  # 17:00 on New Year's Day
    ("UTC", datetime(2027, 1, 1, 7, 30), NEW_YEAR),
])
def test_the_clock_mark_is_compared_with_today_on_its_local_day(zone: str, mark: datetime, day: date) -> None:
    """Retention waits for the day both the clock and the high-water mark have reached, and a close is dated no
    earlier than the mark: both compare the mark's local day with the local today.  With its UTC date, retention
    was a day behind every morning in Beijing and a close in Los Angeles dated the next day every evening."""
    with in_zone(zone):
        assert local_day(mark) == day
        check = ClockCheck(now=mark, high_water=mark)
        assert check.trusted_today(day) == day
        assert check.recorded_today(day) == day
