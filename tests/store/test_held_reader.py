"""The registry's held read connection (``Registry.reader``, issue 16): the list's and the search's plain-row reads
run on one connection kept open instead of a pool checkout and reset per call.

It must never show stale data (no snapshot kept between statements), never hold the write-ahead log back, stay
on the thread that owns it, recover from a failed statement, and be given back wherever the registry's
connections are: closing (sign-out, locking), re-keying — after which the registry opens again at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy.exc
import sqlcipher3

from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.registry import Registry
from tests.conftest import ADMIN_PASSWORD, make_desk


def _driver(desk: Desk) -> object:
    with desk.read_rows() as conn:
        return conn.connection.driver_connection


def _names(desk: Desk, text: str) -> list[str]:
    return [r.display_name for r in desk.victims.page(VictimQuery(text=text)).rows]


def test_reads_share_one_connection_that_holds_no_transaction(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    first = _driver(desk)
    desk.victims.page(VictimQuery(text="张"))
    desk.victims.count(VictimQuery(text="张"))
    assert _driver(desk) is first
    with desk.read_rows() as conn:
        assert not conn.in_transaction()
        assert not conn.connection.driver_connection.in_transaction  # type: ignore[union-attr]


def test_a_commit_on_another_connection_is_seen_by_the_next_read(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    assert len(_names(desk, "张")) == 1 and desk.victims.count(VictimQuery(text="张")) == 1
    desk.victims.register({"name": "张无忌", "sex": "M", "birth_date": "1991-02-03"})  # a write transaction
    assert len(_names(desk, "张")) == 2 and desk.victims.count(VictimQuery(text="张")) == 2
    assert desk.victims.count() == 2


def test_the_held_reader_does_not_hold_the_write_ahead_log_back(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    _names(desk, "张")
    with desk.registry.engine.connect() as other:
        busy, _log, _done = other.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    assert busy == 0  # a reader in the middle of a snapshot would make a truncating checkpoint busy
    assert (desk.registry.data_dir / "registry.db-wal").stat().st_size == 0


def test_a_block_that_began_a_transaction_on_it_is_rolled_back(desk: Desk) -> None:
    with desk.read_rows() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM victims").scalar()  # SQLAlchemy begins a transaction
        assert conn.in_transaction()
    with desk.read_rows() as conn:
        assert not conn.in_transaction()


def test_a_failed_statement_leaves_the_reader_usable(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    with pytest.raises(sqlcipher3.dbapi2.OperationalError), desk.read_rows() as conn:
        conn.connection.driver_connection.execute("SELECT no_such_column FROM victims")  # type: ignore[union-attr]
    with pytest.raises(sqlalchemy.exc.OperationalError), desk.read_rows() as conn:
        conn.exec_driver_sql("SELECT no_such_column FROM victims")  # inside a transaction SQLAlchemy began
    with desk.read_rows() as conn:
        assert not conn.in_transaction()
    assert len(_names(desk, "张")) == 1


def test_another_thread_reads_on_its_own_pooled_connection(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    mine = _driver(desk)
    seen: dict[str, object] = {}

    def work() -> None:
        seen["driver"] = _driver(desk)
        seen["names"] = _names(desk, "张")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["driver"] is not mine
    assert seen["names"] == _names(desk, "张")
    assert _driver(desk) is mine


def test_signing_out_gives_it_back_and_the_registry_opens_again(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    held = _driver(desk)
    desk.close()
    with pytest.raises(sqlcipher3.dbapi2.ProgrammingError):  # closed
        held.execute("SELECT 1")  # type: ignore[attr-defined]
    again = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)  # not registry_in_use
    try:
        assert len(_names(again, "张")) == 1
    finally:
        again.close()


def test_close_connections_closes_the_held_reader_too(desk: Desk) -> None:
    held = _driver(desk)
    registry: Registry = desk.registry
    registry.close_connections()
    with pytest.raises(sqlcipher3.dbapi2.ProgrammingError):
        held.execute("SELECT 1")  # type: ignore[attr-defined]
    assert desk.victims.count() == 0  # a new one is taken when needed


def test_searches_before_and_after_a_rekey(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    held = _driver(desk)
    assert len(_names(desk, "张")) == 1
    desk.users.rekey()  # PRAGMA rekey needs the only connection: the held reader is given back first
    with pytest.raises(sqlcipher3.dbapi2.ProgrammingError):
        held.execute("SELECT 1")  # type: ignore[attr-defined]
    assert len(_names(desk, "张")) == 1 and desk.victims.count(VictimQuery(text="张")) == 1


def test_threads_reading_first_at_once_leave_one_held_reader_and_nothing_checked_out(desk: Desk) -> None:
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    start = threading.Barrier(4)
    seen: list[list[str]] = []

    def work() -> None:
        start.wait()
        seen.append(_names(desk, "张"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [["张**"]] * 4
    assert desk.registry.engine.pool.checkedout() == 1  # type: ignore[attr-defined]  (the held one)


def test_an_import_transaction_begins_without_the_held_reader(desk: Desk) -> None:
    """An import sizes a large page cache of its own (store/engine.larger_page_cache): the held reader's, up to
    64 MiB, is emptied and given back first, so the two never add up; reads take a connection again after."""
    desk.victims.register({"name": "张三丰", "sex": "M", "birth_date": "1990-02-03"})
    assert _names(desk, "张") and desk.registry._held is not None
    with desk.uow.tx_or_dry_run(True) as s:
        assert desk.registry._held is None
        assert s.connection().exec_driver_sql("SELECT count(*) FROM victims").scalar() == 1
    assert len(_names(desk, "张")) == 1 and desk.registry._held is not None
    assert desk.registry.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
