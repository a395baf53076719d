"""A savepoint is not a commit: work that commits a savepoint inside a transaction that then rolls back (a
ledger dry run, a ledger with a bad row) must not move the audit head kept outside the database
(store/audit_head.py) — otherwise the next sign-in refuses the registry as rolled back."""

from __future__ import annotations

from pathlib import Path

from fanguai_desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD, make_desk


def test_a_ledger_dry_run_and_a_refused_ledger_leave_the_registry_openable(tmp_path: Path) -> None:
    data = tmp_path / "reg"
    desk = make_desk(data)
    good = tmp_path / "good.csv"
    good.write_text("姓名,性别,出生日期\n李华,女,2010-05-06\n王芳,女,2011-06-07\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,性别,出生日期\n李华,女,2010-05-06\n张三,女,2099-01-01\n", encoding="utf-8")
    assert desk.ledger.import_file(good, dry_run=True).would_create == 2
    assert desk.ledger.import_file(bad).errors  # row 2 committed in its savepoint, then all rolled back
    desk.close()

    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD)  # refused as "rolled back" before the fix
    try:
        assert desk.victims.list_rows() == []
        assert len(desk.ledger.import_file(good).created) == 2  # a real import still moves the head on
    finally:
        desk.close()
    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD)
    try:
        assert len(desk.victims.list_rows()) == 2
    finally:
        desk.close()
