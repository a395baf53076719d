"""One writer per registry: a second app instance is refused, or opened read-only when it asks, and a
crashed instance never leaves the registry locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import doctor
from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.lock import is_locked_elsewhere
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import content_fingerprint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def other_instance(desk: Desk) -> Iterator[subprocess.Popen[str]]:
    """Another process with the registry open (for writing), like a second app window."""
    data_dir = desk.registry.data_dir
    desk.registry.close()  # this process lets go; the other instance takes it
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from fanguai_desk.services.desk import Desk
        desk = Desk.unlock(Path({str(data_dir)!r}), "admin", {ADMIN_PASSWORD!r})
        print("open", flush=True)
        time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def test_a_second_instance_is_refused_clearly(desk: Desk, other_instance: subprocess.Popen[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = desk.registry.data_dir
    assert is_locked_elsewhere(data_dir)
    with pytest.raises(RegistryError) as err:
        Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    assert err.value.code == "registry_in_use"
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(data_dir), "victim", "list"]) == 1
    err_text = capsys.readouterr().err
    assert "另一个程序窗口" in err_text and "Traceback" not in err_text


def test_a_second_instance_may_open_read_only_and_cannot_write(desk: Desk,
                                                              other_instance: subprocess.Popen[str]) -> None:
    data_dir = desk.registry.data_dir
    reader = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD, readonly=True)
    try:
        assert reader.registry.readonly
        assert reader.victims.list_rows() == []
        before = content_fingerprint(reader)
        with pytest.raises(RegistryError) as err:
            reader.victims.register({"alias": "小红", "estimated_birth_year": 2012})
        assert err.value.code == "read_only"
        with pytest.raises(RegistryError):
            reader.maintenance.backup(data_dir.parent / "b.fgbak")
        assert content_fingerprint(reader) == before
    finally:
        reader.close()


def test_doctor_works_while_another_instance_has_the_registry(desk: Desk,
                                                             other_instance: subprocess.Popen[str]) -> None:
    data_dir = desk.registry.data_dir
    report = doctor.check_registry(data_dir, KeySlotStore(data_dir).unlock("admin", ADMIN_PASSWORD))
    assert report.ok
    in_use = report.check("in_use")
    assert in_use is not None and in_use.message == "doctor_in_use"


def test_a_crashed_instance_leaves_no_lock_behind(desk: Desk, other_instance: subprocess.Popen[str]) -> None:
    data_dir = desk.registry.data_dir
    os.kill(other_instance.pid, signal.SIGKILL)
    other_instance.wait(timeout=10)
    again = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)  # the OS dropped the dead process's lock
    again.close()


def test_two_desks_in_one_process_share_the_registry(desk: Desk) -> None:
    data_dir = desk.registry.data_dir
    second = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    second.close()
    desk.victims.register({"alias": "小红", "estimated_birth_year": 2012})  # the first still holds it
    assert not is_locked_elsewhere(data_dir)
    desk.close()
    probe = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from fanguai_desk.services.desk import Desk
        Desk.unlock(Path({str(data_dir)!r}), "admin", {ADMIN_PASSWORD!r}).close()
        print("ok")
    """)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "ok", probe.stderr  # released once both closed
