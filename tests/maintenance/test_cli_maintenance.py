"""The maintenance commands end to end through ``main(argv)``: backup, verify, list, restore, purge."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import closed_long_ago


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    data = tmp_path / "reg"
    assert main(["--data", str(data), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    assert main(["--data", str(data), "victim", "add", "--name", "命令行测试", "--sex", "F",
                 "--birth-date", "1990-02-03"]) == 0
    capsys.readouterr()
    return data


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(["--json", *argv]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_backup_verify_restore(reg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "one.fgbak"
    made = run_json(capsys, "--data", str(reg), "backup", "--out", str(out))
    assert isinstance(made, dict) and Path(made["path"]) == out and made["size"] > 0
    checked = run_json(capsys, "--data", str(reg), "backup", "verify", str(out))
    assert isinstance(checked, dict) and checked["files"] == 1
    assert main(["--data", str(reg), "backup", "verify", str(out)]) == 0
    assert "备份完好" in capsys.readouterr().out
    assert main(["restore", str(out), "--data", str(tmp_path / "copy")]) == 0
    assert "已恢复到" in capsys.readouterr().out
    rows = run_json(capsys, "--data", str(tmp_path / "copy"), "victim", "list")
    assert isinstance(rows, list) and len(rows) == 1
    assert main(["restore", str(out), "--data", str(reg)]) == 1
    err = capsys.readouterr().err
    assert "不是空目录" in err and "Traceback" not in err


def test_rotated_backups_and_settings(reg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "usb"
    assert main(["--data", str(reg), "backup", "settings", "--folder", str(folder), "--keep", "2"]) == 0
    for _ in range(3):
        assert main(["--data", str(reg), "backup"]) == 0
    listed = run_json(capsys, "--data", str(reg), "backup", "list")
    assert isinstance(listed, dict) and len(listed["files"]) == 2
    assert len(list(folder.glob("*.fgbak"))) == 2


def test_purge_list_dry_run_and_confirm(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, "--data", str(reg), "victim", "list")
    assert isinstance(rows, list)
    vid, number = rows[0]["id"], rows[0]["file_number"]
    from fanguai_desk.services.desk import Desk

    desk = Desk.unlock(reg, "admin", ADMIN_PASSWORD)
    desk.lifecycle.close(vid, "returned_home", closed_on="2015-03-01")
    closed_long_ago(desk, vid, date(2015, 3, 1))
    desk.close()
    due = run_json(capsys, "--data", str(reg), "purge", "list")
    assert isinstance(due, list) and [d["file_number"] for d in due] == [number]
    dry = run_json(capsys, "--data", str(reg), "purge", "run", number, "--reason", "retention_expired")
    assert isinstance(dry, dict) and dry["confirmed"] is False
    assert len(run_json(capsys, "--data", str(reg), "purge", "list")) == 1  # type: ignore[arg-type]
    assert main(["--data", str(reg), "purge", "run", number, "--reason", "retention_expired", "--confirm"]) == 0
    assert "已永久删除 1 份档案" in capsys.readouterr().out
    assert run_json(capsys, "--data", str(reg), "victim", "list") == []
    with pytest.raises(SystemExit):  # argparse refuses a reason that is not one of PIPL art. 47's
        main(["--data", str(reg), "purge", "run", number, "--reason", "because"])


def test_doctor_repair_recomputes_a_drifted_state(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A corrupted maintained column fails doctor (exit 1, the column named); --repair recomputes it."""
    from fanguai_desk.services.desk import Desk

    d = Desk.unlock(reg, "admin", ADMIN_PASSWORD)
    with d.registry.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE victims SET last_contact_on = '1901-01-01'")
    d.close()
    capsys.readouterr()
    assert main(["--lang", "en", "--data", str(reg), "doctor"]) == 1
    out = capsys.readouterr()
    assert "last_contact_on" in out.out and "Traceback" not in out.err
    assert main(["--lang", "en", "--data", str(reg), "doctor", "--repair"]) == 0
    out = capsys.readouterr()
    assert "1 files corrected" in out.err and "Maintained state consistent" in out.out
