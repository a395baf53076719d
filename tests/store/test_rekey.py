"""Key rotation (store/rekey.py): a fresh database key that every remaining user still reaches, and that no
removed user's old slot file opens."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import UnlockError
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.maintenance import recover
from fanguai_desk.store.keyslots import KdfParams, KeySlotStore
from fanguai_desk.store.rekey import key_opens
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_desk

CHEAP = KdfParams.cheap_for_tests()
NEW_ADMIN_PASSWORD = "Recovered-boss-2027"


def slots_doc(data_dir: Path) -> dict:
    return json.loads((data_dir / "keyslots.json").read_text())


def test_rekey_after_removal_locks_out_the_old_key_and_every_remaining_user_still_signs_in(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    recovery_key = desk.recovery_key
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.victims  # noqa: B018  (services load lazily)
    with desk.read() as s:
        users_before = s.execute(__import__("sqlalchemy").text("SELECT id, login FROM users ORDER BY id")).all()
    old_key = desk.database_key
    old_slots = (data / "keyslots.json").read_bytes()  # what cw2 walks away with
    stages: list[str] = []
    outcome = desk.users.remove("cw2")
    assert outcome is not None
    outcome = desk.users.rekey(progress=stages.append)  # and once more on demand: sealed keys stack up safely
    assert stages == ["seal", "checkpoint", "encrypt", "commit"]
    assert outcome.recovery_key is None  # the recovery slot has a public key: sealed, no new sheet needed
    assert outcome.unsealed_user_ids == ()
    new_key = desk.database_key
    assert new_key != old_key
    with desk.read() as s:  # nothing lost
        assert s.execute(__import__("sqlalchemy").text("SELECT id, login FROM users ORDER BY id")).all() == users_before
    desk.close()
    assert not key_opens(data, old_key)
    assert key_opens(data, new_key)
    doc = slots_doc(data)
    assert doc["epoch"] == 2 and doc["pending_epoch"] is None

    # The remaining users: their first sign-in opens the sealed key and rewraps their slot.
    cw1 = Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP)
    assert cw1.database_key == new_key
    cw1.close()
    mine = [s for s in slots_doc(data)["slots"] if s["kind"] == "password" and s["sealed"] is None]
    assert len(mine) == 1  # cw1's slot now wraps the new key directly
    again = Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP)
    assert again.database_key == new_key
    again.close()
    admin = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    assert admin.database_key == new_key
    admin.close()

    # The removed user: no slot in today's file, and their old file's key opens nothing current.
    with pytest.raises(UnlockError):
        Desk.unlock(data, "cw2", USER_PASSWORD, kdf=CHEAP)
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    (stolen / "keyslots.json").write_bytes(old_slots)
    secrets = KeySlotStore(stolen).unlock("cw2", USER_PASSWORD)
    assert secrets.database_key == old_key
    assert not any(key_opens(data, k) for k in secrets.candidate_keys)

    # The recovery key (sealed at each re-key) still recovers.
    assert recovery_key is not None
    result = recover(data, recovery_key, NEW_ADMIN_PASSWORD, kdf=CHEAP)
    back = Desk.unlock(data, result.login, NEW_ADMIN_PASSWORD, kdf=CHEAP)
    assert back.database_key == new_key
    back.close()


def test_a_user_without_a_public_key_needs_a_password_reset_and_an_old_recovery_slot_is_replaced(
        tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.users.add("cw3", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    cw1_id = desk.users._user_by_login("cw1").id
    # Slots written before key rotation existed: no public keys (cw3 signs in once before the re-key).
    store = desk.registry.slots
    slots = store.load()
    for slot in slots.slots:
        if slot.kind == "recovery" or slot.user_id != desk.actor.user_id:
            slot.public_key = ""
    store.save(slots)
    Desk.unlock(data, "cw3", USER_PASSWORD, kdf=CHEAP).close()  # records cw3's public key
    outcome = desk.users.rekey()
    assert outcome.unsealed_user_ids == (cw1_id,)
    assert outcome.recovery_key is not None  # a new recovery sheet
    desk.close()
    with pytest.raises(UnlockError):  # cw1's slot was dropped: it held only the old key
        Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP)
    Desk.unlock(data, "cw3", USER_PASSWORD, kdf=CHEAP).close()
    admin = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    admin.users.reset_password("cw1", "Reset-by-admin-2027")
    admin.close()
    Desk.unlock(data, "cw1", "Reset-by-admin-2027", kdf=CHEAP).close()
    result = recover(data, outcome.recovery_key, NEW_ADMIN_PASSWORD, kdf=CHEAP)
    assert result.login == "admin"


def test_a_pre_rekey_backup_still_opens_its_own_old_copy(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.registry.close_connections()
    with desk.read() as s:
        s.execute(__import__("sqlalchemy").text("PRAGMA wal_checkpoint(TRUNCATE)"))
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("registry.db", "keyslots.json"):
        shutil.copy2(data / name, copy / name)
    old_key = desk.database_key
    desk.users.reset_password("cw1", "Reset-after-leak-2027", compromised=True)
    desk.close()
    Desk.unlock(copy, "cw1", USER_PASSWORD, kdf=CHEAP).close()  # the old copy, with its own old key
    assert key_opens(copy, old_key) and not key_opens(data, old_key)
    with pytest.raises(UnlockError):
        Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP)
    Desk.unlock(data, "cw1", "Reset-after-leak-2027", kdf=CHEAP).close()


def test_rekey_from_the_cli_removal_and_compromised_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from fanguai_desk.cli import main

    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("FANGUAI_NEW_PASSWORD", USER_PASSWORD)
    d = ["--data", str(tmp_path / "reg")]
    assert main([*d, "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    assert main([*d, "user", "add", "cw1", "--role", "caseworker", "--township", "青龙镇"]) == 0
    assert main([*d, "user", "add", "cw2", "--role", "caseworker", "--township", "青龙镇"]) == 0
    capsys.readouterr()
    assert main([*d, "rekey"]) == 0
    out = capsys.readouterr()
    assert "新密钥" in out.out and "重新加密数据库" in out.err  # the result, and the stages as progress
    assert main(["--json", *d, "user", "remove", "cw2"]) == 0
    removed = json.loads(capsys.readouterr().out)
    assert removed["rekeyed"] is True and removed["needs_password_reset"] == []
    monkeypatch.setenv("FANGUAI_NEW_PASSWORD", "Reset-after-leak-2027")
    assert main(["--json", *d, "user", "passwd", "cw1", "--compromised"]) == 0
    assert json.loads(capsys.readouterr().out)["rekeyed"] is True
    assert slots_doc(tmp_path / "reg")["epoch"] == 3


def test_backups_before_and_after_a_rekey_restore_with_their_own_key(tmp_path: Path) -> None:
    from fanguai_desk.store.backup import restore_backup, restore_slots

    data = tmp_path / "r"
    desk = make_desk(data)
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    before = desk.maintenance.backup(tmp_path / "before.fgbak").path
    old_key = desk.database_key
    desk.users.remove("cw2")
    after = desk.maintenance.backup(tmp_path / "after.fgbak").path
    new_key = desk.database_key
    desk.close()
    # The pre-rekey backup: the removed user opens that old copy (with its old key), and only that.
    restored = restore_backup(before, tmp_path / "old-copy", "cw2", USER_PASSWORD)
    assert key_opens(restored.data_dir, old_key) and not key_opens(restored.data_dir, new_key)
    # Its slots cannot be put back into today's registry: they do not open it.
    with pytest.raises(Exception) as err:
        restore_slots(before, data, "cw1", USER_PASSWORD)
    assert getattr(err.value, "code", None) == "slots_mismatch"
    # A backup taken after the re-key, before cw1 signed in again: cw1's sealed key opens it.
    back = restore_backup(after, tmp_path / "new-copy", "cw1", USER_PASSWORD)
    assert key_opens(back.data_dir, new_key)
    Desk.unlock(back.data_dir, "cw1", USER_PASSWORD, kdf=CHEAP).close()
    with pytest.raises(UnlockError):
        restore_backup(after, tmp_path / "nothing", "cw2", USER_PASSWORD)
