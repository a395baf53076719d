"""The one paging API of the services: keyset pages ("the rows after this one"), never OFFSET.

Every list a screen scrolls through — the victim list, the work lists (visits, referrals, overdue services) —
is a ``page(…, after=cursor, limit=n) -> Page[Row]`` method of its service, built on :func:`fetch_page`:

    page = desk.victims.page(VictimQuery(minors_only=True), limit=200)
    while page.next is not None:                      # None: that was the last page
        page = desk.victims.page(VictimQuery(minors_only=True), after=page.next, limit=200)

* **Order**: the sort column, then the row id ascending, always (a total order, so no row is skipped or
  repeated).  SQLite puts NULLs first ascending and last descending; pages cross the NULLs the same way.
* **Cursor**: ``Page.next`` is the last row's (sort value, id); it is opaque to callers — pass it back as
  ``after``.  It stays valid when rows are added or removed meanwhile (a removed row is simply not there;
  a row added before the cursor is not shown until the list is reloaded).
* **Cost**: each page is an index range read of ``limit`` rows however deep the user has scrolled (with
  OFFSET SQLite steps over every earlier row: about a second at row 100,000 of an encrypted registry).
  The NULL and non-NULL values of the sort column are read as two segments so that every condition is a
  plain range on the column's index (an OR with ``IS NULL`` makes SQLite scan).
* **No cap**: a work list is as long as its rows; the caller decides how many pages to fetch.
* Scope and filters are the base statement's: the service builds it (with the actor's township scope) and
  only then pages it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, and_, or_, union
from sqlalchemy.orm import Session

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["DEFAULT_PAGE", "Branches", "Cursor", "Page", "fetch_page", "keyset_plan", "make_page", "segment_statement"]

DEFAULT_PAGE = 200


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last row's sort value and id.  Opaque to callers."""

    value: Any
    id: str


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next: Cursor | None  # None: there are no more rows


@dataclass(frozen=True)
class Branches:
    """Rows of ``base`` that match any of ``conditions`` (an OR of index ranges: a search), paged as a UNION of
    one keyset page per condition.  Each branch reads its own index range in list order and stops after the
    page's ``limit`` rows (with a covering index: the index alone), so a condition that matches thousands of
    files costs a sort of its index entries, not a read of every matching file; the page is then the first
    ``limit`` of those at most ``limit × len(conditions)`` rows.

    ``branch_base`` selects ``key`` (the table's rowid) of the rows in scope and filtered; the main statement
    keeps its own columns and takes the rows whose ``key`` a branch found."""

    key: Any
    branch_base: Select[Any]
    conditions: Sequence[ColumnElement[bool]]


Segment = str  # "values" (the sort column's values) or "nulls" (its NULLs, in id order)


def keyset_plan(after: Cursor | None, *, nullable: bool, descending: bool) -> list[tuple[Segment, Cursor | None]]:
    """The segments a page after ``after`` reads, in order, each with the cursor it starts after."""
    if after is None:  # a first page: one of four plans, made once below by the rule that follows
        return list(_FIRST_PAGE[nullable, descending])
    return _plan(after, nullable=nullable, descending=descending)


def _plan(after: Cursor | None, *, nullable: bool, descending: bool) -> list[tuple[Segment, Cursor | None]]:
    in_nulls = after is not None and after.value is None and nullable
    plan: list[tuple[Segment, Cursor | None]]
    if descending:  # values first, then the NULLs
        plan = [("nulls", after)] if in_nulls else [("values", after)]
        if nullable and not in_nulls:
            plan.append(("nulls", None))
    else:  # the NULLs first, then the values
        plan = []
        if nullable and (after is None or in_nulls):
            plan.append(("nulls", after))
        plan.append(("values", None if (after is None or in_nulls) else after))
    return plan


_FIRST_PAGE = {(nullable, descending): tuple(_plan(None, nullable=nullable, descending=descending))
               for nullable in (False, True) for descending in (False, True)}


def segment_statement(base: Select[Any], segment: Segment, *, sort: Any, id_col: Any, cursor: Cursor | None,
                      limit: Any, descending: bool = False, branches: Branches | None = None) -> Select[Any]:
    """The statement of one segment of a page: the rows of ``base`` (matching ``branches``) after ``cursor``,
    at most ``limit``.  ``cursor``'s values and ``limit`` may be SQL placeholders (a statement compiled once)."""
    nullable = bool(getattr(sort, "nullable", True))

    def keyset_values(stmt: Select[Any]) -> Select[Any]:
        stmt = stmt.where(sort.is_not(None)) if nullable else stmt
        if cursor is not None:
            v, i = cursor.value, cursor.id
            stmt = stmt.where(and_(sort <= v, or_(sort < v, id_col > i)) if descending
                              else and_(sort >= v, or_(sort > v, id_col > i)))
        return stmt.order_by(sort.desc() if descending else sort.asc(), id_col).limit(limit)

    def keyset_nulls(stmt: Select[Any]) -> Select[Any]:
        stmt = stmt.where(sort.is_(None))
        if cursor is not None:
            stmt = stmt.where(id_col > cursor.id)
        return stmt.order_by(id_col).limit(limit)

    keyset = keyset_values if segment == "values" else keyset_nulls
    if branches is None:
        return keyset(base)
    if len(branches.conditions) == 1:
        return keyset(base.where(branches.conditions[0]))
    # SQLite takes ORDER BY … LIMIT inside a UNION only in a subquery.
    parts = [keyset(branches.branch_base.where(cond)).subquery() for cond in branches.conditions]
    found = union(*[part.select() for part in parts])
    return keyset(base.where(branches.key.in_(found)))


def fetch_page(s: Session | Connection, base: Select[Any], *, sort: Any, id_col: Any, after: Cursor | None, limit: int,
               descending: bool = False, scalars: bool = False, branches: Branches | None = None) -> list[Any]:
    """The rows of ``base`` after ``after`` in (``sort``, ``id_col``) order, at most ``limit``.

    ``scalars`` fetches one entity per row.  ``s`` may be a Connection: a select of columns then comes back as
    plain rows without the ORM's loading.  ``branches``: the rows of ``base`` that match any of its conditions
    (see :class:`Branches`).  The caller makes its ``Page`` with :func:`make_page`.  (The victim list runs the
    same plan and segments as statements compiled once: ``VictimService.page``.)
    """
    rows: list[Any] = []
    for segment, cursor in keyset_plan(after, nullable=bool(getattr(sort, "nullable", True)), descending=descending):
        if len(rows) >= limit:
            break
        result = s.execute(segment_statement(base, segment, sort=sort, id_col=id_col, cursor=cursor,
                                             limit=limit - len(rows), descending=descending, branches=branches))
        rows += result.scalars().unique().all() if scalars else result.all()
    return rows


def make_page(fetched: Sequence[Any], rows: list[R], limit: int, key: Callable[[Any], Cursor]) -> Page[R]:
    """A page of ``rows`` (made from ``fetched``); ``next`` is None when fewer than ``limit`` came back."""
    return Page(rows, key(fetched[-1]) if fetched and len(fetched) >= limit else None)
