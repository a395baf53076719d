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
