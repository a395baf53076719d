"""Password hygiene: strength rules on every new password, an administrator's reset of a user's slot, and
the documented path back in when the administrator password is lost — the recovery key printed once at
creation and kept only as its own key slot.

The recovery path, step by step (what an administrator is told at ``init``):
  1. ``fanguai-desk init`` prints the recovery key once; it is written down and sealed away from the laptop.
  2. The password is lost: ``fanguai-desk recover`` asks for the recovery key and a new password.
  3. The administrator signs in with the new password; the printed key no longer works and the new
     recovery key shown is sealed away instead.  The audit log records the recovery.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import AccessDenied, UnlockError, ValidationError
from fanguai_desk.services import maintenance
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.models import AuditEntry
from fanguai_desk.store.recovery import format_recovery_key, new_recovery_key, normalize_recovery_key
from tests.conftest import ADMIN_PASSWORD, CHEAP, USER_PASSWORD, make_desk

NEW_PASSWORD = "Fresh-start-2027!"


def test_creation_returns_a_recovery_key_once(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    key = desk.recovery_key
    assert key is not None and len(key) == 39 and key.count("-") == 7
    desk.close()
    again = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    assert again.recovery_key is None  # shown at creation only; stored nowhere but as a slot
    again.close()
    slots = (tmp_path / "r" / "keyslots.json").read_text()
    assert normalize_recovery_key(key) not in slots and key not in slots
    assert json.loads(slots)["slots"][1]["kind"] == "recovery"


def test_recovery_key_typing_is_forgiving_but_typos_are_caught() -> None:
    key = new_recovery_key()
    canonical = normalize_recovery_key(key)
    assert normalize_recovery_key(key.lower().replace("-", " ")) == canonical
    assert format_recovery_key(canonical) == key
    with_o = canonical.replace("0", "O")
    assert normalize_recovery_key(with_o) == canonical  # O read as 0, I and L as 1
    typo = canonical[:5] + ("A" if canonical[5] != "A" else "B") + canonical[6:]
    with pytest.raises(ValidationError) as err:
        normalize_recovery_key(typo)
    assert err.value.code == "recovery_key_typo"
    with pytest.raises(ValidationError) as err:
        normalize_recovery_key(canonical[:-3])
    assert err.value.code == "recovery_key_format"


def test_lost_admin_password_is_recovered_with_the_recovery_key(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    key = desk.recovery_key
    assert key is not None
    old_user_key = desk.user_key
    desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    desk.close()

    result = maintenance.recover(tmp_path / "r", key, NEW_PASSWORD, kdf=CHEAP)
    assert result.login == "admin" and result.recovery_key != key
    with pytest.raises(UnlockError):
        Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)  # the lost password is gone for good
    recovered = Desk.unlock(tmp_path / "r", "admin", NEW_PASSWORD)
    try:
        assert len(recovered.victims.list_rows()) == 1  # same database key: nothing re-encrypted, nothing lost
        assert recovered.user_key != old_user_key  # old signing keys stay sealed: the admin enrols again
        with recovered.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.KEY_ADMIN)).one()
        assert json.loads(entry.detail) == {"op": "recover"}
    finally:
        recovered.close()
    with pytest.raises(UnlockError):
        maintenance.recover(tmp_path / "r", key, "Another-one-2027!", kdf=CHEAP)  # used once, then replaced
    maintenance.recover(tmp_path / "r", result.recovery_key, "Another-one-2027!", kdf=CHEAP)
    Desk.unlock(tmp_path / "r", "admin", "Another-one-2027!").close()


def test_a_mistyped_recovery_key_does_not_count_as_a_failed_unlock(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    key = desk.recovery_key
    assert key is not None
    desk.close()
    canonical = normalize_recovery_key(key)
    typo = canonical[:-1] + ("A" if canonical[-1] != "A" else "B")
    for _ in range(5):
        with pytest.raises(ValidationError):
            maintenance.recover(tmp_path / "r", typo, NEW_PASSWORD, kdf=CHEAP)
    assert KeySlotStore(tmp_path / "r").throttle.failures() == 0
    with pytest.raises(UnlockError):  # well-formed but not this registry's: a real failed attempt
        maintenance.recover(tmp_path / "r", new_recovery_key(), NEW_PASSWORD, kdf=CHEAP)
    assert KeySlotStore(tmp_path / "r").throttle.failures() == 1


def test_recovery_refuses_a_weak_password_and_changes_nothing(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    key = desk.recovery_key
    assert key is not None
    desk.close()
    slots_before = (tmp_path / "r" / "keyslots.json").read_bytes()
    with pytest.raises(ValidationError) as err:
        maintenance.recover(tmp_path / "r", key, "short", kdf=CHEAP)
    assert err.value.code == "password_too_short"
    assert (tmp_path / "r" / "keyslots.json").read_bytes() == slots_before
    Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD).close()


def test_regenerating_the_recovery_key_retires_the_old_one(desk: Desk) -> None:
    old = desk.recovery_key
    assert old is not None
    new = desk.maintenance.regenerate_recovery_key()
    data_dir = desk.registry.data_dir
    with pytest.raises(UnlockError):
        KeySlotStore(data_dir).unlock("__recovery__", normalize_recovery_key(old))
    assert KeySlotStore(data_dir).unlock("__recovery__", normalize_recovery_key(new)).user_id == desk.actor.user_id
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    caseworker = Desk.unlock(data_dir, "cw1", USER_PASSWORD)
    try:
        with pytest.raises(AccessDenied):
            caseworker.maintenance.regenerate_recovery_key()
    finally:
        caseworker.close()


def test_recovery_key_is_not_a_login(desk: Desk) -> None:
    key = desk.recovery_key
    assert key is not None
    with pytest.raises(UnlockError):  # it opens only through ``recover``, never as a password
        Desk.unlock(desk.registry.data_dir, None, normalize_recovery_key(key))


# ------------------------------------------------------------------------------------- password hygiene


@pytest.mark.parametrize("weak", ["short1!", "password1", "aaaaaaaaaaaa", "qwertyuiop", "abcdefghijk"])
def test_weak_passwords_are_refused_everywhere(tmp_path: Path, weak: str) -> None:
    with pytest.raises(ValidationError):
        Desk.create(tmp_path / "new", admin_login="admin", admin_password=weak, township_name="青龙镇", kdf=CHEAP)
    assert not (tmp_path / "new" / "registry.db").exists()
    desk = make_desk(tmp_path / "r")
    try:
        with pytest.raises(ValidationError):
            desk.users.add("cw1", weak, Role.CASEWORKER, "青龙镇")
        with pytest.raises(ValidationError):
            desk.users.change_own_password(ADMIN_PASSWORD, weak)
        desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
        with pytest.raises(ValidationError):
            desk.users.reset_password("cw2", weak)
    finally:
        desk.close()


def test_administrator_resets_a_users_slot(desk: Desk) -> None:
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    first = Desk.unlock(desk.registry.data_dir, "cw1", USER_PASSWORD)
    old_user_key = first.user_key
    first.close()
    desk.users.reset_password("cw1", "Reset-by-admin-2027")
    with pytest.raises(UnlockError):
        Desk.unlock(desk.registry.data_dir, "cw1", USER_PASSWORD)
    again = Desk.unlock(desk.registry.data_dir, "cw1", "Reset-by-admin-2027")
    try:
        assert again.user_key != old_user_key  # the admin cannot take over the user's signing keys
    finally:
        again.close()


# ------------------------------------------------------------------------------------- CLI


def test_cli_init_prints_the_recovery_key_and_recover_uses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "reg"
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(data), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("恢复密钥："))
    key = line.split("：", 1)[1]
    assert normalize_recovery_key(key) and "只显示这一次" in out

    monkeypatch.setenv("FANGUAI_RECOVERY_KEY", key)
    monkeypatch.setenv("FANGUAI_NEW_PASSWORD", NEW_PASSWORD)
    assert main(["--json", "--data", str(data), "recover"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["login"] == "admin" and normalize_recovery_key(result["recovery_key"])
    monkeypatch.setenv("FANGUAI_PASSWORD", NEW_PASSWORD)
    assert main(["--data", str(data), "victim", "list"]) == 0
    monkeypatch.setenv("FANGUAI_RECOVERY_KEY", key[:-1] + ("0" if key[-1] != "0" else "1"))
    capsys.readouterr()
    assert main(["--data", str(data), "recover"]) == 1
    err = capsys.readouterr().err
    assert "恢复密钥" in err and "Traceback" not in err
