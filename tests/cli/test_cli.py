"""The command line, driven in-process through ``main(argv)`` on real registries."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.store.clock import local_today
from tests.cli.conftest import run_json
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD


def test_victim_add_from_json_show_list_search_edit(reg: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    payload = tmp_path / "v.json"
    payload.write_text(json.dumps({"name": "张三华", "sex": "F", "birth_date": "2011-03-04", "nationality": "CN",
                                   "notes": "由姑姑照顾", "township": "青龙镇",
                                   "guardians": [{"name": "张大姐", "relation": "姑姑"}]}), "utf-8")
    added = run_json(capsys, "--data", str(reg), "victim", "add", "--from-json", str(payload))
    assert isinstance(added, dict)
    vid = added["id"]
    rows = run_json(capsys, "--data", str(reg), "victim", "search", "zsh")
    assert isinstance(rows, list) and rows[0]["display_name"] == "张**"
    shown = run_json(capsys, "--data", str(reg), "victim", "show", vid)
    assert isinstance(shown, dict)
    assert "张三华" not in json.dumps(shown, ensure_ascii=False)  # masked unless --reveal
    revealed = run_json(capsys, "--data", str(reg), "victim", "show", vid, "--reveal")
    assert isinstance(revealed, dict) and revealed["revealed"]["name"] == "张三华"
    edited = run_json(capsys, "--data", str(reg), "victim", "edit", vid, "--alias", "小华")
    assert isinstance(edited, dict) and edited["version"] == 2


def test_user_errors_exit_nonzero_with_one_chinese_line_and_no_traceback(reg: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--data", str(reg), "victim", "add", "--alias", "小花", "--notes", "DNA比对结果：比中亲生父母"]) == 1
    err = capsys.readouterr().err.strip()
    assert "DNA" in err and "公安机关" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert main(["--data", str(reg), "victim", "add", "--from-json", str(tmp_path / "missing.json")]) == 1
    assert "JSON" in capsys.readouterr().err
    assert main(["--data", str(reg), "victim", "add", "--name", "王", "--birth-date", "2001-13-40"]) == 1
    assert "日期" in capsys.readouterr().err
    assert main(["--lang", "en", "--data", str(reg), "victim", "show", "no-such-id"]) == 1
    assert "not found" in capsys.readouterr().err


def test_wrong_password_exits_1_with_a_clear_message(reg: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", "wrong password")
    capsys.readouterr()
    assert main(["--data", str(reg), "dashboard"]) == 1
    assert capsys.readouterr().err.strip() == "用户名或密码错误。"


def test_followup_referral_placement_service_and_audit_commands(reg: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    d = ["--data", str(reg)]
    # 14 years old on any day the test runs (a fixed birth date makes her 16, old enough for training, one day)
    born = (local_today() - timedelta(days=14 * 365 + 60)).isoformat()
    vid = run_json(capsys, *d, "victim", "add", "--name", "李小燕", "--sex", "F", "--birth-date", born)["id"]  # type: ignore[index]
    fid = run_json(capsys, *d, "followup", "plan", vid, "--date", "2020-01-01", "--confirm-past")["id"]  # type: ignore[index]
    overdue = run_json(capsys, *d, "followup", "list", "--overdue")
    assert [r["id"] for r in overdue] == [fid]  # type: ignore[union-attr]
    rec = run_json(capsys, *d, "followup", "record", "--visit", fid, "--date", "2020-01-03", "--method",
                   "home_visit", "--living-situation", "生活稳定", "--next",
                   (local_today() + timedelta(days=30)).isoformat())
    assert rec["next_id"]  # type: ignore[index]
    assert main([*d, "service", "add", vid, "--type", "vocational_training", "--start", "2026-01-01",
                 "--willing", "yes"]) == 1
    assert "16" in capsys.readouterr().err
    assert main([*d, "referral", "add", vid, "--institution", "县法律援助中心", "--matter", "custody",
                 "--date", "2026-01-01"]) == 1
    assert "同意" in capsys.readouterr().err
    run_json(capsys, *d, "consent", "add", vid, "--scope", "referral", "--by", "guardian", "--date", "2025-12-01",
             "--guardian-name", "李大姐")
    rid = run_json(capsys, *d, "referral", "add", vid, "--institution", "县法律援助中心", "--matter", "custody",
                   "--date", "2026-01-01")["id"]  # type: ignore[index]
    run_json(capsys, *d, "referral", "update", rid, "--status", "accepted", "--date", "2026-01-03")
    run_json(capsys, *d, "placement", "add", vid, "--state", "temporary_shelter", "--date", "2025-12-01",
             "--institution", "县救助管理站")
    assert main([*d, "placement", "add", vid, "--state", "family_care", "--date", "2026-01-01",
                 "--buyer-household"]) == 1
    assert "收买家庭" in capsys.readouterr().err
    history = run_json(capsys, *d, "placement", "history", vid)
    assert len(history) == 1  # type: ignore[arg-type]
    verify = run_json(capsys, *d, "audit", "verify")
    assert verify["ok"] is True  # type: ignore[index]
    entries = run_json(capsys, *d, "audit", "list", "--limit", "100")
    assert {"create", "update", "login"} <= {e["action"] for e in entries}  # type: ignore[union-attr]


def test_user_management_and_township_scope_from_the_cli(reg: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    d = ["--data", str(reg)]
    monkeypatch.setenv("FANGUAI_NEW_PASSWORD", USER_PASSWORD)
    run_json(capsys, *d, "user", "add", "cw2", "--role", "caseworker", "--township", "白马镇")
    users = run_json(capsys, *d, "user", "list")
    assert {u["login"] for u in users} == {"admin", "cw2"}  # type: ignore[union-attr]
    run_json(capsys, *d, "victim", "add", "--alias", "青龙镇的人", "--township", "青龙镇")
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    rows = run_json(capsys, "--data", str(reg), "--user", "cw2", "victim", "list")
    assert rows == []


def test_demo_then_dashboard(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    d = ["--data", str(tmp_path / "demo")]
    out = run_json(capsys, *d, "demo", "--victims", "120", "--townships", "2", "--no-users")
    assert out["counts"]["victims"] == 120  # type: ignore[index]
    dash = run_json(capsys, *d, "dashboard")
    assert dash["open_files"] > 0  # type: ignore[index]


def test_version_reports_app_schema_and_sqlcipher(capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, "--version")
    assert info["schema"] and info["sqlcipher"].startswith("4.")  # type: ignore[index]


def test_module_entry_point_runs_without_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "fanguai_desk", "--data", str(tmp_path / "none"), "dashboard"],
                          capture_output=True, text=True, env={"FANGUAI_PASSWORD": "x", "PATH": "/usr/bin:/bin"},
                          timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "登记库" in proc.stderr


def test_victim_show_json_masks_every_identifying_field_of_every_record_until_revealed(
        reg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import random
    from datetime import date

    from fanguai_desk.domain.enums import Sex
    from fanguai_desk.domain.idnumber import synthetic_id_number

    caregiver = synthetic_id_number(random.Random(5), date(1970, 2, 3), Sex.FEMALE)
    guardian_id = synthetic_id_number(random.Random(6), date(1968, 5, 6), Sex.MALE)
    payload = tmp_path / "v.json"
    payload.write_text(json.dumps({
        "name": "欧阳小明", "sex": "M", "birth_date": "2012-03-04", "phone": "13800001234",
        "current_residence": "青禾县石桥镇柳湾村8组3号",
        "guardians": [{"name": "欧阳大海", "relation": "父亲", "phone": "13900002222",
                       "address": "青禾县石桥镇柳湾村8组3号", "id_number": guardian_id}],
        "buyer_households": [{"head_name": "石大山", "address": "白马镇桃源村5组12号"}]}), "utf-8")
    vid = run_json(capsys, "--data", str(reg), "victim", "add", "--from-json", str(payload))["id"]  # type: ignore[index]
    assert main(["--data", str(reg), "placement", "add", vid, "--state", "returned_to_birth_parents",
                 "--date", "2026-01-05", "--household-head", "欧阳大海", "--address", "青禾县石桥镇柳湾村8组3号",
                 "--caregiver-id", caregiver]) == 0
    shown = json.dumps(run_json(capsys, "--data", str(reg), "victim", "show", vid), ensure_ascii=False)
    for secret in ("欧阳小明", "欧阳大海", "13800001234", "13900002222", "柳湾村8组3号", caregiver, guardian_id,
                   "石大山", "桃源村5组12号", "2012-03-04"):
        assert secret not in shown, secret
    assert "欧阳**" in shown and "欧阳**" in shown and caregiver[:4] + "**********" + caregiver[-4:] in shown
    text_out = capsys.readouterr() and main(["--data", str(reg), "victim", "show", vid])
    assert text_out == 0 and "欧阳大海" not in capsys.readouterr().out
    revealed = run_json(capsys, "--data", str(reg), "victim", "show", vid, "--reveal")
    assert isinstance(revealed, dict)
    assert revealed["revealed"]["name"] == "欧阳小明"
    assert revealed["revealed_records"]["placements"][0]["caregiver_id_number"] == caregiver
    audit = json.dumps(run_json(capsys, "--data", str(reg), "audit", "list", "--record", vid), ensure_ascii=False)
    assert "\"action\": \"reveal\"" in audit and caregiver not in audit
