"""A missing or empty registry.db beside key slots is never replaced by a fresh registry (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.messages import render
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.keyslots import SLOTS_FILE
from tests.conftest import ADMIN_PASSWORD, CHEAP


def _registry(tmp_path: Path) -> Path:
    data = tmp_path / "r"
    Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇", kdf=CHEAP).close()
    return data


def _files(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file() and not p.name.endswith(".lock")}


@pytest.mark.parametrize("damage", ["empty", "missing"])
def test_refused_with_a_pointer_to_restore_and_nothing_written(tmp_path: Path, damage: str) -> None:
    data = _registry(tmp_path)
    db = data / "registry.db"
    for extra in ("registry.db-wal", "registry.db-shm"):
        (data / extra).unlink(missing_ok=True)
    if damage == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    before = _files(data)
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data, "admin", ADMIN_PASSWORD)
    assert err.value.code == ("database_empty" if damage == "empty" else "database_missing")
    assert "restore" in render(err.value)
    after = _files(data)
    assert {k: v for k, v in after.items() if k != "unlock-throttle.json"} == \
        {k: v for k, v in before.items() if k != "unlock-throttle.json"}
    assert (data / SLOTS_FILE).exists()
    with pytest.raises(RegistryError):  # and creating a new registry over it is refused too
        Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇", kdf=CHEAP)
    assert db.exists() == (damage == "empty") and (not db.exists() or db.stat().st_size == 0)
