"""Statistical disclosure control: the one place that decides what a published count may show.

Every table that leaves the registry — the annual and period PDFs, their ``.xlsx`` twin, the statistics-only
bundle, the dashboard charts — is built as a :class:`StatBook` and published through :meth:`StatBook.protect`.
Nothing else formats a count for publication.  The method (docs/statistics.md):

1. **Cells and relations.**  Every published number is a *cell* with a key (``("E", "T01", "F")``: files
   open at the end of the year, township T01, female).  Every arithmetic fact a reader can know about the
   cells is a *relation* ``Σ coef·cell = 0``: row, column and grand totals, a category partition whose
   total also appears in another table (linked tables share the cell key, so the township's total of open
   files is one cell in six tables), a stock-flow identity between years, a "其中" sub-count (``part +
   hidden rest = total``; the rest is a cell that is never published).  A relation is declared only when
   it holds for the data (a reader would find it true).
2. **Primary suppression.**  A published cell of 1–4 prints as "<5".
3. **Complementary suppression, audited by linear programming.**  The attacker knows every published
   value, every relation and that counts are ≥ 0.  First every relation left with a single unknown cell
   gets a second one; then for each suppressed cell :func:`failing_cells` solves max (and, if needed, min)
   of the cell under those constraints (HiGHS via scipy, integers relaxed), one independent component of
   the system at a time.  A cell fails when its interval is narrower than :data:`THRESHOLD`.  For each
   failing cell another cell of one of its relations is suppressed (preferring a cell ≥ 5, then an inner
   cell over a total, then the smallest), and the audit runs again until no cell fails.  Complementary
   cells print as "×".
4. **Rates** (percentages) are printed only when both their numerator and denominator are printed, so a
   rate never adds a constraint.

The result is checked again by the tests with an independent attacker on every report they generate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

THRESHOLD = 5
SMALL = f"<{THRESHOLD}"
HIDDEN = "×"  # complementary suppression (or a received value that is unknown here)
NO_RATE = "—"
MAX_ROUNDS = 400
_EPS = 1e-6

Key = tuple[str, ...]
Relation = tuple[tuple[Key, int], ...]  # Σ coef·cell = 0


def key_text(key: Key) -> str:
    """The key as one string (bundles, spreadsheets)."""
    return "|".join(key)


def text_key(text: str) -> Key:
    return tuple(text.split("|"))


@dataclass(frozen=True)
class Rate:
    """A percentage ``numerator ÷ denominator`` printed in a table cell."""

    numerator: Key
    denominator: Key


Cell = Key | Rate | None  # None: an empty cell


@dataclass(frozen=True)
class ChartSpec:
    """How the renderers draw a chart of a table: ``kind`` "bar" or "line"; the rows and columns plotted
    (indexes); series are columns, categories are rows (``by_row=False``) or the transpose."""

    kind: str
    title: str
    rows: tuple[int, ...]
    columns: tuple[int, ...]
    by_row: bool = False


@dataclass(frozen=True)
class TableSpec:
    id: str  # short ASCII id (spreadsheet sheet order, bundle)
    title: str  # Chinese title
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    unit: str = ""
    chart: ChartSpec | None = None
    total_rows: tuple[int, ...] = ()  # rows printed bold (合计)


@dataclass(frozen=True)
class PublishedTable:
    """A table as printed: strings only ("12", "<5", "×", "25.0%", "—")."""

    id: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    keys: tuple[tuple[Cell, ...], ...]
    unit: str = ""
    chart: ChartSpec | None = None
    total_rows: tuple[int, ...] = ()

    def numbers(self, row: int) -> list[int | None]:
        """The row's printed counts as numbers (``None`` where suppressed or not a count)."""
        return [int(c) if c.isdigit() else None for c in self.cells[row]]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "row_header": self.row_header, "unit": self.unit,
                "columns": list(self.columns), "rows": list(self.rows), "cells": [list(r) for r in self.cells]}


