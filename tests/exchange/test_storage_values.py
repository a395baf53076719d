"""The importer writes datetimes in exactly the text SQLAlchemy itself stores for them in SQLite."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, DateTime
from sqlalchemy.dialects import sqlite

from fanguai_desk.exchange.importer import _to_storage


def test_datetime_storage_text_equals_sqlalchemy_own() -> None:
    to_storage = _to_storage(Column("t", DateTime()))
    sqlalchemy_text = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert sqlalchemy_text is not None
    rng = random.Random(1201)
    moments = [datetime(1900, 1, 1) + timedelta(seconds=rng.randrange(0, 5 * 10**9),
                                                microseconds=rng.choice([0, 1, 999_999, rng.randrange(10**6)]))
               for _ in range(3000)]
    moments += [datetime(2026, 2, 28, 23, 59, 59), datetime(2024, 2, 29, 0, 0, 0, 1), datetime(9999, 12, 31, 23, 59)]
    for moment in moments:
        for text in (moment.isoformat(), moment.isoformat(" "), moment.isoformat(timespec="seconds")
                     if not moment.microsecond else moment.isoformat()):
            assert to_storage(text) == sqlalchemy_text(datetime.fromisoformat(text))
    # a zone is dropped, the wall time kept (as SQLAlchemy does for SQLite)
    aware = datetime(2026, 12, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    assert to_storage(aware.isoformat()) == sqlalchemy_text(aware.replace(tzinfo=None)) == "2026-12-01 08:30:00.000000"
    assert to_storage(None) is None


def test_a_datetime_that_is_not_one_is_malformed() -> None:
    import pytest

    from fanguai_desk.exchange.envelope import ExchangeError

    to_storage = _to_storage(Column("t", DateTime()))
    for bad in ("2024-13-01T00:00:00", "yesterday", 20240101, "2024-02-30 10:00:00"):
        with pytest.raises(ExchangeError) as caught:
            to_storage(bad)
        assert caught.value.code == "bundle_malformed"
