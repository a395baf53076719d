"""Crash safety: processes writing to a registry are killed with SIGKILL at random moments, then the
registry is reopened and must be whole.

Kill points (each one a real process killed mid-work, see crash_worker.py) — 101 in all:
  * 2 × 23 during writes (files, guardians, visits, edits, closures, user + key-slot creation, rotated
    backups), each followed by: the registry opens (for writing: the dead process's lock is gone),
    cipher_integrity_check and integrity_check are clean, the audit chain verifies, the audit head kept
    outside the database agrees with it (a false "rolled back" would refuse the open), every record the
    worker reported as committed is there, every file has its audit entry and every entry its file (all or
    nothing), every user reported added can sign in, and every backup file on disk is complete;
  * 8 during a schema migration (0001 → 0002, which rebuilds the victims and townships tables), each
    followed by: the file is at exactly one revision, opening completes the migration, nothing is lost;
  * 8 during registry creation: either a complete registry or one that ``init`` can start over.
  * 8 more during an exchange import (``test_import_survives_sigkill``): all of the bundle or none of it.
  * 11 during a re-key (``test_rekey_survives_sigkill``): at each of its 6 step boundaries (the audit head's
    re-authentication included) and 5 times a few ms into ``PRAGMA rekey``; each followed by: exactly one of
    the two keys opens the database, the audit head verifies under it, the slots file is settled, nothing is
    lost, the remaining users sign in, the removed one does not, and a new re-key completes.
  * 20 during register + export rounds (``test_export_survives_sigkill``): the registry opens, every committed
    file is there, bundle numbers are never reused; at the end every complete bundle file on disk (strays of
    killed exports too) is accepted by the county — none is a replay — and county == township.

The registries use cheap Argon2id parameters stored in their own key slots (created in-process), so the
children unlock them quickly with no switch that could weaken a real registry.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select

from fanguai_desk.domain.enums import AuditAction, FileStatus
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import backup, schema
from fanguai_desk.store.engine import open_engine
from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.models import AuditEntry, FollowUp, Guardian, User, Victim
from fanguai_desk.store.registry import Registry
from tests.conftest import ADMIN_PASSWORD, CHEAP, USER_PASSWORD, make_desk

ROOT = Path(__file__).resolve().parents[2]
WRITE_KILLS_PER_LANE = 23
MIGRATION_KILLS = 8
CREATION_KILLS = 8
DATA_TABLES = ("victims", "guardians", "buyer_households", "services", "followups", "referrals",
               "referral_events", "placements", "consents", "cases", "townships", "users")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")]


# ------------------------------------------------------------------------------------------------ plumbing


class Zygote:
    """One pre-imported interpreter that forks the workers (see crash_worker.py)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.maintenance.crash_worker"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def _ask(self, cmd: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the crash-test zygote died"
        return json.loads(line)

    def spawn(self, mode: str, data_dir: Path, journal: Path, log: Path, seed: int = 0,
              bundle: Path | None = None, out: Path | None = None) -> int:
        return int(self._ask({"op": "spawn", "mode": mode, "data_dir": str(data_dir), "journal": str(journal),
                              "log": str(log), "seed": seed, "admin_password": ADMIN_PASSWORD,
                              "user_password": USER_PASSWORD, "bundle": str(bundle), "out": str(out)})["pid"])

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        assert self._ask({"op": "reap", "pid": pid})["killed"], "the worker ended before it was killed"

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def journal_lines(journal: Path, start: int = 0) -> list[tuple[str, str]]:
    if not journal.exists():
        return []
    lines = journal.read_text().splitlines()[start:]
    return [(kind, value) for kind, _, value in (line.partition(" ") for line in lines)]


