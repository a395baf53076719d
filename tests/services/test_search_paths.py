"""The list's hot path (issue 16) against the statement built per call.

A search's page as a UNION of per-kind keyset pages (``paging.Branches``, issue 16) gives exactly what the
single OR statement gave: the same rows, in the same order, masked the same, in the same scope — for the
administrator and for a caseworker of another township, for every kind of search text taken from a generated
registry, in every sort order, page after page.  And no search ever hands an identifying value out unmasked."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from fanguai_desk.domain.enums import FileStatus, PlacementState, Role, Sex
from fanguai_desk.domain.masking import HIDDEN_NAME, mask_id_number, mask_name
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.paging import Cursor, fetch_page
from fanguai_desk.services.victims import SORT_COLUMNS, VictimQuery, VictimRow, _list_row
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Township, Victim
from tests.conftest import USER_PASSWORD


@pytest.fixture
def other_township_caseworker(demo_desk: Desk) -> Iterator[Desk]:
    with demo_desk.read() as s:
        towns = list(s.scalars(select(Township.name).order_by(Township.name)))
    demo_desk.users.add("cw_search", USER_PASSWORD, Role.CASEWORKER, towns[-1], display_name="社工")
    d = Desk.unlock(demo_desk.registry.data_dir, "cw_search", USER_PASSWORD)
    yield d
    d.close()


def _texts(desk: Desk, n: int = 40) -> list[str]:
    """Search texts of every kind, from the registry's own files, plus a few that match nothing."""
    with desk.read() as s:
        files = list(s.execute(select(Victim.file_number, Victim.name, Victim.alias, Victim.name_pinyin,
                                      Victim.name_initials, Victim.id_tail, Victim.id_number)))
    rng = random.Random(16)
    texts = {"王", "ZZ", "zzzq", "0000", "5101", "9"}
    for number, name, alias, pinyin, initials, tail, id_number in rng.sample(files, min(n, len(files))):
        texts.update(filter(None, [number[:6], number, (name or "")[:1], (name or "")[:2], (alias or "")[:1],
                                   (pinyin or "")[:3], initials, (initials or "").upper(), tail, id_number]))
    return sorted(texts)


def _old_path(desk: Desk, q: VictimQuery, limit: int) -> list[VictimRow]:
    """The previous path: one statement with the OR of every kind of match, paged by the same keyset API."""
    today = local_today()
    col = SORT_COLUMNS[q.sort]
    out: list[VictimRow] = []
    after: Cursor | None = None
    while True:
        with desk.read() as s:
            fetched = fetch_page(s.connection(), desk.victims._filtered(q, today), sort=col, id_col=Victim.id,
                                 after=after, limit=limit, descending=q.descending)
        out += [_list_row(r, today) for r in fetched]
        if len(fetched) < limit:
            return out
        after = Cursor(fetched[-1]._mapping[col.key], fetched[-1].id)


def _new_path(desk: Desk, q: VictimQuery, limit: int) -> list[VictimRow]:
    page = desk.victims.page(q, limit=limit)
    out = list(page.rows)
    while page.next is not None:
        page = desk.victims.page(q, after=page.next, limit=limit)
        out += page.rows
    return out


def _clear(desk: Desk) -> dict[str, Any]:
    with desk.read() as s:
        return {vid: (name, alias, number, hidden, township) for vid, name, alias, number, hidden, township in
                s.execute(select(Victim.id, Victim.name, Victim.alias, Victim.id_number, Victim.hidden_name,
                                 Victim.township_id))}


@pytest.mark.parametrize(("sort", "descending", "limit"),
                         [("file_number", False, 200), ("file_number", False, 7), ("name", False, 5),
                          ("name", True, 6), ("rescue_date", True, 9)])
