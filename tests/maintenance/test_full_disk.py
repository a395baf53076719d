"""A full disk is not a corruption: signing in to read works, views and prints stay on the record, writes fail
with a clear message and leave nothing behind, doctor says "disk full — free space" with how much.

How the disk is filled: a real 4 MB tmpfs mounted for the test (the ``small_disk`` fixture of
test_disk_and_media.py), filled to the last byte by a file.  This is the same condition a laptop meets: the
kernel answers ENOSPC, SQLite answers SQLITE_FULL or cannot create its ``-shm`` index.  RLIMIT_FSIZE was not
used because it gives EFBIG/SIGXFSZ for one process, not ENOSPC for the whole disk (doctor and the other
files would not see it), nor SQLite's ``max_page_count`` (only the database, not the WAL index or the key
slots).  Mounting needs root or CAP_SYS_ADMIN; elsewhere the tests are skipped (they run in this project's CI,
which runs as root)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk, disk_full_warning
from fanguai_desk.store import audit, doctor, pending_audit
from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.models import AuditEntry
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_desk
from tests.helpers import content_fingerprint
from tests.maintenance.test_disk_and_media import fill, small_disk  # noqa: F401  (the tmpfs fixture)


def _registry_on_full_disk(small_disk: Path) -> tuple[Path, str, Path]:  # noqa: F811
    data = small_disk / "registry"
    desk = make_desk(data)
    victim_id, _ = desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    desk.close()
    assert (data / pending_audit.NOTE_FILE).stat().st_size == pending_audit.NOTE_BYTES  # reserved at open
    return data, victim_id, fill(small_disk, leave=0)


def test_reading_and_printing_work_on_a_full_disk_and_are_audited_once_space_returns(
        small_disk: Path, tmp_path: Path) -> None:  # noqa: F811
    data, victim_id, filler = _registry_on_full_disk(small_disk)
    assert doctor.shutil.disk_usage(small_disk).free < doctor.FULL_DISK_BYTES
    slots_before = (data / "keyslots.json").read_bytes()

    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD)  # not an error: opened to read
    try:
        assert desk.registry.readonly and desk.registry.disk_full
        warning = disk_full_warning(desk.registry)
        assert warning is not None and warning.params["need_mb"] >= 60
        assert [r.id for r in desk.victims.list_rows()] == [victim_id]
        assert desk.victims.open_file(victim_id).victim.id == victim_id  # viewing is audited (in the note)
        pdf = desk.reports.file_summary(victim_id, sign=False)  # print to a location with space
        (tmp_path / "summary.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        before = content_fingerprint(desk)
        for write in (lambda: desk.victims.register({"alias": "小明", "estimated_birth_year": 2011}),
                      lambda: desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")):
            with pytest.raises(RegistryError) as err:
                write()
            assert err.value.code == "disk_full"
        assert content_fingerprint(desk) == before  # nothing half-written
        assert (data / "keyslots.json").read_bytes() == slots_before  # no slot without its user
        secrets = KeySlotStore(data).unlock("admin", ADMIN_PASSWORD)
        report = doctor.check_registry(data, secrets)
        full = report.check("disk_space")
        assert full is not None and full.message == "doctor_disk_full" and full.params["need_mb"] >= 60
        assert report.title == "doctor_status_disk_full"  # "free space", never "restore a backup"
        assert [c.code for c in report.checks if c.status is doctor.Status.FAIL] == ["disk_space"]
    finally:
        desk.close()

    filler.unlink()  # space again
    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD)
    try:
        assert not desk.registry.readonly
        with desk.read() as s:
            deferred = [(e.action, json.loads(e.detail)) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
                        if "deferred" in json.loads(e.detail)]
        assert [a for a, _ in deferred] == [AuditAction.LOGIN, AuditAction.READ, AuditAction.PRINT,
                                            AuditAction.LOGOUT]
        assert all(d["deferred"] == "disk_full" and d["noted_at"] for _, d in deferred)
        with desk.read() as s:
            assert audit.verify_chain(s).ok
        desk.victims.register({"alias": "空间恢复后", "estimated_birth_year": 2010})
    finally:
        desk.close()
    assert (data / pending_audit.NOTE_FILE).read_bytes().strip() == b""  # blanked, still reserved
    again = Desk.unlock(data, "admin", ADMIN_PASSWORD)  # copied once, never twice
    with again.read() as s:
        count = sum(1 for e in s.scalars(select(AuditEntry)) if "deferred" in json.loads(e.detail))
    again.close()
    assert count == 4


def test_a_forged_note_is_not_copied_into_the_audit_log(small_disk: Path) -> None:  # noqa: F811
    data, _, filler = _registry_on_full_disk(small_disk)
    filler.unlink()
    fake = {"id": "x", "entries": [{"action": "purge", "user": None, "at": "2026-01-01T00:00:00"}], "mac": "0" * 64}
    (data / pending_audit.NOTE_FILE).write_bytes(json.dumps(fake).encode().ljust(pending_audit.NOTE_BYTES))
    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD)
    with desk.read() as s:
        assert not [e for e in s.scalars(select(AuditEntry)) if "deferred" in json.loads(e.detail)]
    desk.close()


def test_cli_on_a_full_disk(small_disk: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                            capsys: pytest.CaptureFixture[str]) -> None:
    data, _, _ = _registry_on_full_disk(small_disk)
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    base = ["--data", str(data), "--user", "admin"]
    capsys.readouterr()
    assert main([*base, "victim", "list"]) == 0
    captured = capsys.readouterr()
    assert "磁盘已满" in captured.err and "只读" in captured.err
    assert main([*base, "victim", "add", "--alias", "小明", "--estimated-birth-year", "2011"]) == 1
    err = capsys.readouterr().err
    assert "磁盘已满" in err and "Traceback" not in err
    assert main([*base, "doctor"]) == 1
    out = capsys.readouterr().out
    assert "磁盘已满——请腾出空间" in out and "请从备份恢复" not in out


def test_a_wrong_password_on_a_full_disk_is_still_a_wrong_password(small_disk: Path) -> None:  # noqa: F811
    from fanguai_desk.domain.errors import UnlockError

    data, _, _ = _registry_on_full_disk(small_disk)
    with pytest.raises(UnlockError) as err:
        Desk.unlock(data, "admin", "not-the-password-2026")
    assert err.value.code == "wrong_credentials"
