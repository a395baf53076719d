"""Rollback detection (store/audit_head.py): an older ``registry.db`` copied back over the current one, or a lost
WAL tail, is reported at sign-in with how many audit entries are missing — never used silently — while a
re-key and a legitimate restore keep working.  Real SQLCipher files throughout."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.messages import render
from fanguai_desk.services import maintenance
from fanguai_desk.services.desk import Desk, rollback_warning
from fanguai_desk.store import audit_head, doctor
from fanguai_desk.store.journal import EPOCH_KEY
from fanguai_desk.store.keyslots import KdfParams, KeySlotStore
from fanguai_desk.store.models import AuditEntry, RegistryMeta, User
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_desk

CHEAP = KdfParams.cheap_for_tests()


_logins = itertools.count(1)


def _writes(desk: Desk, n: int) -> None:
    for _ in range(n):
        desk.users.add(f"cw{next(_logins)}", USER_PASSWORD, Role.CASEWORKER, "青龙镇")


def _unlock(data: Path, **kw: object) -> Desk:
    return Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP, **kw)  # type: ignore[arg-type]


def _db_files(data: Path) -> dict[str, bytes]:
    """The database's content on disk (a read-only open leaves an empty -wal and a -shm index: no content)."""
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())
            if p.name.startswith("registry.db") and not p.name.endswith("-shm") and p.stat().st_size}


def _users(data: Path) -> int:
    desk = _unlock(data, readonly=True)
    try:
        with desk.read() as s:
            return len(s.scalars(select(User.id)).all())
    finally:
        desk.registry.close()


@pytest.fixture
def copied_back(tmp_path: Path) -> tuple[Path, int]:
    """A registry whose registry.db was replaced by a copy taken before 3 more users were added."""
    data = tmp_path / "r"
    desk = make_desk(data)
    desk.close()
    old = tmp_path / "old.db"
    shutil.copyfile(data / "registry.db", old)  # a clean close leaves no -wal: the file is the whole registry
    desk = _unlock(data)
    _writes(desk, 3)
    with desk.read() as s:
        newest = s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    desk.close()
    shutil.copyfile(old, data / "registry.db")
    return data, int(newest or 0)


def test_an_older_database_copied_back_is_refused_with_the_missing_count_and_nothing_is_written(
        copied_back: tuple[Path, int]) -> None:
    data, _newest = copied_back
    before = _db_files(data)
    with pytest.raises(RegistryError) as err:
        _unlock(data)
    assert err.value.code == "registry_rolled_back_behind"
    missing = err.value.params["missing"]
    assert missing >= 5  # 3 user additions, a sign-in and a sign-out at least
    text = render(err.value, "en")
    assert f"{missing} audit entries are missing" in text and "doctor --accept-older" in text and "restore" in text
    assert "缺少" in render(err.value, "zh_CN")
    assert _db_files(data) == before  # the refusal wrote nothing into the old copy
    # Read-only still shows what is there, with the warning; doctor explains the recovery.
    ro = _unlock(data, readonly=True)
    warning = rollback_warning(ro.registry)
    assert warning is not None and warning.code == "registry_rolled_back_behind"
    ro.registry.close()
    secrets = KeySlotStore(data).unlock("admin", ADMIN_PASSWORD)
    report = doctor.check_registry(data, secrets)
    head = next(c for c in report.checks if c.code == "audit_head")
    assert head.status is doctor.Status.FAIL and head.message == "doctor_rolled_back_behind"
    assert head.params["missing"] == missing
    assert _db_files(data) == before


