"""Statements built once: the workbench's counts as SQL text, compiled when first needed and then only run.

Building a SQLAlchemy statement, computing its cache key and expanding its ``IN`` lists costs more than
running a count over the maintained columns (``store/state.py``): at 10,000 files the workbench spent most of
its time in Python.  So a count is built and compiled once per day, settings and scope (its builder is cached
with ``functools.lru_cache``), its values rendered as SQL literals by SQLAlchemy (dates, enum values, ids —
quoted by the dialect, never pasted by hand), and each call only executes the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement

_DIALECT = sqlite.dialect()


def compiled(stmt: ClauseElement) -> str:
    """The statement as SQLite text with its values inlined (to be cached by the caller)."""
    return str(stmt.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))


def scalar(s: Session, sql: str) -> Any:
    return s.connection().exec_driver_sql(sql).scalar()


def scalars(s: Session, sqls: dict[str, str]) -> dict[str, Any]:
    """Several counts in one statement (``SELECT (count 1), (count 2), …``): one round trip through SQLAlchemy
    and the driver instead of one per card."""
    if not sqls:
        return {}
    row = s.connection().exec_driver_sql("SELECT " + ", ".join(f"({sql})" for sql in sqls.values())).one()
    return dict(zip(sqls, row, strict=True))


def rows(s: Session, sql: str) -> list[Any]:
    return list(s.connection().exec_driver_sql(sql))


def plain_rows(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (text compiled once, named ``:placeholders``) on the connection's own DBAPI cursor: rows as
    the driver's tuples of stored values, without SQLAlchemy's per-statement context and result metadata (the
    list's and the search's hot path).  Listeners of the engine's ``before_cursor_execute`` still see the
    statement as any other (the bench's capture and replay, the plan tests)."""
    driver = conn.connection.dbapi_connection
    assert driver is not None  # a checked-out connection always has its driver's
    listeners = conn.dispatch.before_cursor_execute
    if not listeners:  # the application's case: no cursor of our own to manage
        return driver.execute(sql, params).fetchall()  # the driver's list of tuples, as it is
    cursor = driver.cursor()
    try:
        for listener in listeners:
            sql, params = listener(conn, cursor, sql, params, None, False)
        return list(cursor.execute(sql, params).fetchall())
    finally:
        cursor.close()
