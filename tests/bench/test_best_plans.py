"""The list's and the search's paths (issue 16): plain rows, one keyset API, and the plans they get.

* The GUI's search (``VictimService.page`` + ``count``) and the engine's hand-written best plan
  (``fanguai_desk/bench/best.py``, the bench's engine column) give the same rows in the same order and the
  same count, for every kind of search.
* ``EXPLAIN QUERY PLAN``: our statements and the best plans are index searches — never a scan of the files —
  through the indexes chosen below (CHOSEN_PLANS: change them only with a plan that reads less).
* The list and search read no ORM objects and make one statement per page; rows are masked by the core.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select, update

from fanguai_desk.bench import best
from fanguai_desk.domain.masking import HIDDEN_NAME, mask_id_number, mask_name
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import Victim
from tests.helpers import select_statements

#: Search kind → the victims indexes its plan reads (ours; the best plan reads the subset it needs).
CHOSEN_PLANS: dict[str, set[str]] = {
    "file_number": {"ix_victims_file_number_id"},
    "name_prefix": {"ix_victims_file_number_id", "ix_victims_name", "ix_victims_alias"},
    "surname": {"ix_victims_file_number_id", "ix_victims_name", "ix_victims_alias"},
    "initials": {"ix_victims_file_number_id", "ix_victims_name_pinyin", "ix_victims_name_initials"},
    "pinyin": {"ix_victims_file_number_id", "ix_victims_name_pinyin", "ix_victims_name_initials"},
    "id_tail": {"ix_victims_file_number_id", "ix_victims_id_tail"},
    "id_number": {"ix_victims_file_number_id", "ix_victims_id_number"},
}


def _texts(desk: Desk) -> dict[str, str]:
    with desk.read() as s:
        v = s.scalars(select(Victim).where(Victim.name.is_not(None), Victim.id_tail.is_not(None),
                                           Victim.id_number.is_not(None), Victim.name_pinyin.is_not(None),
                                           Victim.hidden_name.is_(False)).order_by(Victim.id).limit(1)).one()
        return {"file_number": v.file_number[:8], "name_prefix": v.name[:2], "surname": v.name[:1],
                "initials": v.name_initials or "", "pinyin": (v.name_pinyin or "")[:3], "id_tail": v.id_tail or "",
                "id_number": v.id_number or ""}


def _plan(desk: Desk, sql: str, params: Any) -> list[str]:
    with desk.read() as s:
        return [row[3] for row in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]


def _table_scans(plan: list[str]) -> list[str]:
    """Scans of a table or an index (a scan of a search branch's subquery — at most a page of rows — is fine)."""
    return [p for p in plan if p.startswith("SCAN") and not p.startswith(("SCAN anon_", "SCAN (subquery"))]


def _raw(desk: Desk) -> Any:
    return desk.registry.engine.raw_connection()


@pytest.mark.parametrize("limit", [200, 3])
def test_the_best_plans_give_the_guis_answer_for_every_kind_of_search(demo_desk: Desk, limit: int) -> None:
    conn = _raw(demo_desk)
    try:
        for kind, text in _texts(demo_desk).items():
            page = demo_desk.victims.page(VictimQuery(text=text), limit=limit)
            count = demo_desk.victims.count(VictimQuery(text=text))
            rows, best_count = best.search(conn, text, limit=limit)
            assert page.rows, kind
            assert [r.id for r in page.rows] == [r[0] for r in rows], kind
            assert best_count == (count if page.next is not None else len(page.rows)), kind
    finally:
        conn.close()
    conn = _raw(demo_desk)
    try:
        total, counted = best.full_read(conn), best.count(conn)
    finally:
        conn.close()
    assert total == counted == demo_desk.victims.count(VictimQuery())


def test_searches_read_the_chosen_indexes_and_never_scan_the_files(demo_desk: Desk) -> None:
    for kind, text in _texts(demo_desk).items():
        with select_statements(demo_desk) as seen:
            demo_desk.victims.page(VictimQuery(text=text))
            demo_desk.victims.count(VictimQuery(text=text))
        assert len(seen) == 2, kind  # one statement for the page, one for the count
        for sql, params in seen:
            plan = _plan(demo_desk, sql, params)
            assert not _table_scans(plan), (kind, plan)
            used = {word for p in plan for word in p.split() if word.startswith("ix_victims")}
            assert used == CHOSEN_PLANS[kind], (kind, plan)
        # The page: every name index is read alone (it holds the order and the scope: migration 0017).
        page_plan = _plan(demo_desk, *seen[0])
        assert not [p for p in page_plan if "ix_victims_name" in p or "ix_victims_alias" in p
                    if "COVERING INDEX" not in p], (kind, page_plan)
        sql, params = best.search_rows_sql(text)
        plan = _plan(demo_desk, sql, tuple(params))
        assert not _table_scans(plan), (kind, plan)
        assert {word for p in plan for word in p.split() if word.startswith("ix_victims")} <= CHOSEN_PLANS[kind]


def test_list_pages_are_plain_masked_rows_one_statement_each(demo_desk: Desk) -> None:
    with demo_desk.tx() as s:
        hidden_id, clear_name = s.execute(select(Victim.id, Victim.name).where(Victim.name.is_not(None))
                                          .order_by(Victim.file_number).limit(1)).one()
        s.execute(update(Victim).where(Victim.id == hidden_id).values(hidden_name=True))
    loads: list[Any] = []
    listener = lambda target, _context: loads.append(target)  # noqa: E731
    event.listen(Victim, "load", listener)
    try:
        with select_statements(demo_desk) as seen:
            page = demo_desk.victims.page(VictimQuery(), limit=50)
            rows = list(page.rows)
            pages = 1
            while page.next is not None:
                page = demo_desk.victims.page(VictimQuery(), after=page.next, limit=50)
                rows += page.rows
                pages += 1
    finally:
        event.remove(Victim, "load", listener)
    assert loads == []  # no ORM objects on the list's path
    assert len(seen) == pages  # one statement per page: no per-page placement or township look-ups
    assert len({r.id for r in rows}) == len(rows) == demo_desk.victims.count(VictimQuery())
    with demo_desk.read() as s:
        clear = {vid: (name, alias, number, hidden) for vid, name, alias, number, hidden in s.execute(
            select(Victim.id, Victim.name, Victim.alias, Victim.id_number, Victim.hidden_name))}
    for r in rows:
        name, alias, number, hidden = clear[r.id]
        if hidden:  # the one hidden here, and any the demo hides
            assert r.display_name == HIDDEN_NAME and (not name or name not in repr(r))
            assert r.id != hidden_id or clear_name not in repr(r)
            continue
        assert r.display_name == mask_name(name or alias)
        assert r.id_number_masked == mask_id_number(number)
        if name and len(name) > 1:
            assert name not in repr(r)
