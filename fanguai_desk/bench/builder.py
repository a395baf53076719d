"""The benchmark registry: built once per (size, schema revision) and cached.

    CACHE/<N>-<schema>/registry/    the registry (cheap KDF slot: building and unlocking it is not
                                    what is measured; the production KDF is timed on its own)
    CACHE/<N>-<schema>/built.json   what was generated and how long it took
    CACHE/<N>-<schema>/run-*/       a working copy per run (writes never touch the cache); deleted after

Only synthetic people (``services.demo``).  The build goes to a temporary directory renamed into
place at the end, so an interrupted build leaves no half-made cache behind.  After a new migration, the
cache of the previous revision is upgraded by opening a copy (as on a user's laptop), not regenerated.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fanguai_desk.bench.raw import raw_cipher_connection
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.engine import DB_FILE
from fanguai_desk.store.keyslots import KdfParams, KeySlotStore
from fanguai_desk.store.schema import head_revision, known_revisions, revision_chain

BENCH_LOGIN = "admin"
BENCH_PASSWORD = "Bench-registry-2026!"
BENCH_SEED = 2026
BUILD_FORMAT = 1  # bump when the generated data's shape changes, so old caches are not reused
TOWNSHIPS = 40
YEARS = 10

Progress = Callable[[int, int], None]


def bench_spec(victims: int) -> DemoSpec:
    """~10 follow-ups, ~3 services, 0.5 referrals and ~2 placement events per file, 10 years, 40 townships."""
    return DemoSpec(victims=victims, townships=TOWNSHIPS, years=YEARS, followups_per_victim=10.0,
                    services_per_victim=3.0, referrals_per_victim=0.5, seed=BENCH_SEED)


@dataclass(frozen=True)
class BuiltRegistry:
    path: Path  # the cached registry's data directory (read-only by convention)
    victims: int
    schema: str
    counts: dict[str, int]
    build_seconds: float
    database_bytes: int
    reused: bool

    def working_copy(self) -> Path:
        """A fresh copy of the cached registry for one run (caller deletes it with ``discard_copy``)."""
        remove_stale_runs(self.path.parent)
        run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.path.parent))
        (run_dir / "pid").write_text(str(os.getpid()), "ascii")
        target = run_dir / "registry"
        shutil.copytree(self.path, target)
        return target

    def describe(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        return d


def discard_copy(registry_dir: Path) -> None:
    shutil.rmtree(registry_dir.parent, ignore_errors=True)


def remove_stale_runs(home: Path) -> None:
    """Delete run directories left by a run that was killed (its process is gone), decrypted copy included."""
    for run_dir in home.glob("run-*"):
        try:
            pid = int((run_dir / "pid").read_text("ascii"))
        except (OSError, ValueError):
            pid = 0
        if pid and pid != os.getpid() and _alive(pid):
            continue  # another benchmark is using this cache right now
        shutil.rmtree(run_dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_VERSIONS = Path(__file__).resolve().parent.parent / "store" / "migrations" / "versions"
_REVISION_LINE = re.compile(r"^revision = ['\"]([^'\"]+)['\"]", re.MULTILINE)


def migrations_digest() -> str:
    """What the migrations say, not only the head's name: a revision's content can change under the same name
    (this project reserves no-op revisions for work in progress and fills them in later), and a cache built
    before that would be reused without the new columns and triggers."""
    digest = hashlib.sha256()
    for path in sorted(_VERSIONS.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def migration_digests() -> dict[str, str]:
    """Each revision's own digest, so a cache can tell *which* revision changed under its name."""
    out: dict[str, str] = {}
    for path in sorted(_VERSIONS.glob("*.py")):
        text = path.read_bytes()
        found = _REVISION_LINE.search(text.decode("utf-8"))
        if found:
            out[found.group(1)] = hashlib.sha256(text).hexdigest()[:16]
    return out


def first_changed_revision(built_with: dict[str, str] | None) -> str | None:
    """The earliest revision (in chain order) whose content differs from the one a cache was built with, or
    None when that cannot be told (an old cache that did not record its revisions' digests)."""
    if not built_with:
        return None
    now = migration_digests()
    for revision in revision_order():
        if built_with.get(revision) != now.get(revision):
            return revision
    return None


