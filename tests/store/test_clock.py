"""``local_today`` is the local calendar day of the wall clock's instant (the day deadlines are counted in)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from fanguai_desk.store import clock


@pytest.fixture(params=["Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "UTC"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_local_today_is_the_local_date_of_the_instant(zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(16)
    instants = [datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.uniform(0, 40 * 365 * 86400))
                for _ in range(2000)]
    for day in (datetime(2026, 12, 1), datetime(2024, 2, 29), datetime(2026, 3, 8), datetime(2026, 11, 1)):
        midnight = day.astimezone()  # local midnight (naive → local), and the microseconds either side of it
        instants += [(midnight + timedelta(microseconds=d)).astimezone(UTC) for d in (-1, 0, 1)]
    for instant in instants:
        monkeypatch.setattr(clock, "wall_clock", lambda instant=instant: instant)
        assert clock.local_today() == instant.astimezone().date(), (zone, instant)
