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

from typing import Any

from fanguai_desk.services import dashboard, prepared, worklists
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.worklists import CARDS, WorkFilter
from fanguai_desk.store.clock import local_today
from tests.helpers import select_statements


def _plans(desk: Desk) -> dict[str, list[str]]:
    """Each card's statement (as the workbench builds it for this user's scope) → its plan."""
    today = local_today()
    settings = desk.settings()
    visible = desk.visible_township_ids()
    ids = None if visible is None else tuple(visible)
    sqls = dict(dashboard._count_sql(today, settings.referral_wait_days, ids))
    for kind in CARDS:
        sqls[kind.value] = worklists._count_sql(kind, today, settings.no_contact_days, settings.referral_wait_days,
                                                ids, WorkFilter())
    sqls["longest_stays"] = prepared.compiled(dashboard._longest_stays(ids, 10))
    with desk.read() as s:
        return {key: [r[3] for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
                for key, sql in sqls.items()}


def test_each_county_card_is_one_short_index_range(demo_desk: Desk) -> None:
    plans = _plans(demo_desk)
    stays = plans["longest_stays"]
    assert any("ix_victims_unidentified_since" in p for p in stays), stays
    assert not [p for p in stays if "TEMP B-TREE" in p], stays
    overdue = [p for p in plans["referrals_overdue"] if p.startswith("SEARCH")]
    assert overdue and all("COVERING INDEX ix_referrals_status_clock" in p for p in overdue), overdue
    assert [p for p in plans["referrals_urgent"] if "ix_referrals_urgent" in p], plans["referrals_urgent"]
    for key in ("school_age_without_school", "turning_16", "turning_18"):
        assert any("birth_date>? AND birth_date<?" in p for p in plans[key] if p.startswith("SEARCH")), plans[key]
    for key, plan in plans.items():  # the file tallies: a few rows per township (tests/store/test_file_tallies.py)
        assert not [p for p in plan if p.startswith("SCAN") and "file_tallies" not in p], (key, plan)
    assert all(any("file_tallies" in p for p in plans[key]) for key in ("open_files", "unidentified_count",
                                                                       "placements"))


def test_the_workbench_counts_in_a_fewselect_statements(demo_desk: Desk) -> None:
    with select_statements(demo_desk) as seen:
        board = demo_desk.dashboard.compute()
    # settings, scope; the counts (one statement); placements; longest stays; the cards (settings + one
    # statement); the review flags (count + list)
    assert len(seen) <= 9, [sql[:80] for sql, _ in seen]
    assert board.open_files > 0


def test_a_caseworkers_cards_stay_within_the_township(demo_desk: Desk) -> None:
    from fanguai_desk.domain.enums import Role

    _tid, town = demo_desk.users.townships()[0]
    demo_desk.users.add("plan-cw", "Plan-caseworker-2026!", Role.CASEWORKER, town, display_name="cw")
    cw = Desk.unlock(demo_desk.registry.data_dir, "plan-cw", "Plan-caseworker-2026!")
    try:
        plans = _plans(cw)
        counts = cw.dashboard.compute()
    finally:
        cw.registry.close()
    for key, plan in plans.items():
        assert not [p for p in plan if p.startswith("SCAN") and "file_tallies" not in p], (key, plan)
    for key in ("school_age_without_school", "turning_16", "turning_18"):
        assert any("township_id=?" in p and "birth_date>? AND birth_date<?" in p for p in plans[key]), plans[key]
    # visits: only the files whose maintained next visit is early enough, their ids from the index alone
    for key in ("followups_overdue", "followups_due_soon"):
        assert any("COVERING INDEX ix_victims_township_next_visit_id (township_id=? AND next_visit_on<?)" in p
                   for p in plans[key]), plans[key]
    assert counts.open_files <= demo_desk.dashboard.compute().open_files


def test_a_caseworkers_counts_are_the_county_counts_of_the_township(demo_desk: Desk) -> None:
    """The caseworker's shapes (files pre-selected by their maintained next visit, referrals read from the
    county's range) give the same numbers as counting the township's records directly."""
    from sqlalchemy import func, select

    from fanguai_desk.domain.enums import Role
    from fanguai_desk.store import rule_sql
    from fanguai_desk.store.models import FollowUp, LegalAidReferral, Victim

    tid, town = demo_desk.users.townships()[0]
    demo_desk.users.add("count-cw", "Count-caseworker-2026!", Role.CASEWORKER, town, display_name="cw")
    cw = Desk.unlock(demo_desk.registry.data_dir, "count-cw", "Count-caseworker-2026!")
    try:
        board = cw.dashboard.compute()
    finally:
        cw.registry.close()
    today = board.today
    with demo_desk.read() as s:
        def n(model: Any, *conds: Any) -> int:
            return int(s.scalar(select(func.count()).select_from(model).join(Victim, Victim.id == model.victim_id)
                                .where(Victim.township_id == tid, *conds)) or 0)
        assert board.followups_overdue == n(FollowUp, rule_sql.followup_overdue(today))
        assert board.followups_due_soon == n(FollowUp, rule_sql.followup_due_soon(today))
        assert board.referrals_overdue == n(LegalAidReferral, rule_sql.referral_overdue(today))
    assert board.followups_overdue > 0
