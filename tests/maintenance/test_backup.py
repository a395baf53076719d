"""Encrypted backups: taken while the app is open, opened by the registry's own passwords, verified
without restoring, restored only into an empty folder, rotated, and never readable without a password."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import RegistryError, UnlockError
from fanguai_desk.services import maintenance
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import backup
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.models import TRACKED_MODELS, AuditEntry, EpochBase, RegistryMeta
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.helpers import content_fingerprint
from tests.maintenance.sqlcipher_pages import contains_text

NAME = "备份测试人甲"


def register(desk: Desk, name: str = NAME) -> str:
    vid, _ = desk.victims.register({"name": name, "sex": "F", "birth_date": "2012-03-04",
                                    "notes": "备注：" + name})
    return vid


def data_fingerprint(desk: Desk) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every table but the ones every sign-in and backup write to (audit log, its head, backup time) and what a
    restore records of its new delivery epoch (the epoch in registry_meta, the records' bases in epoch_bases:
    store/epoch_bases.py)."""
    return [(t, rows) for t, rows in content_fingerprint(desk)
            if t not in ("audit_log", "registry_meta", "epoch_bases")]


def test_backup_while_open_restores_with_the_same_passwords(desk: Desk, tmp_path: Path) -> None:
    register(desk)
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    result = desk.maintenance.backup(tmp_path / "b.fgbak")
    register(desk, "备份之后的人")  # the app keeps working; this one is not in the backup
    assert result.path.exists() and result.size > 0

    restored = maintenance.restore(result.path, tmp_path / "restored", "cw1", USER_PASSWORD)
    assert restored.data_dir == tmp_path / "restored"
    copy = Desk.unlock(tmp_path / "restored", "admin", ADMIN_PASSWORD)  # any of the registry's passwords
    try:
        names = {r.display_name for r in copy.victims.list_rows()}
        assert len(names) == 1
        assert copy.registry.registry_id == desk.registry.registry_id
        with copy.read() as s:
            actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
        assert AuditAction.RESTORE in actions  # the restore itself is in the audit log
    finally:
        copy.close()


def test_restored_registry_equals_the_registry_at_backup_time(demo_desk: Desk, tmp_path: Path) -> None:
    before = data_fingerprint(demo_desk)
    result = demo_desk.maintenance.backup(tmp_path / "b.fgbak")
    maintenance.restore(result.path, tmp_path / "r", "admin", ADMIN_PASSWORD)
    copy = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    try:
        assert data_fingerprint(copy) == before
        with copy.read() as s:  # the new epoch's base: every record, at the version the backup held
            bases = {r.record_id: r.version for r in s.scalars(select(EpochBase))}
            held = {rid: v for m in TRACKED_MODELS for rid, v in s.execute(select(m.id, m.version))}
        assert bases == held and len(held) > 60
    finally:
        copy.close()


def test_backup_records_its_time_and_an_audit_entry(desk: Desk, tmp_path: Path) -> None:
    service = desk.maintenance
    assert service.backup_status().due and service.backup_status().last_backup_at is None
    result = service.backup(tmp_path / "b.fgbak")
    status = service.backup_status()
    assert status.last_backup_at == result.created_at and not status.due and status.days_since == 0
    assert service.backup_status(now=utcnow() + timedelta(days=8)).due  # reminder after 7 days by default
    with desk.read() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert entry.action is AuditAction.BACKUP and json.loads(entry.detail)["size"] == result.size


def test_reminder_days_are_a_setting(desk: Desk) -> None:
    service = desk.maintenance
    service.set_backup_settings(reminder_days=30, keep=4)
    status = service.backup_status()
    assert status.reminder_days == 30 and status.keep == 4


def test_rotation_keeps_the_last_n(desk: Desk, tmp_path: Path) -> None:
    service = desk.maintenance
    service.set_backup_settings(folder=tmp_path / "backups")
    made = [service.backup(keep=3).path for _ in range(5)]
    kept = service.list_backups()
    assert kept == list(reversed(made[-3:]))
    assert not made[0].exists() and not made[1].exists()
    other = tmp_path / "backups" / "unrelated.fgbak"
    other.write_bytes(b"not ours")
    service.backup(keep=3)
    assert other.exists()  # rotation only ever deletes this registry's own backups


