"""Key slots that explain themselves (issue 19): a damaged slots file is not a wrong password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.messages import render
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.keyslots import SLOTS_BACKUP_FILE, SLOTS_FILE, KeySlotStore, UnlockThrottle
from tests.conftest import ADMIN_PASSWORD, CHEAP


def _registry(tmp_path: Path) -> Path:
    path = tmp_path / "reg"
    Desk.create(path, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                admin_display_name="管理员", kdf=CHEAP).close()
    return path


def _alter_one_value(file: Path) -> None:
    doc = json.loads(file.read_text("utf-8"))
    wrapped = doc["slots"][0]["wrapped"]
    doc["slots"][0]["wrapped"] = ("B" if wrapped[0] != "B" else "C") + wrapped[1:]  # still valid base64
    file.write_text(json.dumps(doc, indent=1, sort_keys=True), "utf-8")


def test_one_altered_value_falls_back_to_the_copy_and_repairs(tmp_path: Path) -> None:
    path = _registry(tmp_path)
    good = (path / SLOTS_BACKUP_FILE).read_bytes()
    _alter_one_value(path / SLOTS_FILE)
    Desk.unlock(path, "admin", ADMIN_PASSWORD).close()
    assert (path / SLOTS_FILE).read_bytes() == good  # repaired from the copy
    assert KeySlotStore(path).throttle.failures() == 0


def test_both_copies_damaged_is_not_a_wrong_password(tmp_path: Path) -> None:
    path = _registry(tmp_path)
    _alter_one_value(path / SLOTS_FILE)
    _alter_one_value(path / SLOTS_BACKUP_FILE)
    for _ in range(5):
        with pytest.raises(RegistryError) as err:
            Desk.unlock(path, "admin", ADMIN_PASSWORD)
        assert err.value.code == "slots_corrupt"
    assert KeySlotStore(path).throttle.failures() == 0  # damage never counts towards the throttle
    assert "--slots-only" in render(err.value) and "--slots-only" in render(err.value, "en")


def test_a_wrong_password_still_counts(tmp_path: Path) -> None:
    path = _registry(tmp_path)
    with pytest.raises(Exception) as err:
        Desk.unlock(path, "admin", "not-the-password")
    assert getattr(err.value, "code", None) == "wrong_credentials"
    assert KeySlotStore(path).throttle.failures() == 1


def test_throttle_wait_is_capped_relative_to_now(tmp_path: Path) -> None:
    throttle = UnlockThrottle(tmp_path / "t.json")
    now = 1_800_000_000.0
    for _ in range(4):
        throttle.record_failure(now + 365 * 86400)  # the clock a year ahead
    assert 0 < throttle.seconds_to_wait(now) <= throttle.delay_for(4)  # not 31535996 s


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX file modes")
def test_database_files_are_the_owners_only(tmp_path: Path) -> None:
    import os
    import stat

    path = _registry(tmp_path)
    Desk.unlock(path, "admin", ADMIN_PASSWORD).close()
    for name in ("registry.db", SLOTS_FILE):
        assert stat.S_IMODE(os.stat(path / name).st_mode) == 0o600, name


def test_cli_read_only_reads_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from fanguai_desk.cli import main
    from tests.helpers import content_fingerprint

    path = _registry(tmp_path)
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    d = Desk.unlock(path, "admin", ADMIN_PASSWORD, readonly=True)
    before = content_fingerprint(d)
    d.close()
    assert main(["--data", str(path), "--user", "admin", "--read-only", "victim", "list"]) == 0
    assert main(["--data", str(path), "--user", "admin", "--read-only", "victim", "add", "--name", "只读测试",
                 "--sex", "F", "--birth-date", "1990-02-03"]) == 1
    d = Desk.unlock(path, "admin", ADMIN_PASSWORD, readonly=True)
    assert content_fingerprint(d) == before  # not even a sign-in entry
    d.close()
