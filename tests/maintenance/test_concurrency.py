"""Concurrency and hygiene: writers in one process wait for each other and, past the busy timeout, get a typed
``registry_busy`` (never "database is locked" or a wait without end); backups succeed while writes go on;
the single-writer lock survives the deletion of ``registry.lock``; leftovers of a crash (temporary slot files,
backup scratch folders, a key slot whose user was never committed) are cleaned at the next open and reported
by doctor before that.  Real files, real threads and real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.maintenance import verify
from fanguai_desk.store import doctor, engine
from fanguai_desk.store.keyslots import KeySlotStore, make_slot
from fanguai_desk.store.models import Victim
from tests.conftest import ADMIN_PASSWORD, CHEAP, make_desk
from tests.helpers import content_fingerprint

ROOT = Path(__file__).resolve().parents[2]


def test_writers_in_one_process_wait_for_each_other(tmp_path: Path) -> None:
    """Four threads, each with its own signed-in desk on one registry, register files at the same time: every
    write lands (BEGIN IMMEDIATE waits for the write lock instead of failing on a stale snapshot)."""
    data = tmp_path / "r"
    make_desk(data).close()
    desks = [Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP) for _ in range(4)]
    errors: list[BaseException] = []

    def work(desk: Desk, n: int) -> None:
        try:
            for i in range(10):
                desk.victims.register({"alias": f"并发{n}-{i}", "estimated_birth_year": 2010})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d, n)) for n, d in enumerate(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with desks[0].read() as s:
        assert len(s.scalars(select(Victim.id)).all()) == 4 * 10
    for d in desks:
        d.close()


def test_a_writer_held_up_past_the_timeout_gets_a_typed_busy_error_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    data = tmp_path / "r"
    make_desk(data).close()
    first = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    second = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    before = content_fingerprint(second)
    with first.tx() as s:  # holds the write lock
        s.add(Victim(file_number="X-1", township_id=first.actor.township_id, alias="占用", estimated_birth_year=2010))
        s.flush()
        started = time.monotonic()
        with pytest.raises(RegistryError) as err:
            second.victims.register({"alias": "第二个", "estimated_birth_year": 2011})
        waited = time.monotonic() - started
        s.rollback()
    assert err.value.code == "registry_busy"
    assert waited >= 0.2  # it waited for the timeout rather than failing at once
    assert content_fingerprint(second) == before
    from fanguai_desk.messages import render

    assert "正忙" in render(err.value, "zh_CN") and "busy" in render(err.value, "en")
    first.close()
    second.close()


def test_backups_succeed_while_writes_go_on(tmp_path: Path) -> None:
    data = tmp_path / "r"
    make_desk(data).close()
    writer = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    backer = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        n = 0
        while not stop.is_set():
            writer.victims.register({"alias": f"备份中{n}", "estimated_birth_year": 2010, "notes": "备注" * 500})
            n += 1
        written.append(n)

    t = threading.Thread(target=write)
    t.start()
    try:
        made = [backer.maintenance.backup(tmp_path / f"b{i}.fgbak") for i in range(4)]
    finally:
        stop.set()
        t.join()
    assert written and written[0] > 0
    for result in made:
        checked = verify(result.path, "admin", ADMIN_PASSWORD)
        assert checked.ok and checked.files is not None
    writer.close()
    backer.close()


_SECOND_WRITER = """
import sys
from pathlib import Path
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store.lock import RegistryLock
try:
    RegistryLock.acquire(Path(sys.argv[1])).release()
except RegistryError as exc:
    print(exc.code)
else:
    print("acquired")
"""


def test_the_single_writer_lock_survives_deleting_the_lock_file(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    (data / "registry.lock").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _SECOND_WRITER, str(data)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.stdout.strip() == "registry_in_use", out.stderr
    desk.close()
    out = subprocess.run([sys.executable, "-c", _SECOND_WRITER, str(data)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.stdout.strip() == "acquired", out.stderr


def test_crash_leftovers_are_reported_by_doctor_and_cleaned_at_the_next_open(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    admin_id = desk.actor.user_id
    desk.close()
    store = KeySlotStore(data)
    # What a killed `user add` leaves: a slot saved for a user whose row never committed ...
    slots = store.load()
    ghost = make_slot(user_id="00000000-0000-4000-8000-000000000000", login="ghost", password="Ghost-pass-2026!",
                      database_key=os.urandom(32), user_key=os.urandom(32), params=CHEAP)
    slots.slots.append(ghost)
    store.save(slots)
    # ... killed atomic writes (temporary files beside the slots and the head) and a killed backup's scratch.
    (data / ".keyslots.json.abcd1234.tmp").write_bytes(b"{" * 100)
    (data / ".audit-head.json.zz.tmp").write_bytes(b"x")
    scratch = data / "backups" / ".fanguai-dead"
    scratch.mkdir(parents=True)
    (scratch / "registry.db").write_bytes(os.urandom(4096))
    secrets = store.unlock("admin", ADMIN_PASSWORD)
    report = doctor.check_registry(data, secrets)
    leftovers = report.check("leftovers")
    assert leftovers is not None and leftovers.status is doctor.Status.WARN and leftovers.params["count"] == 3
    orphans = report.check("orphan_slots")
    assert orphans is not None and orphans.params["count"] == 1

    desk = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    desk.close()
    assert not list(data.glob(".*.tmp")) and not scratch.exists()
    doc = json.loads((data / "keyslots.json").read_text())
    assert {s["user_id"] for s in doc["slots"]} == {admin_id}  # the slot without its user is gone
    report = doctor.check_registry(data, store.unlock("admin", ADMIN_PASSWORD))
    assert report.check("leftovers") is None and report.check("orphan_slots") is None
