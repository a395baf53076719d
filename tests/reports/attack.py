"""An attacker on a published statistics book, written independently of ``reports.disclosure``.

It reads only what is printed — the tables' strings — plus the arithmetic a reader knows (the book's
relations: totals, partitions, sub-counts), and for every suppressed cell solves min and max by linear
programming (scipy HiGHS, one LP over the whole book, counts ≥ 0, integers relaxed).  A printed rate
adds its constraint too.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog

from fanguai_desk.reports.disclosure import ProtectedBook, Rate

THRESHOLD = 5
Key = tuple[str, ...]


def printed_cells(book: ProtectedBook) -> tuple[dict[Key, str], list[tuple[Key, Key, float]]]:
    """Every printed count (the same cell prints the same everywhere) and every printed rate."""
    printed: dict[Key, str] = {}
    rates: list[tuple[Key, Key, float]] = []
    for table in book.tables:
        for keys, texts in zip(table.keys, table.cells, strict=True):
            for key, text in zip(keys, texts, strict=True):
                if isinstance(key, Rate):
                    if text.endswith("%"):
                        rates.append((key.numerator, key.denominator, float(text[:-1])))
                elif key is not None:
                    assert printed.setdefault(key, text) == text, (key, text, printed[key])
    return printed, rates


def attack(book: ProtectedBook) -> dict[Key, tuple[float, float]]:
    """Feasible interval of every printed-as-suppressed cell."""
    printed, rates = printed_cells(book)
    known = {k: int(t) for k, t in printed.items() if t.isdigit()}
    every = {k for rel in book.relations for k, _ in rel} | set(printed) | {k for r in rates for k in r[:2]}
    hidden = sorted(every - set(known))
    index = {k: i for i, k in enumerate(hidden)}
    n = len(hidden)
    a_eq, b_eq = [], []
    for rel in book.relations:
        row, const = np.zeros(n), 0.0
        for k, c in rel:
            if k in index:
                row[index[k]] += c
            else:
                const += c * known[k]
        if row.any():
            a_eq.append(row)
            b_eq.append(-const)
    a_ub, b_ub = [], []
    for num, den, pct in rates:  # |num − p·den| ≤ 0.0005·den (rounded to 0.1 %)
        lo, hi = (pct - 0.05) / 100, (pct + 0.05) / 100
        # num ≥ lo·den  →  −num + lo·den ≤ 0 ;  num ≤ hi·den  →  num − hi·den ≤ 0
        for terms in (((num, -1.0), (den, lo)), ((num, 1.0), (den, -hi))):
            row, const = np.zeros(n), 0.0
            for k, c in terms:
                if k in index:
                    row[index[k]] += c
                else:
                    const += c * known[k]
            if row.any():
                a_ub.append(row)
                b_ub.append(-const)
    out: dict[Key, tuple[float, float]] = {}
    eq = dict(A_eq=np.array(a_eq), b_eq=np.array(b_eq)) if a_eq else {}
    ub = dict(A_ub=np.array(a_ub), b_ub=np.array(b_ub)) if a_ub else {}
    for key, text in printed.items():
        if text.isdigit():
            continue
        bounds_k = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[index[key]] = sign
            res = linprog(c, bounds=[(0, None)] * n, method="highs", **eq, **ub)
            if res.status == 3:
                bounds_k.append(-math.inf if sign > 0 else math.inf)
            else:
                assert res.status == 0, (key, res.message)
                bounds_k.append(sign * res.fun)
        out[key] = (bounds_k[0], bounds_k[1])
    return out


def narrow_cells(book: ProtectedBook) -> dict[Key, tuple[float, float]]:
    """Suppressed cells whose interval is narrower than the threshold (must be empty)."""
    return {k: (lo, hi) for k, (lo, hi) in attack(book).items() if hi - lo < THRESHOLD - 1e-6}