@dataclass(frozen=True)
class ProtectedBook:
    """What may be published: the tables as strings, and every published cell's mark."""

    tables: tuple[PublishedTable, ...]
    marks: Mapping[Key, str]  # published cell → "12" / "<5" / "×"
    relations: tuple[Relation, ...]
    primary: frozenset[Key]
    complementary: frozenset[Key]
    external: frozenset[Key]  # cells whose value is unknown here (received already protected)
    unresolved: frozenset[Key] = frozenset()  # cells the audit could not protect (should stay empty)

    def value(self, key: Key) -> int | None:
        mark = self.marks.get(key)
        return int(mark) if mark is not None and mark.isdigit() else None

    def cells(self, prefix: Key = ()) -> dict[str, str]:
        """Published cells (key text → mark) whose key starts with ``prefix``."""
        n = len(prefix)
        return {key_text(k): m for k, m in self.marks.items() if k[:n] == prefix}


@dataclass
class StatBook:
    """Collects cells, relations and tables, then :meth:`protect` decides what is printed."""

    values: dict[Key, int | None] = field(default_factory=dict)
    given_marks: dict[Key, str] = field(default_factory=dict)  # unknown cells: the mark they came with
    relations: list[Relation] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)

    def put(self, key: Key, value: int | None, mark: str | None = None) -> Key:
        """A cell's true value (``None`` with ``mark``: received already protected, value unknown here)."""
        if value is not None and value < 0:
            raise ValueError("negative count")
        self.values[key] = value
        if value is None:
            self.given_marks[key] = mark if mark in (SMALL, HIDDEN) else HIDDEN
        return key

    def get(self, key: Key) -> int | None:
        return self.values.get(key)

    def sum(self, key: Key, parts: Sequence[Key]) -> Key:
        """Define ``key`` as the sum of ``parts`` (unknown if any part is) and declare the relation."""
        vals = [self.values.get(p) for p in parts]
        total = None if any(v is None for v in vals) else sum(v for v in vals if v is not None)
        if total is None:
            self.put(key, None, HIDDEN)
        else:
            self.put(key, total)
        self.relate(key, parts)
        return key

    def relate(self, total: Key, parts: Sequence[Key], minus: Sequence[Key] = ()) -> bool:
        """Declare ``total = Σ parts − Σ minus`` when it holds (or cannot be checked: unknown cells)."""
        if not parts and not minus:
            return False
        vals = [self.values.get(k) for k in (total, *parts, *minus)]
        if all(v is not None for v in vals):
            t, *rest = vals
            if t != sum(v for v in rest[: len(parts)] if v is not None) - sum(
                    v for v in rest[len(parts):] if v is not None):
                return False
        coefs: dict[Key, int] = {total: 1}
        for p in parts:
            coefs[p] = coefs.get(p, 0) - 1
        for m in minus:
            coefs[m] = coefs.get(m, 0) + 1
        rel = tuple((k, c) for k, c in coefs.items() if c)
        if rel:
            self.relations.append(rel)
        return True

    def subset(self, part: Key, total: Key, rest: Key) -> None:
        """``part`` is a sub-count ("其中") of ``total``: ``rest`` (never published) = total − part."""
        t, p = self.values.get(total), self.values.get(part)
        self.put(rest, None if t is None or p is None else max(0, t - p), HIDDEN)
        if t is not None and p is not None and p > t:
            return
        self.relate(total, [part, rest])

    def table(self, spec: TableSpec) -> None:
        self.tables.append(spec)

    def published_keys(self) -> list[Key]:
        seen: dict[Key, None] = {}
        for t in self.tables:
            for row in t.cells:
                for c in row:
                    if isinstance(c, tuple):
                        seen[c] = None
        return list(seen)

    # ------------------------------------------------------------------ protection

    def protect(self) -> ProtectedBook:
        published = self.published_keys()
        pub = set(published)
        for k in published:
            if k not in self.values:
                raise KeyError(f"cell without a value: {key_text(k)}")
        external = {k for k in published if self.values[k] is None}
        primary = {k for k in published if (v := self.values[k]) is not None and 0 < v < THRESHOLD}
        suppressed = set(primary) | external
        relations = self._live_relations()
        by_key: dict[Key, list[int]] = {}
        for i, rel in enumerate(relations):
            for k, _c in rel:
                by_key.setdefault(k, []).append(i)
        totals = {rel[0][0] for rel in relations}
        unresolved: set[Key] = set()
        suppressed |= self._exact_pass(relations, by_key, pub, suppressed, totals)
        passed: set[Key] = set()
        for _ in range(MAX_ROUNDS):
            failing = failing_cells(self.values, relations, pub, suppressed, passed)
            if not failing:
                break
            added: set[Key] = set()
            for k in sorted(failing):
                choice = self._complement(k, relations, by_key, pub, suppressed | added, totals)
                if choice is not None:
                    added.add(choice)
            if not added:  # no single good choice left: hide every printed cell of the failing cells' relations
                added = {m for k in failing for i in by_key.get(k, ()) for m, _c in relations[i]
                         if m in pub and m not in suppressed and self.values.get(m) is not None}
            if not added:
                unresolved = failing  # nothing left to hide (the tests require this to stay empty)
                break
            suppressed |= added
        marks: dict[Key, str] = {}
        for k in published:
            v = self.values[k]
            if k in external:
                marks[k] = self.given_marks.get(k, HIDDEN)
            elif k in primary:
                marks[k] = SMALL
            elif k in suppressed:
                marks[k] = HIDDEN
            else:
                marks[k] = str(v)
        tables = tuple(self._publish(t, marks) for t in self.tables)
        return ProtectedBook(tables=tables, marks=marks, relations=tuple(relations), primary=frozenset(primary),
                             complementary=frozenset(suppressed - primary - external),
                             external=frozenset(external), unresolved=frozenset(unresolved))

    def _exact_pass(self, relations: list[Relation], by_key: Mapping[Key, list[int]], pub: set[Key],
                    suppressed: set[Key], totals: set[Key]) -> set[Key]:
        """Cheap first round: a relation whose only unknown cell is a suppressed one gives it away exactly;
        suppress a second cell of that relation (until no relation does).  The LP audit does the rest."""
        added: set[Key] = set()
        changed = True
        while changed:
            changed = False
            hidden = suppressed | added
            for rel in relations:
                unknown = [k for k, _c in rel if k in hidden or k not in pub or self.values.get(k) is None]
                if len(unknown) == 1 and unknown[0] in hidden and unknown[0] in pub:
                    choice = self._complement(unknown[0], relations, by_key, pub, hidden, totals, within=rel)
                    if choice is not None:
                        added.add(choice)
                        hidden.add(choice)
                        changed = True
        return added

    def _live_relations(self) -> list[Relation]:
        """Relations that involve at least one published cell's neighbourhood (all of them, deduplicated)."""
        seen: dict[frozenset[tuple[Key, int]], Relation] = {}
        for rel in self.relations:
            for k, _c in rel:
                self.values.setdefault(k, None)
            seen.setdefault(frozenset(rel), rel)
        return list(seen.values())

    def _complement(self, k: Key, relations: list[Relation], by_key: Mapping[Key, list[int]],
                    pub: set[Key], suppressed: set[Key], totals: set[Key],
                    within: Relation | None = None) -> Key | None:
        """The best cell to suppress next to protect ``k``: searched in ``k``'s relations (or only in
        ``within``), then outwards."""
        frontier, visited = [k], {k}
        while frontier:
            candidates: list[Key] = []
            nxt: list[Key] = []
            for f in frontier:
                rels = [within] if within is not None else [relations[i] for i in by_key.get(f, ())]
                for rel in rels:
                    for m, _c in rel:
                        if m in visited:
                            continue
                        visited.add(m)
                        if m in pub and m not in suppressed and self.values.get(m) is not None:
                            candidates.append(m)
                        elif m in suppressed or m not in pub:
                            nxt.append(m)
            if candidates:
                def exposed(m: Key) -> int:
                    # relations in which ``m`` would be the only unknown: suppressing it there gives it away
                    count = 0
                    for i in by_key.get(m, ()):
                        if all(o == m or (o in pub and o not in suppressed and self.values.get(o) is not None)
                               for o, _c in relations[i]):
                            count += 1
                    return count

                def score(m: Key) -> tuple[int, int, int, int, tuple[str, ...]]:
                    v = self.values[m] or 0
                    return (exposed(m), 0 if v >= THRESHOLD else 1 if v > 0 else 2, 1 if m in totals else 0, v, m)
                return min(candidates, key=score)
            if within is not None:
                return None
            frontier = nxt
        return None

    @staticmethod
    def _publish(t: TableSpec, marks: Mapping[Key, str]) -> PublishedTable:
        def text(c: Cell) -> str:
            if c is None:
                return ""
            if isinstance(c, Rate):
                num, den = marks.get(c.numerator, ""), marks.get(c.denominator, "")
                if not (num.isdigit() and den.isdigit()) or int(den) == 0:
                    return NO_RATE
                return f"{100 * int(num) / int(den):.1f}%"
            return marks[c]

        return PublishedTable(id=t.id, title=t.title, row_header=t.row_header, columns=t.columns, rows=t.rows,
                              cells=tuple(tuple(text(c) for c in row) for row in t.cells), keys=t.cells,
                              unit=t.unit, chart=t.chart, total_rows=t.total_rows)


