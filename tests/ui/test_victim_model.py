"""The victim list model without a window: lazy pages, masking, roles, sorting by refetching."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt

from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery, VictimRow
from fanguai_desk.ui.models import COLUMNS, PAGE_SIZE, VictimIdRole, VictimRowRole, VictimTableModel
from tests.ui.conftest import register

NAME = [k for k, _s in COLUMNS].index("name")
ID = [k for k, _s in COLUMNS].index("id_number")
SEX = [k for k, _s in COLUMNS].index("sex")


def test_model_fetches_lazily_one_page_at_a_time(zh_app, demo_desk: Desk) -> None:
    model = VictimTableModel(lambda: demo_desk)
    model.set_query(VictimQuery())
    assert model.total == 300
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 300
    assert not model.canFetchMore(QModelIndex())
    numbers = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert numbers == sorted(numbers) and len(set(numbers)) == 300


def test_model_shows_masked_identity_and_carries_ids_in_roles(zh_app, desk: Desk) -> None:
    victim_id = register(desk, name="张三华", id_number="11010519491231002X", sex="F", birth_date=None)
    model = VictimTableModel(lambda: desk)
    model.set_query(VictimQuery())
    assert model.rowCount() == 1
    assert model.index(0, NAME).data() == "张**"
    assert model.index(0, ID).data() == "1101**********002X"
    assert model.index(0, 0).data(VictimIdRole) == victim_id
    row = model.index(0, 3).data(VictimRowRole)
    assert isinstance(row, VictimRow) and row.id == victim_id
    shown = {str(model.index(0, c).data()) for c in range(model.columnCount())}
    assert "张三华" not in shown and "11010519491231002X" not in shown


def test_sorting_refetches_from_the_core(zh_app, demo_desk: Desk) -> None:
    model = VictimTableModel(lambda: demo_desk)
    model.set_query(VictimQuery())
    first_ascending = model.index(0, 0).data()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "file_number" and model.query.descending
    assert model.rowCount() == PAGE_SIZE
    assert model.index(0, 0).data() > first_ascending
    before = model.query
    model.sort(SEX, Qt.SortOrder.AscendingOrder)  # "sex": not sortable in the core, ignored
    assert model.query == before


def test_filters_go_to_the_core_query(zh_app, demo_desk: Desk) -> None:
    model = VictimTableModel(lambda: demo_desk)
    model.set_query(VictimQuery(status=FileStatus.OPEN, unidentified_only=True))
    assert model.total == demo_desk.victims.count(VictimQuery(status=FileStatus.OPEN, unidentified_only=True))
    assert model.total == demo_desk.dashboard.compute().unidentified_count


def test_a_locked_registry_fetches_nothing(zh_app, demo_desk: Desk) -> None:
    current: list[Desk | None] = [demo_desk]
    model = VictimTableModel(lambda: current[0])
    model.set_query(VictimQuery())
    current[0] = None
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE_SIZE


def test_keyset_pages_are_the_cores_rows_in_the_cores_order(zh_app, demo_desk: Desk) -> None:
    """The model pages by keyset (no OFFSET); the rows must be exactly those of ``list_rows``, for every sort."""
    for sort in ("file_number", "name", "rescue_date", "status", "updated"):
        for descending in (False, True):
            q = VictimQuery(sort=sort, descending=descending)
            model = VictimTableModel(lambda: demo_desk)
            model.set_query(q)
            while model.canFetchMore(QModelIndex()):
                model.fetchMore(QModelIndex())
            ids = [model.row(i).id for i in range(model.rowCount())]
            expected = [r.id for r in demo_desk.victims.list_rows(q, offset=0, limit=1000)]
            assert ids == expected, (sort, descending)


def test_a_runner_loads_off_the_ui_thread_and_drops_stale_results(zh_app, demo_desk: Desk) -> None:
    calls: list[tuple] = []

    def runner(fn, on_done, on_error) -> None:  # stands in for AppContext.call: results come later
        calls.append((fn, on_done))

    model = VictimTableModel(lambda: demo_desk, runner=runner)
    model.set_query(VictimQuery(text="510101"))
    assert model.is_loading() and model.rowCount() == 0
    model.set_query(VictimQuery(minors_only=True))
    old, new = calls
    new[1](new[0](demo_desk))
    old[1](old[0](demo_desk))  # the first search finishes last: ignored
    assert model.query.minors_only and not model.is_loading()
    assert model.total == demo_desk.victims.count(VictimQuery(minors_only=True))


def test_keyset_pages_cross_the_null_values_of_the_sort_column(zh_app, desk: Desk) -> None:
    for i, rescued in enumerate([None, date(2020, 1, 1), None, date(2021, 5, 1), date(2020, 1, 1), None, None]):
        register(desk, name=f"测试{'甲乙丙丁戊己庚'[i]}", birth_date=None, rescue_date=rescued)
    for descending in (False, True):
        q = VictimQuery(sort="rescue_date", descending=descending)
        expected = [r.id for r in desk.victims.list_rows(q, offset=0, limit=100)]
        got: list[str] = []
        page = desk.victims.page(q, limit=2)
        while True:
            got += [r.id for r in page.rows]
            if page.next is None:
                break
            page = desk.victims.page(q, after=page.next, limit=2)
        assert got == expected, descending