def test_accepting_the_older_copy_is_audited_starts_a_new_epoch_and_moves_the_head(
        copied_back: tuple[Path, int]) -> None:
    data, _ = copied_back
    probe = _unlock(data, readonly=True)
    epoch_before = probe.registry.meta(EPOCH_KEY)
    probe.registry.close()
    desk = _unlock(data, accept_older=True)
    with desk.read() as s:
        restore = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.RESTORE)).all()
        assert len(restore) == 1 and json.loads(restore[0].detail)["older_copy_accepted"] == "behind"
        assert s.get(RegistryMeta, EPOCH_KEY) is not None
    assert desk.registry.meta(EPOCH_KEY) != epoch_before  # no bundle number of the lost work is ever reused
    desk.close()
    again = _unlock(data)  # accepted once: an ordinary sign-in from now on
    assert again.registry.rollback is not None and again.registry.rollback.status == "ok"
    again.close()


def test_a_lost_wal_tail_is_detected(tmp_path: Path) -> None:
    """The -wal file holds the latest commits until a checkpoint: a copy of the folder without it is older."""
    data = tmp_path / "r"
    make_desk(data).close()  # the close checkpoints: registry.db holds the registry as made
    desk = _unlock(data)
    _writes(desk, 2)
    assert (data / "registry.db-wal").stat().st_size > 0
    lost = tmp_path / "lost"
    lost.mkdir()
    for name in ("registry.db", "keyslots.json", "keyslots.json.bak", audit_head.HEAD_FILE):
        shutil.copyfile(data / name, lost / name)
    desk.close()
    with pytest.raises(RegistryError) as err:
        _unlock(lost)
    assert err.value.code == "registry_rolled_back_behind" and err.value.params["missing"] >= 1


def test_an_older_copy_written_to_elsewhere_is_detected_as_diverged(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    desk.close()
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(data, elsewhere)
    desk = _unlock(data)
    _writes(desk, 1)
    desk.close()
    other = _unlock(elsewhere)  # the same old copy, used on its own for longer
    _writes(other, 4)
    other.close()
    shutil.copyfile(elsewhere / "registry.db", data / "registry.db")
    with pytest.raises(RegistryError) as err:
        _unlock(data)
    assert err.value.code == "registry_rolled_back_diverged"


def test_a_forged_head_file_is_not_believed(tmp_path: Path) -> None:
    """Without the database key nobody writes a head the registry accepts: a head claiming far more entries
    (which would lock everyone out as "rolled back") is reported as not authentic, audited and rewritten."""
    data = tmp_path / "r"
    make_desk(data).close()
    path = data / audit_head.HEAD_FILE
    doc = json.loads(path.read_text())
    forged = audit_head.Head(doc["registry_id"], doc["seq"] + 1000, "f" * 64)
    # Every MAC an outsider can compute: a plain hash, and an HMAC under a key that is not the registry's.
    for mac in (__import__("hashlib").sha256(forged.body()).hexdigest(),
                forged.mac(audit_head.head_key(b"\x01" * 32, doc["registry_id"]))):
        path.write_text(json.dumps({**doc, "seq": forged.seq, "hash": forged.hash, "mac": mac}))
        desk = _unlock(data)
        assert desk.registry.rollback is not None and desk.registry.rollback.status == "head_invalid"
        warning = rollback_warning(desk.registry)
        assert warning is not None and warning.code == "audit_head_invalid"
        with desk.read() as s:
            login = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.LOGIN)
                              .order_by(AuditEntry.seq.desc())).first()
        assert login is not None and json.loads(login.detail)["audit_head"] == "head_invalid"
        desk.close()
        assert json.loads(path.read_text())["seq"] < forged.seq  # rewritten from the database
        fine = _unlock(data)
        assert fine.registry.rollback is not None and fine.registry.rollback.status == "ok"
        fine.close()


def test_a_removed_head_file_is_noticed_and_made_again(tmp_path: Path) -> None:
    data = tmp_path / "r"
    make_desk(data).close()
    (data / audit_head.HEAD_FILE).unlink()
    secrets = KeySlotStore(data).unlock("admin", ADMIN_PASSWORD)
    head = next(c for c in doctor.check_registry(data, secrets).checks if c.code == "audit_head")
    assert head.status is doctor.Status.WARN and head.message == "doctor_head_missing"
    desk = _unlock(data)
    warning = rollback_warning(desk.registry)
    assert warning is not None and warning.code == "audit_head_missing"
    desk.close()
    assert (data / audit_head.HEAD_FILE).exists()
    assert (data / audit_head.HEAD_FILE).stat().st_mode & 0o777 == 0o600


