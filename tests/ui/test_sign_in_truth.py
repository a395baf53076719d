"""After failed attempts, the next successful sign-in says how many and when."""

from __future__ import annotations

import pytest

from fanguai_desk.domain.errors import UnlockError
from fanguai_desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD


def test_the_next_sign_in_tells_of_failed_attempts(qtbot, desk, open_window) -> None:
    data_dir = desk.registry.data_dir
    desk.close()
    for _ in range(2):
        with pytest.raises(UnlockError):
            Desk.unlock(data_dir, "admin", "not the password")
    again = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert again.failed_sign_ins is not None and again.failed_sign_ins.count == 2
    assert again.failed_sign_ins.last_at is not None
    o = open_window(again)
    text = o.window.banner.text()
    assert "2 次登录失败" in text and "最近一次" in text and "年" in text and "管理员" in text
    assert o.window.banner.kind() == "warning"
    again.close()
    # Told once: the next sign-in has nothing to report.
    third = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert third.failed_sign_ins is None
    third.close()


def test_a_clock_behind_the_registry_is_shown_in_the_banner(qtbot, desk, open_window, monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from fanguai_desk.store import clock

    data_dir = desk.registry.data_dir
    monkeypatch.setattr(clock, "wall_clock", lambda: datetime.now(UTC) + timedelta(days=30))
    desk.victims.register({"name": "时钟横幅测试", "sex": "F", "birth_date": "1990-02-03"})  # worked with the clock ahead
    desk.close()
    monkeypatch.setattr(clock, "wall_clock", lambda: datetime.now(UTC))  # corrected: now behind the registry
    again = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    o = open_window(again)
    text = o.window.banner.text()
    assert "早于登记库已记录到的时间" in text and o.window.banner.kind() == "warning"
    again.close()