def test_search_pages_equal_the_single_statement_for_every_text_and_scope(
        demo_desk: Desk, other_township_caseworker: Desk, sort: str, descending: bool, limit: int) -> None:
    texts = _texts(demo_desk)
    clear = _clear(demo_desk)
    scope = other_township_caseworker.visible_township_ids()
    assert scope is not None and len(scope) == 1
    matched = 0
    for desk in (demo_desk, other_township_caseworker):
        for text in texts:
            q = VictimQuery(text=text, sort=sort, descending=descending)
            new = _new_path(desk, q, limit)
            assert new == _old_path(desk, q, limit), (text, sort)  # same rows, order, masking
            assert len(new) == desk.victims.count(q), text
            matched += len(new)
            if desk is other_township_caseworker:
                assert all(clear[r.id][4] in scope for r in new), text  # never outside the caseworker's township
    assert matched > 100  # the texts do find files


def test_a_search_never_returns_an_unmasked_identity_field(demo_desk: Desk) -> None:
    clear = _clear(demo_desk)
    seen = 0
    for text in _texts(demo_desk):
        for r in _new_path(demo_desk, VictimQuery(text=text), 200):
            name, alias, number, hidden, _t = clear[r.id]
            shown = repr(r)
            if hidden:
                assert r.display_name == HIDDEN_NAME
            else:
                assert r.display_name == mask_name(name or alias)
            for value in (name, alias):
                if value and len(value) > 1:
                    assert value not in shown, text
            if number:
                assert number not in shown and r.id_number_masked == mask_id_number(number)
            seen += 1
    assert seen > 100


def test_a_list_row_is_a_whole_victim_row(demo_desk: Desk) -> None:
    """``_list_row`` builds the named tuple directly: every field is there, each the value the fields name."""
    row = demo_desk.victims.page(VictimQuery(), limit=1).rows[0]
    assert type(row) is VictimRow and len(row) == len(VictimRow._fields)
    assert VictimRow(*row) == row and row._asdict()["version"] == row.version >= 1
    assert isinstance(row.sex, Sex) and isinstance(row.status, FileStatus) and isinstance(row.attention_flag, bool)


def test_list_pages_with_every_filter_equal_the_statement_built_per_call(
        demo_desk: Desk, other_township_caseworker: Desk) -> None:
    """The list's statements are compiled once per kind of query (filters' values rendered by the dialect):
    every filter and sort gives what the statement built on each call gave, and the same count."""
    queries = [VictimQuery(), VictimQuery(minors_only=True), VictimQuery(overdue_only=True, sort="name"),
               VictimQuery(status=FileStatus.OPEN, sort="updated", descending=True),
               VictimQuery(unidentified_only=True, sort="rescue_date"),
               VictimQuery(placement_state=next(iter(PlacementState)), sort="status"),
               VictimQuery(text="1", minors_only=True, status=FileStatus.OPEN, sort="name", descending=True)]
    for desk in (demo_desk, other_township_caseworker):
        for q in queries:
            new = _new_path(desk, q, 11)
            assert new == _old_path(desk, q, 11), q
            assert len(new) == desk.victims.count(q), q


def test_the_statements_compiled_once_never_hold_what_was_searched(demo_desk: Desk) -> None:
    """The cached SQL text is shared by every search of its kind: the search values are bound, never part of
    it (a name typed in the box is in no statement text that could be cached, logged or replayed as text)."""
    with demo_desk.read() as s:
        name = s.scalars(select(Victim.name).where(Victim.name.is_not(None)).limit(1)).one()
    seen: list[str] = []
    listener = lambda _c, _cur, sql, _p, _ctx, _m: seen.append(sql)  # noqa: E731
    event.listen(demo_desk.registry.engine, "before_cursor_execute", listener)
    try:
        for text in (name, name[:1], "wxh", "1234"):
            demo_desk.victims.page(VictimQuery(text=text))
            demo_desk.victims.count(VictimQuery(text=text))
    finally:
        event.remove(demo_desk.registry.engine, "before_cursor_execute", listener)
    assert len(seen) == 8
    assert not [sql for sql in seen if name[:1] in sql or "wxh" in sql or "1234" in sql]
