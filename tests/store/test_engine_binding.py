"""The engine's adapters for ``None`` and ``bool`` store exactly what the DB-API's fallback stored."""

from __future__ import annotations

import sqlcipher3.dbapi2

import fanguai_desk.store.engine  # noqa: F401  (registers the adapters)


def test_none_and_bool_bind_as_null_and_integer_as_before() -> None:
    conn = sqlcipher3.dbapi2.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c, d)")
    conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (None, True, False, "text"))
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [(None, False, True, None)] * 3)
    rows = conn.execute("SELECT typeof(a), a, typeof(b), b, typeof(c), c, d FROM t").fetchall()
    assert rows[0] == ("null", None, "integer", 1, "integer", 0, "text")
    assert rows[1:] == [("null", None, "integer", 0, "integer", 1, None)] * 3
    # NULL compares as NULL, not as some adapted value
    assert conn.execute("SELECT count(*) FROM t WHERE a IS ?", (None,)).fetchone() == (4,)
    assert conn.execute("SELECT count(*) FROM t WHERE b = ?", (True,)).fetchone() == (1,)
    conn.close()


def test_no_base_type_adapter_is_registered() -> None:
    """A str/int/float adapter would send every value through the slow path (the DB-API checks for one)."""
    registered = {t for t, _proto in sqlcipher3.dbapi2.adapters}
    assert not registered & {str, int, float, bytes, bytearray}
    assert {type(None), bool} <= registered