def test_the_head_follows_every_commit_and_a_rekey(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    _writes(desk, 1)
    with desk.read() as s:
        newest = s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    assert json.loads((data / audit_head.HEAD_FILE).read_text())["seq"] == newest
    before_rekey = tmp_path / "before-rekey.db"
    desk.close()
    shutil.copyfile(data / "registry.db", before_rekey)
    desk = _unlock(data)
    desk.users.rekey()
    _writes(desk, 1)
    desk.close()
    after = _unlock(data)
    assert after.registry.rollback is not None and after.registry.rollback.status == "ok"
    assert "mac_next" not in json.loads((data / audit_head.HEAD_FILE).read_text())
    after.close()
    # A copy from after the re-key, copied back later, is still caught under the new key.
    copy = tmp_path / "after-rekey.db"
    shutil.copyfile(data / "registry.db", copy)
    desk = _unlock(data)
    _writes(desk, 1)
    desk.close()
    shutil.copyfile(copy, data / "registry.db")
    with pytest.raises(RegistryError) as err:
        _unlock(data)
    assert err.value.code == "registry_rolled_back_behind"


@pytest.mark.parametrize("point", ["head-rewrapped", "rekeyed", "before-commit", "committed"])
def test_a_rekey_interrupted_anywhere_leaves_a_head_that_verifies(tmp_path: Path, point: str) -> None:
    """In-process interruption at each step boundary (the SIGKILL version is in tests/maintenance/test_crash.py)."""
    data = tmp_path / "r"
    desk = make_desk(data)
    _writes(desk, 1)

    class Stop(Exception):
        pass

    def hook(where: str) -> None:
        if where == point:
            raise Stop

    with pytest.raises(Stop):
        desk.users.rekey(crash_hook=hook)
    desk.registry.close_connections()
    desk.registry._lock.release()  # type: ignore[union-attr]  (the process "died": its lock is gone)
    again = _unlock(data)
    assert again.registry.rollback is not None and again.registry.rollback.status == "ok"
    assert rollback_warning(again.registry) is None
    again.close()
    fine = _unlock(data)
    assert fine.registry.rollback is not None and fine.registry.rollback.status == "ok"
    fine.close()


def test_a_restore_moves_the_head_deliberately(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    backup = desk.maintenance.backup(tmp_path / "b.fgbak")
    _writes(desk, 2)
    desk.close()
    target = tmp_path / "restored"
    maintenance.restore(backup.path, target, "admin", ADMIN_PASSWORD)
    restored = _unlock(target)
    assert restored.registry.rollback is not None and restored.registry.rollback.status == "ok"
    with restored.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.RESTORE)).one()
    assert json.loads((target / audit_head.HEAD_FILE).read_text())["seq"] >= entry.seq
    restored.close()
    _unlock(data).close()  # the original registry is untouched by the restore


def test_cli_refuses_explains_and_accepts_an_older_copy(copied_back: tuple[Path, int], monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from fanguai_desk.cli import main

    data, _ = copied_back
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    base = ["--data", str(data), "--user", "admin", "--lang", "en"]
    capsys.readouterr()
    assert main([*base, "user", "list"]) == 1
    err = capsys.readouterr().err
    assert "audit entries are missing" in err and "Traceback" not in err
    assert main([*base, "--read-only", "user", "list"]) == 0  # looking is allowed, with the warning
    assert "audit entries are missing" in capsys.readouterr().err
    assert main([*base, "doctor"]) == 1
    out = capsys.readouterr().out
    assert "doctor --accept-older" in out
    assert main([*base, "doctor", "--accept-older"]) == 0
    capsys.readouterr()
    assert main([*base, "user", "list"]) == 0