def test_verify_checks_without_restoring(desk: Desk, tmp_path: Path) -> None:
    register(desk)
    result = desk.maintenance.backup(tmp_path / "b.fgbak")
    checked = maintenance.verify(result.path, None, ADMIN_PASSWORD)
    assert checked.ok and checked.files == 1
    assert {c.code for c in checked.checks} >= {"cipher_integrity", "integrity", "audit_chain", "schema"}
    assert checked.manifest.registry_id == desk.registry.registry_id
    assert not (tmp_path / "restored").exists()
    with pytest.raises(UnlockError):
        maintenance.verify(result.path, None, "wrong-password-123")


def test_a_damaged_backup_is_refused_by_name(desk: Desk, tmp_path: Path) -> None:
    register(desk)
    good = desk.maintenance.backup(tmp_path / "b.fgbak").path
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("registry.db")
    flip_at = info.header_offset + 30 + len(info.filename) + 4096 * 2 + 100  # inside the third page
    data[flip_at] ^= 0xFF
    bad = tmp_path / "bad.fgbak"
    bad.write_bytes(bytes(data))
    with pytest.raises(RegistryError) as err:
        maintenance.verify(bad, None, ADMIN_PASSWORD)
    assert err.value.code == "backup_damaged" and err.value.params["member"] == "registry.db"
    with pytest.raises(RegistryError) as err:
        maintenance.restore(bad, tmp_path / "r", None, ADMIN_PASSWORD)
    assert err.value.code == "backup_damaged"
    assert not (tmp_path / "r").exists()  # nothing half-restored
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.restoring")]

    (tmp_path / "junk.fgbak").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RegistryError) as err:
        maintenance.inspect(tmp_path / "junk.fgbak")
    assert err.value.code == "backup_unreadable"
    with pytest.raises(RegistryError) as err:
        maintenance.inspect(tmp_path / "missing.fgbak")
    assert err.value.code == "backup_missing"