# ----------------------------------------------------------------------------- the audit


def _components(unknown: set[Key], relations: Sequence[Relation]) -> list[tuple[list[Key], list[int]]]:
    parent: dict[Key, Key] = {k: k for k in unknown}

    def find(x: Key) -> Key:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in relations:
        ks = [k for k, _c in rel if k in unknown]
        for a in ks[1:]:
            ra, rb = find(ks[0]), find(a)
            if ra != rb:
                parent[ra] = rb
    groups: dict[Key, list[Key]] = {}
    for k in unknown:
        groups.setdefault(find(k), []).append(k)
    rel_of: dict[Key, list[int]] = {}
    for i, rel in enumerate(relations):
        ks = [k for k, _c in rel if k in unknown]
        if ks:
            rel_of.setdefault(find(ks[0]), []).append(i)
    return [(sorted(members), rel_of.get(root, [])) for root, members in groups.items()]


def failing_cells(values: Mapping[Key, int | None], relations: Sequence[Relation], published: set[Key],
                  suppressed: set[Key], passed: set[Key] | None = None) -> set[Key]:
    """Suppressed cells whose interval is narrower than the threshold.

    A cell passes as soon as one side of its true value has room ≥ threshold (the other side then only
    widens it), so most cells need one LP.  Suppressing more cells only widens every interval, so a cell
    in ``passed`` (updated here) is not checked again.
    """
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    known = {k: v for k in published if k not in suppressed and (v := values.get(k)) is not None}
    unknown = {k for rel in relations for k, _c in rel if k not in known} | (suppressed & published)
    failing: set[Key] = set()
    for members, rel_ids in _components(unknown, relations):
        goal = [k for k in members if k in suppressed and k in published and (passed is None or k not in passed)]
        if not goal:
            continue
        index = {k: i for i, k in enumerate(members)}
        rows, cols, data, rhs = [], [], [], []
        for r, rid in enumerate(rel_ids):
            const = 0.0
            for k, c in relations[rid]:
                if k in index:
                    rows.append(r)
                    cols.append(index[k])
                    data.append(float(c))
                else:
                    const += c * known[k]
            rhs.append(-const)
        a_eq = csr_matrix((data, (rows, cols)), shape=(len(rel_ids), len(members))) if rel_ids else None
        b_eq = rhs if rel_ids else None
        bounds = [(0.0, None)] * len(members)
        bad: set[Key] = set()

        def solve(k: Key, sign: float, n: int = len(members), index: dict[Key, int] = index,
                  a_eq: Any = a_eq, b_eq: Any = b_eq, bounds: Any = bounds) -> float:
            c_vec = [0.0] * n
            c_vec[index[k]] = sign
            res = linprog(c_vec, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status == 3:
                return math.inf if sign < 0 else -math.inf
            if res.status != 0:
                return math.nan
            return sign * float(res.fun)

        for k in goal:
            true = values.get(k)
            hi = solve(k, -1.0)
            if math.isnan(hi):
                bad.add(k)
                continue
            if true is not None and hi - true >= THRESHOLD - _EPS:
                continue
            lo = solve(k, 1.0)
            if math.isnan(lo) or hi - lo < THRESHOLD - _EPS:
                bad.add(k)
        if passed is not None:
            passed.update(k for k in goal if k not in bad)
        failing |= bad
    return failing


__all__ = [
    "HIDDEN",
    "NO_RATE",
    "SMALL",
    "THRESHOLD",
    "ChartSpec",
    "Key",
    "ProtectedBook",
    "PublishedTable",
    "Rate",
    "StatBook",
    "TableSpec",
    "failing_cells",
    "key_text",
    "text_key",
]
