"""Backup, restore and purge report their progress through fanguai_desk/progress.py (real registries, real
backup files); a refused operation never claims to have finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanguai_desk.domain.errors import RegistryError, RuleViolation
from fanguai_desk.services import maintenance
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import ProgressLog, content_fingerprint, files_due_for_purge


def test_backup_counts_the_snapshot_bytes_hashed_and_written(desk: Desk, tmp_path: Path) -> None:
    desk.demo.run(DemoSpec(victims=30, townships=1, seed=5))
    log = ProgressLog()
    result = desk.maintenance.backup(tmp_path / "b.fgbak", progress=log)
    log.assert_protocol("backup")
    assert log.stages() == ["backup_snapshot", "backup_write"]
    done, total = log.last("backup_write")
    assert done == total and total > 2 * 100_000  # the snapshot's size, twice (hash, then write)
    assert total // 2 < result.size
    assert maintenance.inspect(result.path).registry_id == desk.registry.registry_id  # a sound archive


def test_restore_reports_extract_unlock_check_finish(desk: Desk, tmp_path: Path) -> None:
    desk.demo.run(DemoSpec(victims=10, townships=1, seed=6))
    made = desk.maintenance.backup(tmp_path / "b.fgbak")
    manifest = maintenance.inspect(made.path)
    log = ProgressLog()
    maintenance.restore(made.path, tmp_path / "restored", "admin", ADMIN_PASSWORD, progress=log)
    log.assert_protocol("restore")
    assert log.stages() == ["restore_extract", "restore_unlock", "restore_check", "restore_finish"]
    size = sum(m.size for m in manifest.members.values())
    assert log.last("restore_extract") == (size, size)


def test_a_restore_with_a_wrong_password_stops_at_the_unlock(desk: Desk, tmp_path: Path) -> None:
    made = desk.maintenance.backup(tmp_path / "b.fgbak")
    log = ProgressLog()
    with pytest.raises(Exception) as err:
        maintenance.restore(made.path, tmp_path / "restored", "admin", "not-the-password-1!", progress=log)
    assert getattr(err.value, "code", None) == "wrong_credentials"
    assert log.stages() == ["restore_extract", "restore_unlock"]
    assert log.calls[-1] == ("restore_unlock", 0, 1)
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())


def test_restore_into_a_used_folder_is_refused_before_any_progress(desk: Desk, tmp_path: Path) -> None:
    made = desk.maintenance.backup(tmp_path / "b.fgbak")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x")
    log = ProgressLog()
    with pytest.raises(RegistryError):
        maintenance.restore(made.path, tmp_path / "used", "admin", ADMIN_PASSWORD, progress=log)
    assert log.calls == []
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]


def test_purge_reports_collecting_deleting_and_clearing(desk: Desk) -> None:
    ids = files_due_for_purge(desk, [f"进度测试{n}" for n in range(3)])
    log = ProgressLog()
    result = desk.purge.purge(ids, "retention_expired", progress=log)
    assert result.files == ids
    log.assert_protocol("purge")
    assert log.stages() == ["purge_collect", "purge_delete", "purge_wal"]
    done, total = log.last("purge_delete")
    assert done == total >= 1 + 3 + 3 * 2  # statements, plus a tombstone for every file and follow-up


def test_a_refused_purge_stops_at_collecting_and_writes_nothing(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "未到期", "sex": "F", "birth_date": "1980-01-01"})
    before = content_fingerprint(desk)
    log = ProgressLog()
    with pytest.raises(RuleViolation):
        desk.purge.purge([vid], "retention_expired", progress=log)
    assert log.calls == [("purge_collect", 0, 1)]
    assert content_fingerprint(desk) == before