def revision_order() -> list[str]:
    """The migration chain from the first revision to the head."""
    chain = revision_chain()
    order: list[str] = []
    revision: str | None = head_revision()
    while revision is not None:
        order.append(revision)
        revision = chain.get(revision)
    return order[::-1]


def cache_dir(cache_root: Path, victims: int) -> Path:
    return cache_root / f"{victims}-{head_revision()}"


def ensure_registry(cache_root: Path, victims: int, *, rebuild: bool = False,
                    progress: Progress | None = None) -> BuiltRegistry:
    """The cached benchmark registry of ``victims`` files, built now if missing (or if ``rebuild``).

    A cache made under an older schema revision is upgraded (a copy is opened, which runs the
    migrations, as on a user's laptop) instead of generated again; the old one is then removed."""
    home = cache_dir(cache_root, victims)
    marker = home / "built.json"
    if rebuild and home.exists():
        shutil.rmtree(home)
    if marker.exists():
        info = json.loads(marker.read_text("utf-8"))
        if info.get("format") == BUILD_FORMAT and (home / "registry" / DB_FILE).exists():
            if info.get("migrations") == migrations_digest():
                return _described(home, info, reused=True)
            replayed = _replay_changed_revisions(home, info)
            if replayed is not None:
                return replayed
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    remove_stale_runs(home)
    older = None if rebuild else _older_cache(cache_root, victims)
    staging = Path(tempfile.mkdtemp(prefix="building-", dir=home))
    try:
        started = time.perf_counter()
        if older is not None:
            shutil.copytree(older / "registry", staging / "registry")
            previous = json.loads((older / "built.json").read_text("utf-8"))
            _rerun_changed_revisions(staging / "registry", previous.get("migration_digests"))
            _open_and_close(staging / "registry")  # runs the migrations
            info = {**previous, "schema": head_revision(), "migrated_from": previous["schema"],
                    "migrate_seconds": round(time.perf_counter() - started, 2)}
        else:
            counts = _build(staging / "registry", victims, progress)
            info = {"format": BUILD_FORMAT, "victims": victims, "schema": head_revision(), "counts": counts,
                    "build_seconds": round(time.perf_counter() - started, 2), "seed": BENCH_SEED,
                    "townships": TOWNSHIPS, "years": YEARS}
        (staging / "registry").rename(home / "registry")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    info["migrations"] = migrations_digest()
    info["migration_digests"] = migration_digests()
    _write_marker(marker, info)
    if older is not None:
        remove_stale_runs(older)
        if not any(older.glob("run-*")):
            shutil.rmtree(older, ignore_errors=True)
    return _described(home, info, reused=False)


def _replay_changed_revisions(home: Path, info: dict[str, Any]) -> BuiltRegistry | None:
    """A reserved revision filled in (or a revision edited) under the same name: the changed revisions run again
    on a copy of the cache — seconds instead of regenerating a 100,000-file registry for half an hour.  None
    when the cache cannot tell which revision changed, or replaying fails (the caller then rebuilds)."""
    staging = Path(tempfile.mkdtemp(prefix="replaying-", dir=home))
    try:
        started = time.perf_counter()
        shutil.copytree(home / "registry", staging / "registry")
        changed = _rerun_changed_revisions(staging / "registry", info.get("migration_digests"))
        if changed is None:
            return None
        _open_and_close(staging / "registry")
        shutil.rmtree(home / "registry")
        (staging / "registry").rename(home / "registry")
    except Exception as exc:
        # Never half-used, and never silently regenerated (31 minutes at 100k, and the cache is deleted first):
        # say which revision failed so it can be made re-runnable (IF NOT EXISTS), or --rebuild be asked for.
        raise RuntimeError(f"the cached {home.name} registry could not replay the changed migrations "
                           f"({type(exc).__name__}: {exc}); make them re-runnable or pass --rebuild") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    info = {**info, "schema": head_revision(), "replayed_from": changed,
            "migrate_seconds": round(time.perf_counter() - started, 2),
            "migrations": migrations_digest(), "migration_digests": migration_digests()}
    _write_marker(home / "built.json", info)
    return _described(home, info, reused=True)