def test_a_tampered_snapshot_with_matching_hashes_fails_the_page_check(desk: Desk, tmp_path: Path) -> None:
    """Someone who rewrites the manifest to match still cannot get a changed page past SQLCipher's HMAC."""
    register(desk)
    good = desk.maintenance.backup(tmp_path / "b.fgbak").path
    with zipfile.ZipFile(good) as zf:
        db = bytearray(zf.read("registry.db"))
        slots = zf.read("keyslots.json")
        manifest = json.loads(zf.read("manifest.json"))
    db[4096 * 3 + 200] ^= 0x01
    import hashlib

    manifest["members"]["registry.db"] = {"sha256": hashlib.sha256(db).hexdigest(), "size": len(db)}
    forged = tmp_path / "forged.fgbak"
    with zipfile.ZipFile(forged, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("registry.db", bytes(db))
        zf.writestr("keyslots.json", slots)
    checked = maintenance.verify(forged, None, ADMIN_PASSWORD)
    assert not checked.ok
    cipher = next(c for c in checked.checks if c.code == "cipher_integrity")
    assert cipher.status == "fail"
    with pytest.raises(RegistryError):
        maintenance.restore(forged, tmp_path / "r", None, ADMIN_PASSWORD)
    assert not (tmp_path / "r").exists()


def test_restore_refuses_a_non_empty_target(desk: Desk, tmp_path: Path) -> None:
    result = desk.maintenance.backup(tmp_path / "b.fgbak")
    target = tmp_path / "occupied"
    target.mkdir()
    (target / "something.txt").write_text("keep me")
    with pytest.raises(RegistryError) as err:
        maintenance.restore(result.path, target, None, ADMIN_PASSWORD)
    assert err.value.code == "restore_target_not_empty"
    assert (target / "something.txt").read_text() == "keep me"
    with pytest.raises(RegistryError):
        maintenance.restore(result.path, desk.registry.data_dir, None, ADMIN_PASSWORD)
    empty = tmp_path / "empty"
    empty.mkdir()
    maintenance.restore(result.path, empty, None, ADMIN_PASSWORD)  # an empty folder is fine
    assert (empty / "registry.db").exists() and (empty / "keyslots.json.bak").exists()


def test_a_wrong_password_restores_nothing(desk: Desk, tmp_path: Path) -> None:
    result = desk.maintenance.backup(tmp_path / "b.fgbak")
    with pytest.raises(UnlockError):
        maintenance.restore(result.path, tmp_path / "r", None, "not-the-password-1")
    assert not (tmp_path / "r").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["b.fgbak", "registry"]


def test_backup_file_holds_no_plaintext_personal_data(desk: Desk, tmp_path: Path) -> None:
    register(desk)
    path = desk.maintenance.backup(tmp_path / "b.fgbak").path
    blob = path.read_bytes()
    assert not contains_text(blob, NAME)
    assert not contains_text(blob, "青龙镇")
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {"manifest.json", "registry.db", "keyslots.json"}
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        manifest = json.loads(zf.read("manifest.json"))
    assert set(manifest) == {"format", "kind", "registry_id", "installation_id", "schema_revision", "created_at",
                             "created_by", "program_version", "members", "sequence"}


def test_slots_lost_on_both_copies_come_back_from_a_backup(desk: Desk, tmp_path: Path) -> None:
    """The database key never changes, so any backup's slots open today's database."""
    path = desk.maintenance.backup(tmp_path / "b.fgbak").path
    register(desk, "备份之后登记的人")  # newer than the backup: must survive
    data_dir = desk.registry.data_dir
    desk.close()
    (data_dir / "keyslots.json").write_bytes(b"\x00garbage")
    (data_dir / "keyslots.json.bak").unlink()
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_corrupt"
    (data_dir / "keyslots.json").unlink()
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_missing"

    maintenance.restore_slots(path, data_dir, "admin", ADMIN_PASSWORD)
    again = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    try:
        assert len(again.victims.list_rows()) == 1  # today's data, not the backup's
        with again.read() as s:
            last_ops = [json.loads(e.detail).get("op") for e in s.scalars(select(AuditEntry))]
        assert "slots_restored" in last_ops
    finally:
        again.close()


def test_slots_from_another_registry_are_refused(desk: Desk, tmp_path: Path) -> None:
    from tests.conftest import make_desk

    other = make_desk(tmp_path / "other")
    foreign = other.maintenance.backup(tmp_path / "foreign.fgbak").path
    other.close()
    data_dir = desk.registry.data_dir
    desk.close()
    with pytest.raises(RegistryError) as err:  # its key does not open this database: nothing is written
        maintenance.restore_slots(foreign, data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_mismatch"
    Desk.unlock(data_dir, "admin", ADMIN_PASSWORD).close()


def test_last_backup_time_is_not_personal(desk: Desk, tmp_path: Path) -> None:
    desk.maintenance.backup(tmp_path / "b.fgbak")
    with desk.read() as s:
        keys = set(s.scalars(select(RegistryMeta.key)))
    assert "last_backup_at" in keys


def test_rotation_name_is_unique_and_sortable(tmp_path: Path) -> None:
    rid = "12345678-aaaa-bbbb-cccc-000000000000"
    first = backup.rotation_name(tmp_path, rid)
    first.write_bytes(b"")
    second = backup.rotation_name(tmp_path, rid)
    assert first != second and first.name.startswith("fanguai-12345678-")


def test_a_backup_from_a_newer_program_is_not_called_damaged(desk: Desk, tmp_path: Path) -> None:
    good = desk.maintenance.backup(tmp_path / "b.fgbak").path
    newer = tmp_path / "newer.fgbak"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "manifest.json":
                doc = json.loads(data)
                doc["schema_revision"] = "9999_future"
                data = json.dumps(doc).encode()
            dst.writestr(item, data)
    for attempt in (lambda: maintenance.verify(newer, None, ADMIN_PASSWORD),
                    lambda: maintenance.restore(newer, tmp_path / "r", None, ADMIN_PASSWORD)):
        with pytest.raises(RegistryError) as err:
            attempt()
        assert err.value.code == "backup_newer" and err.value.params["found"] == "9999_future"
    assert not (tmp_path / "r").exists()


def test_rotation_keeps_the_newest_even_after_the_clock_went_back(desk: Desk, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Rotation follows the manifests' sequence numbers: a backup named a year "earlier" (clock corrected
    backwards) is still the newest and is kept."""
    from datetime import datetime as real_datetime

    service = desk.maintenance
    service.set_backup_settings(folder=tmp_path / "bk")
    folder = service.backup_status().folder
    made = [service.backup(keep=2).path for _ in range(2)]

    class YearAgo(real_datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
            return real_datetime.now(tz) - timedelta(days=365)

    monkeypatch.setattr(backup, "datetime", YearAgo)
    newest = service.backup(keep=2)
    monkeypatch.undo()
    kept = backup.rotated_backups(folder, desk.registry.registry_id)
    assert kept[0] == newest.path and newest.path.exists()
    assert made[1] in kept and not made[0].exists()
    assert [backup.read_manifest(p).sequence for p in kept] == [3, 2]
