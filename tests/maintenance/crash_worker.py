"""The child side of the crash test (``test_crash.py``).

Run as ``python -m tests.maintenance.crash_worker``: a *zygote* that imports the whole program once, then
reads JSON commands on stdin.  ``spawn`` forks a worker (milliseconds, instead of a fresh interpreter's
~0.8 s), which the test kills with SIGKILL whenever it likes; ``reap`` waits for it and reports how it died.

Workers write what they have *committed* to a journal file, one line per record, with an unbuffered
``os.write`` after the call that committed it returned: a line in the journal is a promise that the
record is in the registry.  (The kernel keeps what was written when the process is killed.)

Modes:
  writes   unlock, then loop forever: register files (with a guardian), plan and record visits, edit and
           close files, now and then add a user (key slot + row) and write a rotated backup
  migrate  unlock a registry left at an older schema revision (the open migrates it), then idle
  import   import an exchange bundle (one transaction), then idle
  export   unlock, then loop: register a file, export to the supervisor (the public ``desk.exchange.export``,
           its file written atomically into the out folder), journal the bundle's sequence number
  create   create a registry in an empty folder, then idle
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fanguai_desk.domain.enums import FileStatus, Role
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.keyslots import KdfParams
from fanguai_desk.store.models import Victim

CHEAP = KdfParams.cheap_for_tests()
ADMIN = "admin"
PASSWORDS = {"admin": "", "user": ""}  # set from the spawn command (the test's passwords)


class Journal:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def note(self, kind: str, value: str = "") -> None:
        os.write(self.fd, f"{kind} {value}\n".encode())


def run_writes(data_dir: Path, journal: Journal, seed: int) -> None:
    rng = random.Random(seed)
    journal.note("ready")
    desk = Desk.unlock(data_dir, ADMIN, PASSWORDS["admin"], kdf=CHEAP)
    journal.note("opened")
    maintenance = desk.maintenance
    with desk.read() as s:
        victims = list(s.scalars(select(Victim.id).where(Victim.status == FileStatus.OPEN)))
    i = 0
    while True:
        i += 1
        journal.note("begin", "register")
        vid, _ = desk.victims.register({
            "name": f"崩溃测试{seed}-{i}", "sex": rng.choice(["F", "M"]), "birth_date": "2010-05-0" + str(1 + i % 9),
            "notes": "x" * rng.randint(0, 3000),  # some records overflow a page, some do not
            "guardians": [{"name": f"监护人{seed}-{i}", "relation": "母亲"}],
        })
        journal.note("victim", vid)
        victims.append(vid)
        if rng.random() < 0.4:
            journal.note("begin", "visit")
            target = rng.choice(victims)
            fid = desk.followups.plan(target, date.today() + timedelta(days=rng.randint(1, 60)))
            journal.note("followup", fid)
            done, _next = desk.followups.record({"actual_date": date.today().isoformat(), "method": "phone",
                                                 "living_situation": "稳定"}, followup_id=fid)
            journal.note("visit", done)
        if rng.random() < 0.3:
            journal.note("begin", "edit")
            desk.victims.edit(rng.choice(victims), {"notes": "改" * rng.randint(1, 500)})
            journal.note("edited")
        if rng.random() < 0.15 and len(victims) > 1:
            journal.note("begin", "close")
            closed = victims.pop(rng.randrange(len(victims)))
            desk.lifecycle.close(closed, "returned_home")
            journal.note("closed", closed)
        if rng.random() < 0.1:
            journal.note("begin", "user+slot")
            login = f"u{seed}x{i}"
            desk.users.add(login, PASSWORDS["user"], Role.CASEWORKER, "青龙镇")
            journal.note("user", login)
        if rng.random() < 0.12:
            journal.note("begin", "backup")
            result = maintenance.backup(keep=3)
            journal.note("backup", str(result.path))


def run_migrate(data_dir: Path, journal: Journal) -> None:
    journal.note("ready")
    desk = Desk.unlock(data_dir, ADMIN, PASSWORDS["admin"], kdf=CHEAP)
    journal.note("migrated", desk.registry.schema_revision)
    while True:
        time.sleep(1)


def run_import(data_dir: Path, journal: Journal, bundle: Path) -> None:
    data = bundle.read_bytes()
    journal.note("ready")
    desk = Desk.unlock(data_dir, ADMIN, PASSWORDS["admin"], kdf=CHEAP)
    journal.note("opened")
    desk.exchange.import_bundle(data)
    journal.note("imported")
    while True:
        time.sleep(1)


def run_export(data_dir: Path, journal: Journal, recipient: Path, out: Path, seed: int) -> None:
    from fanguai_desk.store.atomic import atomic_write_bytes

    cert = recipient.read_bytes()
    journal.note("ready")
    desk = Desk.unlock(data_dir, ADMIN, PASSWORDS["admin"], kdf=CHEAP)
    journal.note("opened")
    exchange = desk.exchange
    i = 0
    while True:
        i += 1
        journal.note("begin", "register")
        vid, _ = desk.victims.register({"alias": f"导出崩溃{seed}-{i}", "estimated_birth_year": 2011})
        journal.note("victim", vid)
        journal.note("begin", "export")
        name = out / f"{seed}-{i}.p7m"

        def write(data: bytes, name: Path = name) -> None:
            atomic_write_bytes(name, data)

        outcome = exchange.export(cert, write=write)
        journal.note("exported", f"{outcome.sequence} {name}")


def run_create(data_dir: Path, journal: Journal) -> None:
    journal.note("ready")
    desk = Desk.create(data_dir, admin_login=ADMIN, admin_password=PASSWORDS["admin"], township_name="青龙镇", kdf=CHEAP)
    journal.note("created", desk.registry.registry_id)
    while True:
        time.sleep(1)


def child(cmd: dict[str, Any]) -> None:
    log = os.open(cmd["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    journal = Journal(cmd["journal"])
    PASSWORDS.update(admin=cmd["admin_password"], user=cmd["user_password"])
    data_dir = Path(cmd["data_dir"])
    try:
        if cmd["mode"] == "writes":
            run_writes(data_dir, journal, int(cmd["seed"]))
        elif cmd["mode"] == "migrate":
            run_migrate(data_dir, journal)
        elif cmd["mode"] == "import":
            run_import(data_dir, journal, Path(cmd["bundle"]))
        elif cmd["mode"] == "export":
            run_export(data_dir, journal, Path(cmd["bundle"]), Path(cmd["out"]), int(cmd["seed"]))
        else:
            run_create(data_dir, journal)
    except BaseException:
        traceback.print_exc()
        journal.note("error")
        os._exit(3)
    os._exit(0)


def warm_up() -> None:
    """Import now what the program imports lazily, so each forked worker starts writing at once."""
    import importlib

    from fanguai_desk.domain.search_keys import name_search_keys
    from fanguai_desk.store import schema

    for name in ("victims", "followups", "users", "purge", "maintenance", "exchange"):
        importlib.import_module(f"fanguai_desk.services.{name}")
    name_search_keys("张三")  # loads the pinyin dictionaries
    schema.known_revisions()


def main() -> None:
    warm_up()
    out = sys.stdout
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                child(cmd)
            out.write(json.dumps({"pid": pid}) + "\n")
        elif cmd["op"] == "reap":
            _pid, status = os.waitpid(int(cmd["pid"]), 0)
            out.write(json.dumps({"killed": os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9,
                                  "status": status}) + "\n")
        else:
            break
        out.flush()


if __name__ == "__main__":
    main()
