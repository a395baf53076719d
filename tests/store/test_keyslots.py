"""Key slots: the database key wrapped per user; production Argon2id parameters where the KDF is the subject."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import RegistryError, UnlockError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.keyslots import KdfParams, KeySlotStore, UnlockThrottle, derive_kek
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_desk


def db_bytes(path: Path) -> bytes:
    return (path / "registry.db").read_bytes()


@pytest.mark.production_kdf
def test_production_kdf_takes_roughly_half_a_second_and_is_stored_with_the_slot(tmp_path: Path) -> None:
    params = KdfParams.production()
    assert params.memory_cost_kib >= 64 * 1024 and params.iterations >= 2
    start = time.perf_counter()
    derive_kek("pw", b"0" * 16, params)
    elapsed = time.perf_counter() - start
    # Not a speed assertion: a sanity bound that the parameters are not accidentally trivial.
    assert elapsed > 0.05
    desk = Desk.create(tmp_path / "r", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇")
    desk.close()
    doc = json.loads((tmp_path / "r" / "keyslots.json").read_text())
    assert doc["slots"][0]["kdf"] == {"iterations": params.iterations, "lanes": params.lanes,
                                      "memory_cost_kib": params.memory_cost_kib}


@pytest.mark.production_kdf
def test_adding_users_and_changing_passwords_never_reencrypts_the_database_removing_does(tmp_path: Path) -> None:
    desk = Desk.create(tmp_path / "r", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇")
    desk.registry.close_connections()
    key_before = desk.database_key
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    cw = Desk.unlock(tmp_path / "r", "cw1", USER_PASSWORD)
    assert cw.database_key == key_before
    cw.users.change_own_password(USER_PASSWORD, "New-worker-pass-9")
    cw.close()
    with pytest.raises(UnlockError) as err:
        Desk.unlock(tmp_path / "r", "cw1", USER_PASSWORD)
    assert err.value.code == "wrong_credentials"
    cw2 = Desk.unlock(tmp_path / "r", "cw1", "New-worker-pass-9")
    assert cw2.database_key == key_before
    cw2.close()
    # Removing a user is the one change that re-encrypts (store/rekey.py): their old slot must open nothing.
    desk.users.remove("cw1")
    with pytest.raises(UnlockError):
        Desk.unlock(tmp_path / "r", "cw1", "New-worker-pass-9")
    desk.close()
    again = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    assert again.database_key != key_before
    again.close()


def test_wrong_password_opens_nothing_and_writes_nothing_to_the_registry(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    desk.close()
    before_db = db_bytes(tmp_path / "r")
    before_slots = (tmp_path / "r" / "keyslots.json").read_bytes()
    with pytest.raises(UnlockError) as err:
        Desk.unlock(tmp_path / "r", "admin", "not-the-password")
    assert err.value.code == "wrong_credentials"
    assert db_bytes(tmp_path / "r") == before_db
    assert (tmp_path / "r" / "keyslots.json").read_bytes() == before_slots


def test_unknown_user_is_the_same_error_as_wrong_password(tmp_path: Path) -> None:
    make_desk(tmp_path / "r").close()
    with pytest.raises(UnlockError) as err:
        Desk.unlock(tmp_path / "r", "nobody", ADMIN_PASSWORD)
    assert err.value.code == "wrong_credentials"


def test_repeated_failures_slow_down_and_survive_a_restart(tmp_path: Path) -> None:
    make_desk(tmp_path / "r").close()
    for _ in range(UnlockThrottle.FREE_ATTEMPTS):
        with pytest.raises(UnlockError):
            Desk.unlock(tmp_path / "r", "admin", "wrong")
    # A new store object (as after restarting the app) still knows about the failures.
    store = KeySlotStore(tmp_path / "r")
    assert store.throttle.failures() == UnlockThrottle.FREE_ATTEMPTS
    with pytest.raises(UnlockError):
        Desk.unlock(tmp_path / "r", "admin", "wrong-again")
    with pytest.raises(UnlockError) as err:
        Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)  # even the right password waits
    assert err.value.code == "unlock_throttled"
    assert err.value.params["seconds"] >= 1


def test_failed_attempts_are_written_to_the_audit_log_at_the_next_unlock(tmp_path: Path) -> None:
    from sqlalchemy import select

    from fanguai_desk.domain.enums import AuditAction
    from fanguai_desk.store.models import AuditEntry

    make_desk(tmp_path / "r").close()
    with pytest.raises(UnlockError):
        Desk.unlock(tmp_path / "r", "admin", "wrong")
    desk = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    with desk.read() as s:
        failed = list(s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.LOGIN_FAILED)))
    assert len(failed) == 1 and json.loads(failed[0].detail) == {"attempts": 1}
    assert KeySlotStore(tmp_path / "r").throttle.failures() == 0
    desk.close()


def test_slots_file_holds_no_login_names_or_personal_data(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    desk.users.add("zhangsanhua", USER_PASSWORD, Role.CASEWORKER, "青龙镇", display_name="张三华")
    desk.close()
    text = (tmp_path / "r" / "keyslots.json").read_text("utf-8")
    for secret in ("zhangsanhua", "张三华", "admin", "青龙镇"):
        assert secret not in text


def test_a_slot_cannot_be_moved_to_another_user(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.close()
    path = tmp_path / "r" / "keyslots.json"
    doc = json.loads(path.read_text())
    doc["slots"][-1]["user_id"] = doc["slots"][0]["user_id"]  # cw1's slot (the last) claims to be the admin
    from fanguai_desk.store.keyslots import slots_checksum

    doc["checksum"] = slots_checksum(doc)  # a deliberate edit fixes the checksum too: the AEAD still refuses
    path.write_text(json.dumps(doc))
    (tmp_path / "r" / "keyslots.json.bak").write_text(json.dumps(doc))
    with pytest.raises(UnlockError):
        Desk.unlock(tmp_path / "r", "cw1", USER_PASSWORD)


def test_damaged_slots_file_falls_back_to_its_backup_copy(tmp_path: Path) -> None:
    make_desk(tmp_path / "r").close()
    (tmp_path / "r" / "keyslots.json").write_bytes(b"{garbage")
    Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD).close()
    (tmp_path / "r" / "keyslots.json").write_bytes(b"{garbage")
    (tmp_path / "r" / "keyslots.json.bak").write_bytes(b"also garbage")
    with pytest.raises(RegistryError) as err:
        Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_corrupt"


def test_registry_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as err:
        Desk.unlock(tmp_path / "nothing-here", "admin", ADMIN_PASSWORD)
    assert err.value.code == "registry_missing"
