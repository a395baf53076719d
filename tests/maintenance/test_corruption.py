"""A damaged database or slots file is found when the registry opens and named in a clear message —
never a traceback, never a registry that opens with part of its data silently missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from fanguai_desk.cli import main
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import doctor
from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.models import FollowUp
from fanguai_desk.store.registry import Registry
from tests.conftest import ADMIN_PASSWORD, make_desk

PAGE = 4096


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def closed_registry(desk: Desk) -> Path:
    data_dir = desk.registry.data_dir
    desk.close()  # the last connection checkpoints the WAL into registry.db and removes it
    assert not (data_dir / "registry.db-wal").exists()
    return data_dir


def test_a_damaged_first_page_is_refused_naming_the_file(demo_desk: Desk) -> None:
    data_dir = closed_registry(demo_desk)
    flip(data_dir / "registry.db", 1000)
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "database_unreadable" and err.value.params["file"] == "registry.db"


def test_a_damaged_middle_page_is_refused_at_open(demo_desk: Desk) -> None:
    data_dir = closed_registry(demo_desk)
    pages = (data_dir / "registry.db").stat().st_size // PAGE
    flip(data_dir / "registry.db", (pages // 2) * PAGE + 700)
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "database_corrupt" and err.value.params["file"] == "registry.db"
    # And the lock was released on the way out: the next attempt gets the same clear answer.
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "database_corrupt"


def test_a_damaged_page_met_later_is_a_typed_error_not_a_traceback(demo_desk: Desk) -> None:
    """If the open-time check is skipped (or the damage happens while open), queries say so clearly."""
    data_dir = closed_registry(demo_desk)
    secrets = KeySlotStore(data_dir).unlock("admin", ADMIN_PASSWORD)
    registry = Registry.open(data_dir, secrets, verify_pages=False)
    registry.close()
    pages = (data_dir / "registry.db").stat().st_size // PAGE
    for n in range(pages // 2, pages, max(1, pages // 40)):  # damage pages all over the second half
        flip(data_dir / "registry.db", n * PAGE + 300)
    registry = Registry.open(data_dir, secrets, verify_pages=False)
    try:
        with pytest.raises(RegistryError) as err, registry.session(None) as s:
            s.execute(select(func.count()).select_from(FollowUp).where(FollowUp.notes.is_not(None))).all()
            s.execute(text("SELECT * FROM victims")).all()
            s.execute(text("SELECT * FROM change_log")).all()
        assert err.value.code == "database_corrupt"
    finally:
        registry.close()


def test_cli_names_the_damaged_file_and_says_what_to_do(demo_desk: Desk, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = closed_registry(demo_desk)
    pages = (data_dir / "registry.db").stat().st_size // PAGE
    flip(data_dir / "registry.db", (pages // 3) * PAGE + 64)
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(data_dir), "victim", "list"]) == 1
    err = capsys.readouterr().err
    assert "registry.db" in err and "备份" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["--lang", "en", "--data", str(data_dir), "victim", "list"]) == 1
    assert "backup" in capsys.readouterr().err
    # doctor still reports (it opens read-only and runs every check it can)
    assert main(["--data", str(data_dir), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗" in out and "数据页" in out and "Traceback" not in out


def test_doctor_finds_a_damaged_page(demo_desk: Desk) -> None:
    data_dir = closed_registry(demo_desk)
    pages = (data_dir / "registry.db").stat().st_size // PAGE
    flip(data_dir / "registry.db", (pages - 2) * PAGE + 10)
    report = doctor.check_registry(data_dir, KeySlotStore(data_dir).unlock("admin", ADMIN_PASSWORD))
    check = report.check("cipher_integrity")
    assert check is not None and check.status == "fail" and check.params["pages"] >= 1
    assert report.status == "fail" and not report.ok


def test_damaged_slots_file_falls_back_to_its_copy_and_is_repaired(tmp_path: Path) -> None:
    data_dir = closed_registry(make_desk(tmp_path / "r"))
    good = (data_dir / "keyslots.json.bak").read_bytes()
    (data_dir / "keyslots.json").write_bytes(b'{"format": 1, "slots": [tru')
    report = doctor.check_registry(data_dir)  # no password needed to look at the slots files
    damaged = report.check("slots_file:keyslots.json")
    assert damaged is not None and damaged.status == "warn"
    Desk.unlock(data_dir, "admin", ADMIN_PASSWORD).close()
    assert (data_dir / "keyslots.json").read_bytes() == good  # put back from the copy


def test_both_slots_files_damaged_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = closed_registry(make_desk(tmp_path / "r"))
    (data_dir / "keyslots.json").write_bytes(b"\xff\xfe")
    (data_dir / "keyslots.json.bak").write_bytes(b"[]")
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_corrupt"
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(data_dir), "victim", "list"]) == 1
    err_text = capsys.readouterr().err
    assert "keyslots.json" in err_text and "Traceback" not in err_text
    assert main(["--data", str(data_dir), "doctor"]) == 1  # reports the slots without asking for a password
    assert "restore --slots-only" in capsys.readouterr().out


def test_an_interrupted_creation_is_explained_and_init_starts_over(tmp_path: Path) -> None:
    data_dir = tmp_path / "r"
    registry = Registry.create_files(data_dir, b"k" * 32)  # … and the process dies before any slot is written
    registry.close()
    assert (data_dir / "registry.db").exists()
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "registry_incomplete"
    assert not Registry.exists(data_dir)
    make_desk(data_dir).close()
    Desk.unlock(data_dir, "admin", ADMIN_PASSWORD).close()


def test_a_database_without_any_slots_file_is_not_mistaken_for_an_unfinished_one(tmp_path: Path) -> None:
    data_dir = closed_registry(make_desk(tmp_path / "r"))
    (data_dir / "keyslots.json").unlink()
    (data_dir / "keyslots.json.bak").unlink()
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "slots_missing"
    with pytest.raises(RegistryError) as err:
        make_desk(data_dir)  # init must not wipe a database whose slots may still come back from a backup
    assert err.value.code == "registry_exists"


def test_open_time_page_check_passes_on_a_sound_registry(demo_desk: Desk) -> None:
    """The full HMAC check at open (its cost, ~0.3 s at 10,000 files, is measured by ``fanguai-desk bench``)."""
    data_dir = closed_registry(demo_desk)
    secrets = KeySlotStore(data_dir).unlock("admin", ADMIN_PASSWORD)
    Registry.open(data_dir, secrets).close()
    Registry.open(data_dir, secrets, verify_pages=False).close()


def test_a_large_registry_skips_the_full_page_check_at_open_but_doctor_finds_the_damage(
        demo_desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the size limit unlock stays fast (the full check reads every page); damage is still caught."""
    from fanguai_desk.store import registry as registry_module

    data_dir = closed_registry(demo_desk)
    pages = (data_dir / "registry.db").stat().st_size // PAGE
    flip(data_dir / "registry.db", (pages // 2) * PAGE + 700)
    monkeypatch.setattr(registry_module, "FULL_PAGE_CHECK_MAX_BYTES", 0)
    desk = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    try:
        report = desk.maintenance.doctor()
        assert any(c.code == "cipher_integrity" and c.status.value == "fail" for c in report.checks)
    finally:
        desk.close()
