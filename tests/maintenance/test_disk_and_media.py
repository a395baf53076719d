"""A full disk or read-only media: the write that fails leaves the registry exactly as it was and says
why, with a typed error.  Root ignores file permissions, so these tests use real filesystems: a tiny
tmpfs that fills up, and a read-only bind mount (skipped where mounting is not allowed)."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import doctor
from fanguai_desk.store.keyslots import KeySlotStore
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_desk
from tests.helpers import content_fingerprint


def _mount(*args: str) -> bool:
    try:
        return subprocess.run(["mount", *args], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=20)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs: small enough to fill in a moment."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount_point)):
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        _umount(mount_point)


def fill(directory: Path, leave: int) -> Path:
    """Fill the filesystem, leaving about ``leave`` bytes free."""
    filler = directory / "filler.bin"
    free = os.statvfs(directory).f_bavail * os.statvfs(directory).f_frsize
    with filler.open("wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(0, free - leave))
    return filler


def test_a_write_on_a_full_disk_changes_nothing_and_says_so(small_disk: Path) -> None:
    desk = make_desk(small_disk / "registry")
    try:
        desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
        filler = fill(small_disk, leave=0)
        refused = 0
        for i in range(200):  # the WAL has some room left: keep writing until the disk says no
            before = content_fingerprint(desk)
            try:
                desk.victims.register({"alias": f"小明{i}", "estimated_birth_year": 2011, "notes": "备注" * 2000})
            except RegistryError as exc:
                assert exc.code == "disk_full"
                assert content_fingerprint(desk) == before  # the failed write left nothing behind
                refused += 1
                break
        assert refused == 1
        with pytest.raises(RegistryError) as err:  # a key slot cannot be written either: no user half-added
            desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
        assert err.value.code == "disk_full"
        with pytest.raises(RegistryError) as err:
            desk.maintenance.backup(small_disk / "backup.fgbak")
        assert err.value.code == "disk_full"
        assert not (small_disk / "backup.fgbak").exists()
        assert not [p for p in small_disk.iterdir() if p.name.startswith(".fanguai-")]
        after_failures = content_fingerprint(desk)

        filler.unlink()  # space again: everything works and nothing was lost
        desk.victims.register({"alias": "空间恢复后", "estimated_birth_year": 2010})
        desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
        report = desk.maintenance.doctor()
        assert report.ok, [c for c in report.checks if c.status == "fail"]
        with desk.read():
            pass
        assert all(t in dict(content_fingerprint(desk)) for t, _ in after_failures)
    finally:
        desk.close()
    again = Desk.unlock(small_disk / "registry", "cw1", USER_PASSWORD)
    again.close()


def test_opening_on_a_full_disk_is_a_clear_error_or_works(small_disk: Path) -> None:
    make_desk(small_disk / "registry").close()
    fill(small_disk, leave=0)
    try:
        desk = Desk.unlock(small_disk / "registry", "admin", ADMIN_PASSWORD)
    except RegistryError as exc:
        assert exc.code == "disk_full"
    else:
        desk.close()


@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[Path]:
    """A registry seen through a read-only bind mount (like a write-protected USB stick)."""
    source = tmp_path / "rw"
    desk = make_desk(source / "registry")
    desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})
    desk.close()
    view = tmp_path / "ro"
    view.mkdir()
    if not _mount("--bind", str(source), str(view)):
        pytest.skip("cannot bind-mount here (needs root / CAP_SYS_ADMIN)")
    try:
        if not _mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("cannot remount read-only here")
        probe = view / "probe"
        with pytest.raises(OSError) as err:
            probe.write_text("x")
        assert err.value.errno == errno.EROFS
        yield view / "registry"
    finally:
        _umount(view)


def test_read_only_media_is_refused_for_writing_with_a_clear_message(
        read_only_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RegistryError) as err:
        Desk.unlock(read_only_copy, "admin", ADMIN_PASSWORD)
    assert err.value.code == "read_only_media"
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(read_only_copy), "victim", "list"]) == 1
    err_text = capsys.readouterr().err
    assert "只读" in err_text and "Traceback" not in err_text


def test_read_only_media_can_be_opened_read_only(read_only_copy: Path) -> None:
    desk = Desk.unlock(read_only_copy, "admin", ADMIN_PASSWORD, readonly=True)
    try:
        assert len(desk.victims.list_rows()) == 1
        with pytest.raises(RegistryError) as err:
            desk.victims.register({"alias": "小明", "estimated_birth_year": 2011})
        assert err.value.code == "read_only"
    finally:
        desk.close()
    report = doctor.check_registry(read_only_copy, KeySlotStore(read_only_copy).unlock("admin", ADMIN_PASSWORD))
    assert report.ok