def _write_marker(marker: Path, info: dict[str, Any]) -> None:
    """Write ``built.json`` as a new file (written beside it, then renamed over it): caches shared as hard links
    (one per worktree) must not see each other's marker change while their own registry did not."""
    fresh = marker.with_name(marker.name + ".new")
    fresh.write_text(json.dumps(info, indent=1), "utf-8")
    os.replace(fresh, marker)


def _rerun_changed_revisions(registry: Path, built_with: dict[str, str] | None) -> str | None:
    """Run again, each on its own, the revisions the copy already has whose content changed since it was built
    (a reserved no-op filled in later), leaving its schema where it was; returns the first such revision, or
    None when none changed or the cache did not record its revisions' digests.  Only the changed revisions
    run: the later ones already ran on this copy and are not written to run twice."""
    changed = first_changed_revision(built_with)
    if changed is None or built_with is None:
        return None
    now = migration_digests()
    order = revision_order()
    chain = revision_chain()
    from alembic import command

    from fanguai_desk.store.engine import open_engine
    from fanguai_desk.store.schema import alembic_config

    engine = open_engine(registry / DB_FILE, database_key(registry))
    try:
        with engine.connect() as conn:
            held = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            conn.rollback()
            if held not in order:
                return None
            replay = [r for r in order[: order.index(held) + 1] if built_with.get(r) != now.get(r)]
            if not replay:
                return None
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")  # as ensure_schema does for batch-mode table rebuilds
            with conn.begin():
                for revision in replay:
                    command.stamp(alembic_config(conn), chain[revision] or "base")
                    command.upgrade(alembic_config(conn), revision)
                command.stamp(alembic_config(conn), held)
            raw.execute("PRAGMA foreign_keys = ON")
    finally:
        engine.dispose()
    return replay[0]


def _older_cache(cache_root: Path, victims: int) -> Path | None:
    """A cache of the same size made by this generator under a schema revision this program can upgrade."""
    upgradable = known_revisions() - {head_revision()}
    for candidate in sorted(cache_root.glob(f"{victims}-*")):
        try:
            info = json.loads((candidate / "built.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if info.get("format") == BUILD_FORMAT and info.get("schema") in upgradable \
                and (candidate / "registry" / DB_FILE).exists():
            return candidate
    return None


def _build(path: Path, victims: int, progress: Progress | None) -> dict[str, int]:
    desk = Desk.create(path, admin_login=BENCH_LOGIN, admin_password=BENCH_PASSWORD, township_name="城关镇",
                       admin_display_name="基准测试管理员", county_name="基准县（虚构数据）",
                       kdf=KdfParams.cheap_for_tests())
    try:
        service = desk.demo
        for done, total in service.generate(bench_spec(victims)):
            if progress is not None:
                progress(done, total)
        counts = dict(vars(service.counts))
    finally:
        desk.close()
    _checkpoint(path)
    return counts


def database_key(registry_dir: Path) -> bytes:
    """The raw database key of a benchmark registry (opened with the bench password's slot)."""
    return KeySlotStore(registry_dir).unlock(BENCH_LOGIN, BENCH_PASSWORD).database_key


def _open_and_close(path: Path) -> None:
    Desk.unlock(path, BENCH_LOGIN, BENCH_PASSWORD, kdf=KdfParams.cheap_for_tests()).close()
    _checkpoint(path)


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the database file so the cache is one self-contained file plus key slots."""
    conn = raw_cipher_connection(path / DB_FILE, database_key(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _described(home: Path, info: dict[str, Any], *, reused: bool) -> BuiltRegistry:
    db = home / "registry" / DB_FILE
    return BuiltRegistry(path=home / "registry", victims=int(info["victims"]), schema=str(info["schema"]),
                         counts={k: int(v) for k, v in info["counts"].items()},
                         build_seconds=float(info["build_seconds"]), database_bytes=db.stat().st_size,
                         reused=reused)
