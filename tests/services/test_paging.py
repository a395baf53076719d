"""The one keyset paging API (services/paging.py): walking pages gives every row once, in the list's order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fanguai_desk.services.desk import Desk
from fanguai_desk.services.paging import Page
from fanguai_desk.services.victims import VictimQuery


def walk(page_of: Callable[..., Page[Any]], limit: int) -> list[Any]:
    page = page_of(after=None, limit=limit)
    rows = list(page.rows)
    while page.next is not None:
        page = page_of(after=page.next, limit=limit)
        rows += page.rows
    return rows


def test_victim_pages_equal_the_offset_list_for_every_sort(demo_desk: Desk) -> None:
    for sort in ("file_number", "name", "rescue_date", "status"):
        for descending in (False, True):
            q = VictimQuery(sort=sort, descending=descending)
            expected = [r.id for r in demo_desk.victims.list_rows(q, limit=10_000)]
            got = [r.id for r in walk(lambda after, limit, q=q: demo_desk.victims.page(q, after=after, limit=limit),
                                      37)]
            assert got == expected, (sort, descending)


def test_work_list_pages_are_uncapped_and_repeat_no_row(demo_desk: Desk) -> None:
    visits = walk(lambda after, limit: demo_desk.followups.page(include_done=True, after=after, limit=limit), 50)
    assert len(visits) == len({v.id for v in visits}) > 500  # more than the old 500 cap
    assert [v.planned_date for v in visits if v.planned_date] == sorted(v.planned_date for v in visits
                                                                        if v.planned_date)
    overdue = walk(lambda after, limit: demo_desk.followups.page(overdue=True, after=after, limit=limit), 7)
    assert {v.id for v in overdue} == {v.id for v in demo_desk.followups.list(overdue=True, limit=100_000)}
    assert len(overdue) == demo_desk.dashboard.compute().followups_overdue
    referrals = walk(lambda after, limit: demo_desk.referrals.page(after=after, limit=limit), 9)
    assert [r.id for r in referrals] == [r.id for r in demo_desk.referrals.list(limit=100_000)]
    late = walk(lambda after, limit: demo_desk.referrals.page(overdue_only=True, after=after, limit=limit), 3)
    assert len(late) == demo_desk.dashboard.compute().referrals_overdue
    services = walk(lambda after, limit: demo_desk.assistance.overdue_page(after=after, limit=limit), 11)
    assert len(services) == len({s.id for s in services}) == demo_desk.dashboard.compute().services_overdue