def wait_for(journal: Path, start: int, kind: str, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kinds = [k for k, _ in journal_lines(journal, start)]
        if "error" in kinds:
            pytest.fail(f"worker failed:\n{log.read_text() if log.exists() else ''}")
        if kind in kinds:
            return
        time.sleep(0.003)
    pytest.fail(f"worker never reported {kind!r}:\n{log.read_text() if log.exists() else ''}")


@dataclass
class KillPoint:
    lane: str
    n: int
    delay_ms: int
    phase: str  # what the worker had done when it died
    check: str  # what was verified afterwards


def assert_healthy(desk: Desk) -> dict[str, Any]:
    report = desk.maintenance.doctor()
    failed = [(c.code, c.message, c.params) for c in report.checks if c.status == "fail"]
    assert not failed, failed
    for code in ("cipher_integrity", "integrity", "audit_chain", "schema"):
        check = report.check(code)
        assert check is not None and check.status == "ok", (code, check)
    audit_check = report.check("audit_chain")
    assert audit_check is not None
    return audit_check.params


# ------------------------------------------------------------------------------------------------ lanes


def writes_lane(name: str, root: Path, seed: int, kills: int, out: list[KillPoint]) -> None:
    data_dir = root / "registry"  # made by the test thread: Alembic is not thread-safe
    journal, log = root / "journal.txt", root / "worker.log"
    rng = random.Random(seed)
    zygote = Zygote()
    try:
        for n in range(kills):
            start = len(journal_lines(journal))
            pid = zygote.spawn("writes", data_dir, journal, log, seed=seed * 100 + n)
            # One kill in five lands while the worker opens the registry; the others while it writes.
            while_opening = n % 5 == 0
            wait_for(journal, start, "ready" if while_opening else "opened", log)
            delay = rng.uniform(0.0, 0.1 if while_opening else 0.4)
            time.sleep(delay)
            zygote.kill(pid)
            done = journal_lines(journal, start)
            if not any(k == "opened" for k, _ in done):
                phase = "while opening the registry"
            else:
                last_kind, last_value = done[-1]
                in_flight = f"during {last_value}" if last_kind == "begin" else "between writes"
                phase = f"{in_flight} ({sum(k == 'victim' for k, _ in done)} files committed)"
            verify_writes(data_dir, journal_lines(journal))
            out.append(KillPoint(name, n + 1, int(delay * 1000), phase, "opens, pages+btree+audit ok, all committed"))
    finally:
        zygote.close()


def _unlock_after_kill(data_dir: Path) -> Desk:
    """Open for writing once the killed worker's lock is gone.  The worker was reaped, but under load a fresh-clone
    run once saw ``registry_in_use`` right after (1 of ~40 kills); a lock still held after 10 s is a real failure."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
        except RegistryError as exc:
            if exc.code != "registry_in_use" or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def verify_writes(data_dir: Path, journal: list[tuple[str, str]]) -> None:
    noted: dict[str, set[str]] = {}
    for kind, value in journal:
        noted.setdefault(kind, set()).add(value)
    desk = _unlock_after_kill(data_dir)
    try:
        assert_healthy(desk)
        with desk.read() as s:
            victims = {k: v for k, v in s.execute(select(Victim.id, Victim.status)).tuples()}
            followups = set(s.scalars(select(FollowUp.id)))
            guardians = set(s.scalars(select(Guardian.victim_id)))
            created = set(s.scalars(select(AuditEntry.record_id).where(
                AuditEntry.action == AuditAction.CREATE, AuditEntry.record_type == Victim.RECORD_TYPE)))
            users = {u.login: u.active for u in s.scalars(select(User))}
        assert noted.get("victim", set()) <= set(victims), "a committed file is missing"
        assert noted.get("followup", set()) | noted.get("visit", set()) <= followups, "a committed visit is missing"
        assert all(victims[v] is FileStatus.CLOSED for v in noted.get("closed", set()))
        assert set(victims) == created, "a file without its audit entry, or an entry without its file"
        assert set(victims) <= guardians, "a file was committed without its guardian"
        for login in noted.get("user", set()):
            assert users.get(login) is True
            assert KeySlotStore(data_dir).unlock(login, USER_PASSWORD).user_id
        folder = data_dir / "backups"
        backups_in_order = [value for kind, value in journal if kind == "backup"]
        if backups_in_order:
            # The last one written (names within one second get -2, -3…: string order is not time order).
            assert Path(backups_in_order[-1]).exists()
        for f in folder.glob("*.fgbak") if folder.exists() else []:
            backup.check_archive(f)  # never a half-written backup under a real name
    finally:
        desk.close()


def data_counts(engine: Any) -> dict[str, int]:
    from fanguai_desk.store.models import Base

    with engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in Base.metadata.sorted_tables if t.name in DATA_TABLES}


def make_old_schema_registry(path: Path) -> dict[str, int]:
    """A registry with 800 synthetic files, taken back to revision 0001 (before the exchange tables)."""
    desk = make_desk(path)
    desk.demo.run(DemoSpec(victims=800, townships=2, seed=11))
    counts = data_counts(desk.registry.engine)
    with desk.registry.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            command.downgrade(schema.alembic_config(conn), "0001")
        raw.execute("PRAGMA foreign_keys = ON")
    assert schema.current_revision(desk.registry.engine) == "0001"
    desk.close()
    return counts


def revision_on_disk(data_dir: Path) -> str | None:
    secrets = KeySlotStore(data_dir).unlock("admin", ADMIN_PASSWORD)
    engine = open_engine(data_dir / "registry.db", secrets.database_key, readonly=True)
    try:
        return schema.current_revision(engine)
    finally:
        engine.dispose()


def timed_run(zygote: Zygote, mode: str, data_dir: Path, root: Path, until: str, bundle: Path | None = None,
              start: str = "ready", out: Path | None = None) -> float:
    journal, log = root / f"{mode}-probe.txt", root / f"{mode}-probe.log"
    pid = zygote.spawn(mode, data_dir, journal, log, bundle=bundle, out=out)
    wait_for(journal, 0, start, log)
    t0 = time.monotonic()
    wait_for(journal, 0, until, log)
    elapsed = time.monotonic() - t0
    zygote.kill(pid)
    return elapsed


def migration_and_creation_lane(root: Path, seed: int, before: dict[str, int], out: list[KillPoint]) -> None:
    rng = random.Random(seed)
    template = root / "template"
    zygote = Zygote()
    try:
        probe = root / "probe"
        shutil.copytree(template, probe)
        window = timed_run(zygote, "migrate", probe, root, "migrated") * 1.3
        for n in range(MIGRATION_KILLS):
            data_dir = root / f"mig-{n}"
            shutil.copytree(template, data_dir)
            journal, log = root / f"mig-{n}.txt", root / f"mig-{n}.log"
            pid = zygote.spawn("migrate", data_dir, journal, log)
            wait_for(journal, 0, "ready", log)
            delay = rng.uniform(0.0, window)
            time.sleep(delay)
            zygote.kill(pid)
            on_disk = revision_on_disk(data_dir)
            assert on_disk in ("0001", schema.head_revision()), on_disk  # one revision, never in between
            desk = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)  # completes the migration if it was cut
            try:
                assert desk.registry.schema_revision == schema.head_revision()
                assert_healthy(desk)
                assert data_counts(desk.registry.engine) == before, "a record was lost in the migration"
            finally:
                desk.close()
            out.append(KillPoint("migration", n + 1, int(delay * 1000),
                                 f"file at {on_disk}" + (" (migration had committed)" if on_disk != "0001" else
                                                         " (migration rolled back)"),
                                 "one revision on disk, reopen migrates, nothing lost"))

        window = timed_run(zygote, "create", root / "create-probe", root, "created") * 1.3
        for n in range(CREATION_KILLS):
            data_dir = root / f"create-{n}"
            journal, log = root / f"create-{n}.txt", root / f"create-{n}.log"
            pid = zygote.spawn("create", data_dir, journal, log)
            wait_for(journal, 0, "ready", log)
            delay = rng.uniform(0.0, window)
            time.sleep(delay)
            zygote.kill(pid)
            if KeySlotStore(data_dir).exists():
                phase = "registry complete"
            else:
                with pytest.raises(RegistryError) as err:
                    Registry.check_openable(data_dir)
                assert err.value.code in ("registry_incomplete", "registry_missing")
                phase = f"not finished ({err.value.code})"
                Desk.create(data_dir, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                            kdf=CHEAP).close()  # init can start over
            desk = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
            try:
                assert_healthy(desk)
            finally:
                desk.close()
            out.append(KillPoint("creation", n + 1, int(delay * 1000), phase,
                                 "complete, or init starts over; then opens healthy"))
    finally:
        zygote.close()


# ------------------------------------------------------------------------------------------------ the test


def test_registry_survives_sigkill_at_many_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    results: dict[str, list[KillPoint]] = {"A": [], "B": [], "M": []}
    errors: list[BaseException] = []

    def guarded(fn: Callable[..., None], *args: Any) -> Callable[[], None]:
        def run() -> None:
            try:
                fn(*args)
            except BaseException as exc:  # re-raised in the test thread below
                errors.append(exc)
        return run

    make_desk(tmp_path / "A" / "registry").close()
    make_desk(tmp_path / "B" / "registry").close()
    before = make_old_schema_registry(tmp_path / "M" / "template")
    lanes = [
        threading.Thread(target=guarded(writes_lane, "writes-A", tmp_path / "A", 1, WRITE_KILLS_PER_LANE,
                                        results["A"])),
        threading.Thread(target=guarded(writes_lane, "writes-B", tmp_path / "B", 2, WRITE_KILLS_PER_LANE,
                                        results["B"])),
        threading.Thread(target=guarded(migration_and_creation_lane, tmp_path / "M", 3, before, results["M"])),
    ]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    if errors:
        raise errors[0]
    points = results["A"] + results["B"] + results["M"]
    assert len(points) >= 50
    with capsys.disabled():
        print(f"\ncrash test: {len(points)} kill points (SIGKILL), {time.monotonic() - started:.1f} s")
        for p in points:
            print(f"  {p.lane:<9} #{p.n:<2} after {p.delay_ms:>3} ms: {p.phase:<42} → {p.check}")


IMPORT_KILLS = 8


def test_import_survives_sigkill(templates: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An import is one transaction: killed at any moment, the supervisor has all of the bundle or none."""
    from fanguai_desk.store.models import ImportedBundle
    from tests.exchange.conftest import open_desk

    started = time.monotonic()
    town = templates.copy("town_a", tmp_path)
    desk = open_desk(town)
    try:
        bundle = tmp_path / "bundle.p7m"
        bundle.write_bytes(desk.exchange.export(templates.sup_cert).bundle)
        files = len(desk.victims.list_rows(limit=1000))
    finally:
        desk.close()
    rng = random.Random(4)
    points: list[KillPoint] = []
    zygote = Zygote()
    try:
        window = timed_run(zygote, "import", templates.copy("sup", tmp_path / "probe"), tmp_path, "imported",
                           bundle=bundle, start="opened") * 1.3
        for n in range(IMPORT_KILLS):
            data_dir = templates.copy("sup", tmp_path / f"imp-{n}")
            journal, log = tmp_path / f"imp-{n}.txt", tmp_path / f"imp-{n}.log"
            pid = zygote.spawn("import", data_dir, journal, log, bundle=bundle)
            wait_for(journal, 0, "opened", log)
            delay = rng.uniform(0.0, window)
            time.sleep(delay)
            zygote.kill(pid)
            sup = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
            try:
                assert_healthy(sup)
                with sup.read() as s:
                    victims = int(s.scalar(select(func.count()).select_from(Victim)) or 0)
                    bundles = int(s.scalar(select(func.count()).select_from(ImportedBundle)) or 0)
                assert (victims, bundles) in ((0, 0), (files, 1)), (victims, bundles)  # all or nothing
                if bundles == 0:
                    sup.exchange.import_bundle(bundle.read_bytes())  # and it can simply be imported again
            finally:
                sup.close()
            points.append(KillPoint("import", n + 1, int(delay * 1000),
                                    "import had committed" if bundles else "import rolled back",
                                    "all of the bundle or none; re-import works"))
    finally:
        zygote.close()
    with capsys.disabled():
        print(f"\nimport crash test: {len(points)} kill points, {time.monotonic() - started:.1f} s")
        for p in points:
            print(f"  {p.lane:<9} #{p.n:<2} after {p.delay_ms:>3} ms: {p.phase:<42} → {p.check}")


REKEY_POINTS = ("slots-pending", "head-rewrapped", "checkpointed", "rekeyed", "before-commit", "committed")
REKEY_TIMED_KILLS = 5


def _rekey_child(data_dir: Path, point: str | None, signal_fd: int) -> None:
    """In a forked child: re-key after removing cw2, and SIGKILL ourselves at ``point`` (None: tell the parent
    through ``signal_fd`` that PRAGMA rekey is about to start, and the parent kills us a few ms later)."""
    try:
        desk = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD, kdf=CHEAP)

        def hook(where: str) -> None:
            if where == point:
                os.kill(os.getpid(), signal.SIGKILL)
            if point is None and where == "checkpointed":
                os.write(signal_fd, b"x")

        desk.users.remove("cw2", rekey=False)
        desk.users.rekey(remove_user_ids=frozenset({desk.users._user_by_login("cw2").id}), crash_hook=hook)
    finally:
        os._exit(0)


