"""``victim close|reopen|transfer|delete``, ``worklist`` and the dashboard's stable keys, through ``main(argv)``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.store.clock import local_today
from tests.cli.conftest import run_fail, run_json
from tests.conftest import USER_PASSWORD

TODAY = local_today()
DASHBOARD_KEYS = {"files_without_plan", "files_without_contact", "school_age_without_school", "turning_16",
                  "turning_18", "unidentified_past_threshold", "referrals_urgent"}


def test_close_reopen_via_cli(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ("--data", str(reg))
    vid = run_json(capsys, *d, "victim", "add", "--alias", "命令行", "--estimated-birth-year", "2001")["id"]  # type: ignore[index]
    run_json(capsys, *d, "followup", "plan", vid, "--date", (TODAY + timedelta(days=9)).isoformat())
    ob = run_json(capsys, *d, "victim", "obligations", vid)
    assert isinstance(ob, dict) and len(ob["planned_visits"]) == 1
    assert "须说明" not in run_fail(capsys, *d, "victim", "close", vid, "--reason", "other")  # needs a note
    out = run_json(capsys, *d, "victim", "close", vid, "--reason", "repatriated")
    assert isinstance(out, dict) and out["result"]["visits_cancelled"] == 1 and out["result"]["retention_until"]
    err = run_fail(capsys, *d, "followup", "plan", vid, "--date", (TODAY + timedelta(days=9)).isoformat())
    assert "已结案" in err
    assert "至少" in run_fail(capsys, *d, "victim", "reopen", vid, "--reason", "急！")
    run_json(capsys, *d, "victim", "reopen", vid, "--reason", "本人回到本乡居住")
    shown = run_json(capsys, *d, "victim", "show", vid)
    assert isinstance(shown, dict) and shown["victim"]["status"] == "open"


def test_help_lists_the_reason_codes(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["victim", "close", "--help"])
    text = capsys.readouterr().out
    for code in ("returned_home", "repatriated", "transferred", "death", "merged_duplicate", "other"):
        assert code in text


def test_transfer_delete_worklist_and_dashboard_keys(reg: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    d = ("--data", str(reg))
    monkeypatch.setenv("FANGUAI_NEW_PASSWORD", USER_PASSWORD)
    assert main([*d, "user", "add", "bm1", "--role", "caseworker", "--township", "白马镇"]) == 0
    vid = run_json(capsys, *d, "victim", "add", "--name", "王某某", "--estimated-birth-year", "2001")["id"]  # type: ignore[index]
    dash = run_json(capsys, *d, "dashboard")
    assert isinstance(dash, dict) and dash.keys() >= DASHBOARD_KEYS and dash["files_without_plan"] == 1
    listed = run_json(capsys, *d, "worklist", "files_without_plan")
    assert isinstance(listed, dict) and listed["total"] == 1 and listed["rows"][0]["victim_id"] == vid
    assert run_json(capsys, *d, "worklist", "files_without_plan", "--township", "白马镇")["total"] == 0  # type: ignore[index]
    moved = run_json(capsys, *d, "victim", "transfer", vid, "--township", "白马镇")
    assert isinstance(moved, dict) and moved["township"] == "白马镇" and moved["caseworker_id"]
    assert run_json(capsys, *d, "worklist", "files_without_plan", "--township", "白马镇")["total"] == 1  # type: ignore[index]
    assert "至少" in run_fail(capsys, *d, "victim", "delete", vid, "--reason", "错")
    out = run_json(capsys, *d, "victim", "delete", vid, "--reason", "重复录入的误建档案")
    assert isinstance(out, dict) and out["records"] >= 1
    assert run_json(capsys, *d, "dashboard")["files_without_plan"] == 0  # type: ignore[index]
