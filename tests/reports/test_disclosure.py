"""Disclosure control: every report the tests generate is attacked by linear programming (tests/reports/attack.py)
and no suppressed cell may be narrowed to an interval less than 5 wide."""

from __future__ import annotations

import random

import pytest

from fanguai_desk.reports.county import (
    AGE,
    IDENTITY,
    NATIONALITY,
    SEX,
    Labels,
    Unit,
    YearData,
    annual_book,
    default_labels,
    period_book,
    unit_from_book,
)
from fanguai_desk.reports.disclosure import HIDDEN, SMALL, ProtectedBook, StatBook, TableSpec
from tests.reports.attack import attack, narrow_cells


def random_unit(rng: random.Random, code: str, labels: Labels) -> Unit:
    """A township with many tiny cells (0–4 mostly), internally consistent."""

    def small() -> int:
        return rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 14])

    cells: dict[str, int | str] = {}
    sexes = [small() for _ in SEX]
    e = sum(sexes)
    for (m, _), v in zip(SEX, sexes, strict=True):
        cells[m] = v

    def partition(group: tuple[tuple[str, str], ...]) -> None:
        left = e
        for j, (m, _) in enumerate(group):
            v = left if j == len(group) - 1 else rng.randint(0, left)
            cells[m] = v
            left -= v

    for group in (AGE, NATIONALITY, IDENTITY, labels.placements):
        partition(group)
    closed = small()
    cells.update({"open_end": e, "closed": closed, "open_year": e + closed, "new": rng.randint(0, e + closed)})
    for m, _ in labels.services:
        cells[m] = small()
    cells["svc_total"] = sum(int(cells[m]) for m, _ in labels.services)
    cells["persons_assisted"] = rng.randint(0, int(cells["svc_total"]))
    for m, _ in labels.outcomes:
        cells[m] = small()
    r = sum(int(cells[m]) for m, _ in labels.outcomes)
    cells.update({"ref_total": r, "ref_green": rng.randint(0, r), "ref_overdue": rng.randint(0, r)})
    due = small() + small()
    done = rng.randint(0, due)
    cells.update({"fu.due": due, "fu.done": done, "fu.overdue": rng.randint(0, due - done),
                  "fu.visited": rng.randint(0, e + closed)})
    return Unit(code, f"乡镇{code}", cells)


def assert_protected(book: ProtectedBook) -> None:
    assert not book.unresolved
    narrow = narrow_cells(book)
    assert not narrow, narrow
    for t in book.tables:
        for row in t.cells:
            for text in row:
                assert text in ("", SMALL, HIDDEN, "—") or text.endswith("%") or (text.isdigit() and (
                    int(text) == 0 or int(text) >= 5)), text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_tiny_annual_reports_cannot_be_narrowed(seed: int) -> None:
    rng = random.Random(seed)
    labels = default_labels()
    units = [random_unit(rng, f"T{i}", labels) for i in range(rng.randint(2, 4))]
    book = annual_book(2025, units, labels)
    assert book.primary, "the random data has small cells"
    assert_protected(book)


def test_random_period_report_with_a_stock_flow_identity_cannot_be_narrowed() -> None:
    rng = random.Random(11)
    labels = default_labels()
    years = []
    for y in range(2021, 2026):
        units = [random_unit(rng, f"T{i}", labels) for i in range(2)]
        years.append(YearData(y, tuple(units)))
    book = period_book(years, labels)
    assert_protected(book)


def test_primary_only_would_leak_and_the_attacker_sees_it() -> None:
    """The attacker is not blind: a table with printed totals and one "<5" cell per row is broken."""
    b = StatBook()
    for r, (x, y) in enumerate([(3, 20), (11, 2)]):
        b.put(("a", str(r)), x)
        b.put(("b", str(r)), y)
        b.sum(("t", str(r)), [("a", str(r)), ("b", str(r))])
    b.table(TableSpec("t", "表", "行", ("a", "b", "合计"), ("0", "1"),
                      tuple(tuple(("a" if c == 0 else "b" if c == 1 else "t", str(r)) for c in range(3))
                            for r in range(2))))
    naive = b.protect()
    assert naive.complementary  # protection had to add cells
    assert_protected(naive)
    # the same book printed with primary suppression only: each small cell = row total − the other cell
    leaky = ProtectedBook(tables=tuple(
        t.__class__(**{**t.__dict__, "cells": tuple(tuple(SMALL if c.isdigit() and 0 < int(c) < 5 else c
                                                          for c in row) for row in (
            (str(3), str(20), str(23)), (str(11), str(2), str(13))))}) for t in naive.tables),
        marks={}, relations=naive.relations, primary=naive.primary, complementary=frozenset(),
        external=frozenset())
    intervals = attack(leaky)
    assert all(hi - lo < 1e-6 for lo, hi in intervals.values()) and len(intervals) == 2


def test_linked_tables_share_the_township_total() -> None:
    """The township's open files appear in six tables: suppressed consistently, protected jointly."""
    rng = random.Random(5)
    labels = default_labels()
    units = [random_unit(rng, f"T{i}", labels) for i in range(3)]
    book = annual_book(2025, units, labels)
    for u in units:
        marks = {t.cells[i][t.columns.index("合计")] for t in book.tables for i, row in enumerate(t.keys)
                 if "合计" in t.columns and row[t.columns.index("合计")] == ("2025", "open_end", u.code)}
        assert len(marks) == 1


def test_received_units_with_unknown_cells_combine_and_stay_protected() -> None:
    rng = random.Random(8)
    labels = default_labels()
    township_book = annual_book(2025, [random_unit(rng, "R1", labels)], labels)
    received = unit_from_book(township_book, 2025, "R1", "乡镇R1", "张三")
    assert all((isinstance(v, int) and (v == 0 or v >= 5)) or v in (SMALL, HIDDEN) for v in received.cells.values())
    local = [random_unit(rng, f"T{i}", labels) for i in range(2)]
    book = annual_book(2025, [*local, received], labels)
    assert book.external  # the received "<5"/"×" cells are unknown here
    assert_protected(book)


def test_a_book_that_cannot_be_protected_is_never_published(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from fanguai_desk.domain.errors import ValidationError
    from fanguai_desk.services import statistics

    book = annual_book(2025, [random_unit(random.Random(4), "T1", default_labels())], default_labels())
    assert statistics._checked(book) is book
    with pytest.raises(ValidationError) as err:
        statistics._checked(replace(book, unresolved=frozenset({("2025", "new", "T1")})))
    assert err.value.code == "statistics_unprotectable"