def test_rekey_survives_sigkill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SIGKILL at every step of a re-key (and at random moments): the registry opens with exactly one of the two
    keys, every remaining user signs in, the removed user does not, and nothing is lost."""
    from fanguai_desk.domain.enums import Role
    from fanguai_desk.store.rekey import key_opens
    from tests.helpers import content_fingerprint

    template = tmp_path / "template"
    desk = make_desk(template)
    desk.demo.run(DemoSpec(victims=300, townships=1, seed=5))
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    old_key = desk.database_key
    desk.close()
    probe = Desk.unlock(template, "admin", ADMIN_PASSWORD, kdf=CHEAP)
    victims_before = [r for r in content_fingerprint(probe) if r[0] == "victims"]
    probe.close()
    rng = random.Random(7)
    schedule: list[tuple[str | None, float]] = [(p, 0.0) for p in REKEY_POINTS]
    # Kills timed from the start of PRAGMA rekey (a few ms on this small registry): inside its transaction.
    schedule += [(None, rng.uniform(0.0, 0.12)) for _ in range(REKEY_TIMED_KILLS)]
    outcomes: list[str] = []
    for n, (point, delay) in enumerate(schedule):
        data = tmp_path / f"run{n}"
        shutil.copytree(template, data)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _rekey_child(data, point, write_fd)
        os.close(write_fd)
        if point is None:
            os.read(read_fd, 1)
            time.sleep(delay)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(read_fd)
        os.waitpid(pid, 0)
        # Exactly one of the two key generations opens the database ...
        admin = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
        key = admin.database_key
        assert key_opens(data, key)
        # ... and the audit head kept outside the database verifies under it (store/audit_head.py).
        assert admin.registry.rollback is not None and admin.registry.rollback.status == "ok"
        assert (key == old_key) != (not key_opens(data, old_key))
        rekeyed = key != old_key
        outcomes.append(f"{point or f'rekey + {delay * 1000:.1f} ms'}: {'new key' if rekeyed else 'old key'}")
        # ... nothing is lost, and the file is settled (no re-key left pending).
        assert [r for r in content_fingerprint(admin) if r[0] == "victims"] == victims_before
        assert KeySlotStore(data).load().pending_epoch is None
        admin.close()
        Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP).close()
        if rekeyed:
            with pytest.raises(Exception):  # noqa: B017  (UnlockError: the removed user's slot is gone)
                Desk.unlock(data, "cw2", USER_PASSWORD, kdf=CHEAP)
        # A re-key after the crash completes (a rolled-back one can simply be run again).
        again = Desk.unlock(data, "admin", ADMIN_PASSWORD, kdf=CHEAP)
        again.users.rekey()
        again.close()
        Desk.unlock(data, "cw1", USER_PASSWORD, kdf=CHEAP).close()
        shutil.rmtree(data)
    assert sum(o.endswith("new key") for o in outcomes) >= 2 and sum(o.endswith("old key") for o in outcomes) >= 2
    with capsys.disabled():
        print(f"\nrekey crash test: {len(schedule)} kill points: " + "; ".join(outcomes))


EXPORT_KILLS = 20


def test_export_survives_sigkill(templates: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One township registry, one export worker after another, each SIGKILLed at a random moment while it
    registers files and exports them (the public ``ExchangeService.export``, the file written atomically).
    After each kill: the registry opens for writing, every file the worker reported is there, and the bundle
    numbers handed out are distinct.  At the end every complete bundle file left on disk — strays of killed
    exports included — is imported at the county: none is refused as a replay (no two different bundles ever
    share a number), and after one more export the county holds the township's records, record for record."""
    from fanguai_desk.exchange.envelope import ExchangeError
    from fanguai_desk.store.models import SentBundle
    from tests.exchange.conftest import export_outcome, import_bundle
    from tests.exchange.test_delivery import assert_county_equals_township

    started = time.monotonic()
    town = templates.copy("town_a", tmp_path)
    sup = templates.copy("sup", tmp_path)
    cert = tmp_path / "sup.crt"
    cert.write_bytes(templates.sup_cert)
    out = tmp_path / "bundles"
    out.mkdir()
    journal, log = tmp_path / "export.txt", tmp_path / "export.log"
    (out / "0-first.p7m").write_bytes(export_outcome(town, templates.sup_cert).bundle)  # the 60 demo files, once
    rng = random.Random(11)
    points: list[KillPoint] = []
    zygote = Zygote()
    try:
        # How long one register + export round takes here: the kills are spread over 1.5 rounds, so they land
        # in every phase of both (and a worker rarely gets far: each kill stays cheap).
        window = 1.5 * timed_run(zygote, "export", town, tmp_path, "exported", bundle=cert, start="opened",
                                 out=out)
        for n in range(EXPORT_KILLS):
            start = len(journal_lines(journal))
            pid = zygote.spawn("export", town, journal, log, seed=n + 1, bundle=cert, out=out)
            wait_for(journal, start, "opened", log)
            delay = rng.uniform(0.0, window)
            time.sleep(delay)
            zygote.kill(pid)
            done = journal_lines(journal, start)
            last_kind, last_value = done[-1]
            phase = f"during {last_value}" if last_kind == "begin" else f"after {last_kind}"
            exported = sum(k == "exported" for k, _ in done)
            desk = Desk.unlock(town, "admin", ADMIN_PASSWORD)
            try:
                if n % 5 == 4:
                    assert_healthy(desk)
                with desk.read() as s:
                    victims = set(s.scalars(select(Victim.id)))
                    sequences = list(s.scalars(select(SentBundle.sequence)))
            finally:
                desk.close()
            noted = {v for k, v in journal_lines(journal) if k == "victim"}
            assert noted <= victims, "a committed file is missing"
            assert len(sequences) == len(set(sequences))
            points.append(KillPoint("export", n + 1, int(delay * 1000), f"{phase} ({exported} exports done)",
                                    "opens, all committed, numbers distinct"))
    finally:
        zygote.close()
    reported = {int(v.split()[0]) for k, v in journal_lines(journal) + journal_lines(tmp_path / "export-probe.txt")
                if k == "exported"}
    files = sorted(out.glob("*.p7m"), key=lambda p: p.stat().st_mtime_ns)
    assert len(files) >= len(reported) + 1 and reported
    for f in files:  # strays of killed exports too: each one a valid bundle under a number of its own
        try:
            import_bundle(sup, f.read_bytes(), accept_gap=True)
        except ExchangeError as exc:
            pytest.fail(f"bundle {f.name} refused: {exc.code}")
    import_bundle(sup, export_outcome(town, templates.sup_cert).bundle, accept_gap=True)
    assert_county_equals_township(sup, town)
    with capsys.disabled():
        print(f"\nexport crash test: {len(points)} kill points, {len(files)} bundle files, "
              f"{time.monotonic() - started:.1f} s")
        for p in points:
            print(f"  {p.lane:<9} #{p.n:<2} after {p.delay_ms:>3} ms: {p.phase:<42} → {p.check}")
