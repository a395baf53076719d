"""``doctor``: one structured report (the UI shows it under 设置) and a short CLI print of it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.messages import MESSAGES
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import doctor
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.keyslots import KeySlotStore, SlotsFile
from tests.conftest import ADMIN_PASSWORD


def codes(report: doctor.DoctorReport) -> dict[str, str]:
    return {c.code: c.status.value for c in report.checks}


def test_a_healthy_registry(desk: Desk, tmp_path: Path) -> None:
    report = desk.maintenance.doctor()
    got = codes(report)
    for code in ("slots", "recovery_slot", "cipher_integrity", "integrity", "schema", "audit_chain", "disk_space",
                 "files"):
        assert got[code] == "ok", code
    assert got["backup_age"] == "warn" and report.status == "warn" and report.ok  # never backed up yet
    desk.maintenance.backup(tmp_path / "b.fgbak")
    report = desk.maintenance.doctor()
    assert codes(report)["backup_age"] == "ok" and report.status == "ok"
    later = doctor.check_registry(desk.registry.data_dir, engine=desk.registry.engine,
                                  now=utcnow() + timedelta(days=10))
    backup_check = later.check("backup_age")
    assert backup_check is not None and backup_check.message == "doctor_backup_overdue"
    assert backup_check.params == {"days": 10, "limit": 7}


def test_every_check_has_a_message_in_both_languages_with_its_parameters(desk: Desk) -> None:
    report = desk.maintenance.doctor()
    for check in report.checks:
        zh, en = MESSAGES[check.message]
        for template in (zh, en):
            assert "{" not in template.format(**check.params)
    for status in ("ok", "warn", "fail"):
        assert f"doctor_status_{status}" in MESSAGES


def test_a_tampered_audit_log_fails(desk: Desk) -> None:
    desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    with desk.registry.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET detail = '{\"tampered\": 1}' WHERE seq = 2")
    report = desk.maintenance.doctor()
    check = report.check("audit_chain")
    assert check is not None and check.status == "fail" and check.params["seq"] == 2
    assert report.status == "fail"


def test_users_without_a_slot_and_slots_without_a_user_are_flagged(desk: Desk) -> None:
    from fanguai_desk.domain.enums import Role
    from tests.conftest import USER_PASSWORD

    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    store = desk.registry.slots
    slots = store.load()
    cw1 = next(s for s in slots.slots if s.kind == "password" and s.user_id != desk.actor.user_id)
    orphan = SlotsFile(slots.installation_id, slots.registry_id,
                       [s for s in slots.slots if s is not cw1] + [type(cw1)(**{**cw1.__dict__, "user_id": "nobody"})])
    store.save(orphan)
    report = desk.maintenance.doctor()
    assert codes(report)["users_without_slot"] == "warn" and codes(report)["orphan_slots"] == "warn"


def test_doctor_without_an_open_registry_uses_only_a_read_only_look(tmp_path: Path) -> None:
    from tests.conftest import make_desk

    make_desk(tmp_path / "r").close()
    before = sorted(p.name for p in (tmp_path / "r").iterdir())
    report = doctor.check_registry(tmp_path / "r", KeySlotStore(tmp_path / "r").unlock("admin", ADMIN_PASSWORD))
    assert report.ok and codes(report)["integrity"] == "ok"
    assert sorted(p.name for p in (tmp_path / "r").iterdir() if not p.name.startswith("registry.db-")) == before


def test_cli_doctor_prints_a_short_report_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "reg"
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    assert main(["--data", str(data), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    capsys.readouterr()
    assert main(["--data", str(data), "doctor"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("体检结果") and "哈希链校验通过" in out and "从未备份" in out
    assert not re.search(r"\{[a-z_]+\}", out)
    assert main(["--lang", "en", "--data", str(data), "doctor"]) == 0
    assert "Check-up" in capsys.readouterr().out
    assert main(["--json", "--data", str(data), "doctor"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {c["code"] for c in report["checks"]} >= {"cipher_integrity", "integrity", "audit_chain", "schema",
                                                       "slots", "backup_age"}
    assert all(c["status"] in ("ok", "warn", "fail") for c in report["checks"])
