"""The engine's best plans: hand-written SQL for the same answers as our list and search paths.

The "engine" column of a search or of scrolling is not our SQL replayed (a ratio near 1 would then only say
that our SQL is as slow as itself): it is what a person writing SQLite by hand for the same answer would run
on a bare sqlcipher3 connection — the fewest branches that can match (a Chinese name never matches a file
number, letters never start one), each branch's first page read from its covering index in list order and
their UNION (the best plan measured at 100,000 files: 6 ms cold for a surname, where one OR statement read
every matching file, 16 ms), a count that SQLite answers from the indexes, the list's columns only, one
prepared statement, rows fetched as tuples.
``tests/bench/test_best_plans.py`` checks that each gives the same rows and count as the service, and that
both read the same indexes (``EXPLAIN QUERY PLAN``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ROW_SQL", "count", "full_read", "search", "search_branches", "search_rows_sql", "search_where"]

#: The list's columns (``services.victims.LIST_ROW_COLUMNS`` minus the two kept only for other sort orders).
ROW_SQL = ("SELECT v.id, v.file_number, v.name, v.alias, v.hidden_name, v.id_number, v.sex, v.birth_date, "
           "v.estimated_birth_year, t.name, v.status, v.identity_status, v.current_placement, v.rescue_date, "
           "v.attention_flag, v.version FROM victims AS v JOIN townships AS t ON t.id = v.township_id")
_END = "\U0010ffff"


def search_branches(text: str) -> tuple[list[str], list[Any]]:
    """The index ranges (and their parameters) a person would write for what the search box holds: one
    condition per kind of match that can match (their OR is the WHERE clause)."""
    q = text.strip().casefold()
    compact = q.replace(" ", "")
    if compact.isascii() and compact.isalpha():  # pinyin or initials: letters never start a file number
        return (["v.name_pinyin >= ? AND v.name_pinyin < ?", "v.name_initials >= ? AND v.name_initials < ?"],
                [compact, compact + _END, compact, compact + _END])
    if not compact.isascii():  # a name or an alias: Chinese never starts a file number
        raw = text.strip()
        return ["v.name >= ? AND v.name < ?", "v.alias >= ? AND v.alias < ?"], [raw, raw + _END, raw, raw + _END]
    upper = q.upper()
    if len(compact) == 4 and all(c.isdigit() or c in "xX" for c in compact):  # ID tail, or a number's start
        return ["v.file_number >= ? AND v.file_number < ?", "v.id_tail = ?"], [upper, upper + _END, upper]
    if len(compact) in (15, 18) and all(c.isdigit() or c in "xX" for c in compact):  # a whole ID number
        return ["v.file_number >= ? AND v.file_number < ?", "v.id_number = ?"], [upper, upper + _END, upper]
    return ["v.file_number >= ? AND v.file_number < ?"], [upper, upper + _END]


def search_where(text: str) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters): the OR of :func:`search_branches`."""
    branches, params = search_branches(text)
    return " OR ".join(f"({b})" for b in branches), params


def search_rows_sql(text: str, township_ids: list[str] | None = None,
                    limit: int = 200) -> tuple[str, list[Any]]:
    """The first ``limit`` rows in list order: one ordered, limited range per kind of match (each read from
    its covering index alone), their UNION, then only those rows read."""
    branches, params = search_branches(text)
    scope, scope_params = "", []
    if township_ids is not None:
        scope, scope_params = f" AND +v.township_id IN ({', '.join('?' * len(township_ids))})", list(township_ids)
    order = f"ORDER BY v.file_number, v.id LIMIT {int(limit)}"
    if len(branches) == 1:
        return f"{ROW_SQL} WHERE ({branches[0]}){scope} {order}", params + scope_params
    parts, all_params, at = [], [], 0
    for b in branches:
        k = b.count("?")
        parts.append(f"SELECT rid FROM (SELECT v.rowid AS rid FROM victims AS v WHERE ({b}){scope} {order})")
        all_params += params[at:at + k] + scope_params
        at += k
    return f"{ROW_SQL} WHERE v.rowid IN ({' UNION '.join(parts)}) {order}", all_params


def search(conn: Any, text: str, township_ids: list[str] | None = None, limit: int = 200) -> tuple[list[Any], int]:
    """The GUI's search by hand: the first ``limit`` rows in list order, and the count when there are more."""
    sql, params = search_rows_sql(text, township_ids, limit)
    rows = conn.execute(sql, params).fetchall()
    if len(rows) < limit:
        return rows, len(rows)
    where, params = search_where(text)
    if township_ids is not None:
        where = f"({where}) AND +v.township_id IN ({', '.join('?' * len(township_ids))})"
        params = params + township_ids
    return rows, int(conn.execute(f"SELECT count(*) FROM victims AS v WHERE {where}", params).fetchone()[0])


def count(conn: Any) -> int:
    """How many files (the list's total without a filter): SQLite counts the entries of the victims table's
    smallest index (a sum over the maintained ``file_tallies`` was measured slower: 639 rows at 100,000 files)."""
    return int(conn.execute("SELECT count(*) FROM victims").fetchone()[0])


def full_read(conn: Any) -> int:
    """One full read of the list in its order (what scrolling to the end is compared with)."""
    return len(conn.execute(f"{ROW_SQL} ORDER BY v.file_number, v.id").fetchall())
