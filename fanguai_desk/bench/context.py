"""One benchmark run: a working copy of the cached registry, the bare connections, the sample files.

    run-*/registry/        our working copy: the services run here (signed in as admin / a caseworker)
    run-*/raw-cipher.db    an encrypted copy for the bare sqlcipher3 replay (our writes are replayed
                           here too, so it keeps pace with the working copy)
    run-*/plain.db         the decrypted copy (``sqlcipher_export``) for the plain sqlite3 replay

The whole run directory is deleted by :meth:`BenchContext.close`, the decrypted copy first.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from sqlalchemy import func, select

from fanguai_desk.bench.builder import BENCH_LOGIN, BENCH_PASSWORD, BuiltRegistry, database_key, discard_copy
from fanguai_desk.bench.raw import (
    Replayer,
    SqlCapture,
    Statement,
    export_plaintext,
    raw_cipher_connection,
    raw_plain_connection,
    replay_each,
)
from fanguai_desk.domain.enums import FileStatus, FollowUpStatus, IdentityStatus, Role
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.engine import DB_FILE
from fanguai_desk.store.keyslots import KdfParams
from fanguai_desk.store.models import FollowUp, Township, Victim

CASEWORKER_LOGIN = "bench-cw"
CASEWORKER_PASSWORD = "Bench-caseworker-2026!"
SUPERVISOR_LOGIN = "bench-sup"
SUPERVISOR_PASSWORD = "County-overseer-2026!"


@dataclass(frozen=True)
class BenchConfig:
    repeat: int = 30  # fast operations: median and p95 over this many timed runs …
    warmup: int = 3  # … after this many untimed ones
    slow_repeat: int = 10  # PDF rendering and signing, cold starts
    kdf_repeat: int = 5  # the production Argon2id derivation (~0.5 s each)
    long_repeat: int = 1  # export, import (the yearly and period reports and scrolling the whole list: at least 3)
    budget_seconds: float = 60.0  # an operation slower than budget/repeat gets fewer runs (at least 3)
    samples: int = 40  # distinct files the searches and file operations rotate through


@dataclass(frozen=True)
class SampleFile:
    """A real file of the benchmark registry, and what a user would type to find it."""

    victim_id: str
    file_number: str
    name_prefix: str  # surname + first given character
    surname: str
    initials: str  # pinyin initials of the whole name
    id_tail: str
    township: str
    done_followup_id: str | None


@dataclass
class Timing:
    """What one measurement produced: our times, the bare-engine replays, anything else worth keeping."""

    samples_ms: list[float]
    raw_cipher_ms: list[float] | None = None
    cpu_ms: list[float] | None = None  # this process's CPU time for each timed run (wall time may wait on others)
    raw_plain_ms: list[float] | None = None
    best_cipher_ms: list[float] | None = None  # the engine's best plan for the same answer (bench/best.py)
    extra: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


class BenchContext:
    def __init__(self, built: BuiltRegistry, config: BenchConfig | None = None) -> None:
        self.built = built
        self.config = config or BenchConfig()
        self.registry_dir = built.working_copy()
        self.run_dir = self.registry_dir.parent
        self._desks: dict[str, Desk] = {}
        self.shared: dict[str, Any] = {}  # what one measurement leaves for another (certificates, a bundle)
        self._captures: dict[int, SqlCapture] = {}
        self.cipher: Replayer | None = None
        self.plain: Replayer | None = None
        try:
            self.key = database_key(self.registry_dir)
            self.raw_cipher_path = self.run_dir / "raw-cipher.db"
            self.plain_path = self.run_dir / "plain.db"
            shutil.copy2(self.registry_dir / DB_FILE, self.raw_cipher_path)
            self.cipher = Replayer(lambda: raw_cipher_connection(self.raw_cipher_path, self.key))
            export_plaintext(self.cipher.main, self.plain_path)
            self.plain = Replayer(lambda: raw_plain_connection(self.plain_path))
            self.samples, self.township_samples = self._load_samples()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ signed-in desks

    def desk(self, who: str = "admin") -> Desk:
        """The admin (whole county), a county-wide supervisor (issue 12: a supervisor without a township sees
        every township) or a caseworker (one township) signed in to the working copy."""
        if who not in self._desks:
            if who == "supervisor":
                admin = self.desk("admin")
                if SUPERVISOR_LOGIN not in {u.login for u in admin.users.list()}:
                    admin.users.add(SUPERVISOR_LOGIN, SUPERVISOR_PASSWORD, Role.SUPERVISOR, None,
                                    display_name="基准测试县级督导（工作台）")
                self._desks[who] = self.unlock(SUPERVISOR_LOGIN, SUPERVISOR_PASSWORD)
            elif who == "caseworker":
                admin = self.desk("admin")
                if CASEWORKER_LOGIN not in {u.login for u in admin.users.list()}:
                    admin.users.add(CASEWORKER_LOGIN, CASEWORKER_PASSWORD, Role.CASEWORKER,
                                    self.township_samples[0].township, display_name="基准测试社工")
                self._desks[who] = self.unlock(CASEWORKER_LOGIN, CASEWORKER_PASSWORD)
            else:
                self._desks[who] = self.unlock(BENCH_LOGIN, BENCH_PASSWORD)
        return self._desks[who]

    def unlock(self, login: str = BENCH_LOGIN, password: str = BENCH_PASSWORD) -> Desk:
        return Desk.unlock(self.registry_dir, login, password, kdf=KdfParams.cheap_for_tests())

    def release_registry(self) -> None:
        """Sign every desk out, so that a child process can take the registry's lock."""
        for desk in self._desks.values():
            desk.close()
        self._desks.clear()
        self._captures.clear()

    def capture(self, desk: Desk) -> SqlCapture:
        engine = desk.registry.engine
        if id(engine) not in self._captures:
            self._captures[id(engine)] = SqlCapture(engine)
        return self._captures[id(engine)]

    def sample(self, i: int) -> SampleFile:
        return self.samples[i % len(self.samples)]

    # ------------------------------------------------------------------ timing

    def timed(self, op: Callable[[int], object], *, desk: Desk | None = None, reps: int | None = None,
              warmup: int | None = None, raw: bool = True, breakdown: bool = False,
              best: Callable[[Any, int], object] | None = None,
              before: Callable[[], object] | None = None) -> Timing:
        """Run ``op(i)`` ``warmup`` + ``reps`` times (i = 0, 1, …), timing the last ``reps``; then replay
        each run's SQL on the bare connections (in the same order, so replayed writes keep the copies in
        step with the working copy).  ``best(conn, i)``, if given, is the hand-written best plan for the same
        answer as ``op(i)`` (read-only), timed as often on the bare sqlcipher3 connection.  ``before()``, if
        given, runs untimed before every run of ``op`` (clearing up what the last one left, as the app's event
        loop would between two user actions).

        Compared with ``best``, every side is timed warm: the engine's best plan runs on a connection that
        the replay of our SQL has just read the same pages on, so our operation and the replays first get one
        untimed pass over the same inputs too (a first, cold read of a page — decrypting it — costs both sides
        alike and would hide our layers' own cost in the ratio)."""
        reps = self.config.repeat if reps is None else reps
        warmup = self.config.warmup if warmup is None else warmup
        capture = self.capture(desk or self.desk())
        prepass: list[list[Statement]] | None = None
        if best is not None:
            # Read-only: the same inputs once on our side, untimed, as the engine gets them.  Their SQL (the same
            # as the timed runs') is captured here, so that the timed runs go without the capture's listener:
            # bench instrumentation on our connection's every statement that the engine's side does not pay.
            prepass = []
            for k in range(warmup + reps):
                if before is not None:
                    before()
                with capture.recording() as statements:
                    op(k)
                prepass.append(statements)
            capture.remove()

        def run(k: int) -> tuple[float, float]:
            cpu_started = time.process_time()  # outside the wall-clock interval (a system call, ~1 µs)
            started = time.perf_counter()
            op(k)
            elapsed = time.perf_counter() - started
            return elapsed, time.process_time() - cpu_started

        captures: list[list[Statement]] = []
        samples: list[float] = []
        cpu: list[float] = []
        i = 0
        while i < warmup + reps:
            if before is not None:
                before()
            if prepass is None:
                with capture.recording() as statements:
                    elapsed, cpu_elapsed = run(i)
                captures.append(statements)
            else:
                elapsed, cpu_elapsed = run(i)
            if i >= warmup:
                samples.append(elapsed * 1000)
                cpu.append(cpu_elapsed * 1000)
            elif i == 0 and reps > 3 and elapsed * reps > self.config.budget_seconds:
                reps = max(3, int(self.config.budget_seconds / elapsed))  # a slow one: fewer runs …
                warmup = 1  # … and one warm-up (this one)
            i += 1
        if prepass is not None:
            captures = prepass[:i]
        timing = Timing(samples, cpu_ms=cpu)
        if not raw:
            return timing
        assert self.cipher is not None and self.plain is not None
        if best is not None and not any(st.writes for c in captures for st in c):
            for c in captures:  # the replays warm too (the best plan below runs after them, on their pages)
                self.cipher.replay(c)
                self.plain.replay(c)
        timing.raw_cipher_ms = [self.cipher.replay(c) * 1000 for c in captures][warmup:]
        timing.raw_plain_ms = [self.plain.replay(c) * 1000 for c in captures][warmup:]
        if best is not None:
            best_ms = []
            for k in range(warmup + reps):
                started = time.perf_counter()
                best(self.cipher.main, k)
                best_ms.append((time.perf_counter() - started) * 1000)
            timing.best_cipher_ms = best_ms[warmup:]
        timing.extra["statements_per_run"] = median(
            sum(1 for st in c if st.sql not in ("COMMIT", "ROLLBACK")) for c in captures[warmup:])
        if breakdown:
            timing.extra["statements"] = self._breakdown(captures[warmup:][:5])
        return timing

    def _breakdown(self, captures: list[list[Statement]]) -> list[dict[str, Any]]:
        assert self.cipher is not None
        per_run = [replay_each(self.cipher.main, c) for c in captures]
        rows = []
        for k, (label, _t) in enumerate(per_run[0]):
            rows.append({"sql": label, "raw_sqlcipher_ms": round(median(r[k][1] for r in per_run) * 1000, 3)})
        return rows

    # ------------------------------------------------------------------ sample files

    def _load_samples(self) -> tuple[list[SampleFile], list[SampleFile]]:
        """Open, identified files with a visible name, picked at random (ordered by their random UUIDs):
        from the whole county, and from the township of the first one (what its caseworker searches)."""
        desk = self.unlock()
        try:
            with desk.read() as s:
                towns = {tid: name for tid, name in s.execute(select(Township.id, Township.name))}

                def pick(*where: Any) -> list[SampleFile]:
                    victims = list(s.scalars(
                        select(Victim).where(Victim.status == FileStatus.OPEN,
                                             Victim.identity_status == IdentityStatus.KNOWN,
                                             Victim.hidden_name.is_(False), Victim.id_tail.is_not(None), *where)
                        .order_by(Victim.id).limit(self.config.samples)))
                    last_done = {vid: fid for vid, fid in s.execute(
                        select(FollowUp.victim_id, func.max(FollowUp.id))
                        .where(FollowUp.victim_id.in_([v.id for v in victims]),
                               FollowUp.status == FollowUpStatus.DONE)
                        .group_by(FollowUp.victim_id))}
                    return [SampleFile(v.id, v.file_number, (v.name or "")[:2], (v.name or "")[:1],
                                       v.name_initials or "", v.id_tail or "", towns[v.township_id],
                                       last_done.get(v.id)) for v in victims]

                county = pick()
                township_id = next(tid for tid, name in towns.items() if name == county[0].township)
                return county, pick(Victim.township_id == township_id)
        finally:
            desk.close()

    # ------------------------------------------------------------------ end

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.release_registry()
        for conn in (self.cipher, self.plain):
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
        self.cipher = self.plain = None
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / "plain.db").unlink()  # the decrypted copy goes first, whatever happens next
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (self.run_dir / f"plain.db{suffix}").unlink()
        discard_copy(self.registry_dir)
