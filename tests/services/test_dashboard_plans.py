"""The workbench's cards at county scale (issue 16): each card one short index range, never a sort of the county.

``EXPLAIN QUERY PLAN`` of the statements ``DashboardService.compute`` runs (admin = the county, caseworker = one
township), on the session's demo registry after migration 0018:

* the longest unidentified stays are the first entries of ``ix_victims_unidentified_since`` (no temporary
  B-tree: no sort of every unidentified file);
* the overdue and urgent referral counts read ``ix_referrals_status_clock`` / ``ix_referrals_urgent`` alone;
* the school-age and turning-16/18 cards read one closed range of birth dates (both bounds), not every file
  born before the upper one (the twin in ``store/rule_sql.py`` is written as one range per branch; it stays
  checked against ``domain/clocks.py`` by ``tests/store/test_rule_sql.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from fanguai_desk.services.desk import Desk


@contextmanager
def _statements(desk: Desk) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(desk.registry.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(desk.registry.engine, "before_cursor_execute", capture)


def _plans(desk: Desk) -> dict[str, list[str]]:
    with _statements(desk) as seen:
        desk.dashboard.compute()
    out = {}
    with desk.read() as s:
        for sql, params in seen:
            out[" ".join(sql.split())] = [r[3] for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql,
                                                                                      params)]
    return out


def _one(plans: dict[str, list[str]], *needles: str) -> list[str]:
    found = [plan for sql, plan in plans.items() if all(n in sql for n in needles)]
    assert len(found) == 1, (needles, list(plans))
    return found[0]


def test_each_county_card_is_one_short_index_range(demo_desk: Desk) -> None:
    plans = _plans(demo_desk)
    stays = _one(plans, "victims.identified_on", "ORDER BY coalesce")
    assert any("ix_victims_unidentified_since" in p for p in stays), stays
    assert not [p for p in stays if "TEMP B-TREE" in p], stays
    overdue = _one(plans, "FROM referrals", "CASE WHEN")
    assert overdue and all("COVERING INDEX ix_referrals_status_clock" in p for p in overdue if p.startswith("SEARCH"))
    urgent = _one(plans, "FROM referrals", "urgent_deadline IS NOT NULL")
    assert [p for p in urgent if "ix_referrals_urgent" in p], urgent
    ages = [plan for sql, plan in plans.items() if "victims.birth_date <=" in sql]
    assert len(ages) == 3  # school age, turning 16, turning 18
    for plan in ages:
        searches = [p for p in plan if p.startswith("SEARCH")]
        assert any("birth_date>? AND birth_date<?" in p for p in searches), plan
        assert not [p for p in plan if p.startswith("SCAN")], plan


def test_a_caseworkers_cards_stay_within_the_township(demo_desk: Desk) -> None:
    from fanguai_desk.domain.enums import Role

    _tid, town = demo_desk.users.townships()[0]
    demo_desk.users.add("plan-cw", "Plan-caseworker-2026!", Role.CASEWORKER, town, display_name="cw")
    cw = Desk.unlock(demo_desk.registry.data_dir, "plan-cw", "Plan-caseworker-2026!")
    try:
        plans = _plans(cw)
    finally:
        cw.registry.close()
    for sql, plan in plans.items():
        if "FROM victims" in sql and "review_flags" not in sql:
            assert not [p for p in plan if p.startswith("SCAN")], (sql, plan)
    for plan in [plan for sql, plan in plans.items() if "victims.birth_date <=" in sql]:
        assert any("township_id=?" in p and "birth_date>? AND birth_date<?" in p for p in plan), plan
