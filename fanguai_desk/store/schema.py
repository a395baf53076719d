"""Schema creation and upgrade with Alembic, run at open on the keyed connection."""

from __future__ import annotations

import ast
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fanguai_desk.domain.errors import RegistryError

if TYPE_CHECKING:  # Alembic and SQLAlchemy load only when a registry is opened (start-up time)
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic's ``op``/``context`` are module-level proxies: two migrations at once in one process (two
# registries opened from two threads) would run each other's operations.  One at a time.
_MIGRATING = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_CHAIN_LOCK = threading.Lock()
_CHAIN: dict[str, str | None] | None = None


def _revision_chain() -> dict[str, str | None]:
    """revision → down_revision, read once from the migration files without loading Alembic (opening a
    registry and ``--version`` must be fast); a test checks the answers against Alembic's own.  Parsed under a
    lock: CPython 3.11's ``ast`` fails ("AST constructor recursion depth mismatch") when threads parse at once
    (registries opened from several threads, as the crash test does)."""
    global _CHAIN
    with _CHAIN_LOCK:
        if _CHAIN is None:
            _CHAIN = _parse_revision_chain()
        return dict(_CHAIN)


def _parse_revision_chain() -> dict[str, str | None]:
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text("utf-8")).body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("revision", "down_revision")):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        if isinstance(values.get("revision"), str):
            down = values.get("down_revision")
            revisions[str(values["revision"])] = down if isinstance(down, str) else None
    return revisions


def head_revision() -> str:
    revisions = _revision_chain()
    heads = set(revisions) - {d for d in revisions.values() if d}
    if len(heads) != 1:
        raise RuntimeError("the migration scripts do not form one chain")
    return heads.pop()


def revision_chain() -> dict[str, str | None]:
    """revision → the revision it upgrades from (None for the first)."""
    return _revision_chain()


def known_revisions() -> set[str]:
    return set(_revision_chain())


def alembic_head_and_known() -> tuple[str | None, set[str]]:
    """Alembic's own view of the scripts (for the test that keeps ``_revision_chain`` honest)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return scripts.get_current_head(), {s.revision for s in scripts.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The registry's revision: the one row of Alembic's ``alembic_version`` table (None: no schema yet)."""
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                                ).first() is None:
            return None
        rows = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if len(rows) > 1:
        raise RegistryError("schema_newer", found=",".join(sorted(rows)), supported=head_revision())
    return rows[0] if rows else None


def ensure_schema(engine: Engine) -> str:
    """Create or upgrade the schema to this program's head; refuse a registry from a newer program."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise RegistryError("schema_newer", found=current, supported=head_revision())
    if current != head_revision():
        with _MIGRATING, engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            # SQLite's procedure for table rebuilds (Alembic batch mode): foreign keys off *outside* the
            # transaction, or DROP TABLE of a parent fails — or, worse, cascades deletes into its children —
            # then checked as a whole before the commit.  Everything commits or nothing does.
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    from alembic import command

                    command.upgrade(alembic_config(conn), "head")
                    # A later migration that rebuilt a table (batch mode) dropped its journal triggers.
                    from fanguai_desk.store.journal import install_triggers

                    install_triggers(conn)
                    from fanguai_desk.store import state

                    state.install_triggers(conn)  # likewise the maintained-state triggers on placements
                    if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise RegistryError("migration_failed", found=str(current), supported=head_revision())
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
        from fanguai_desk.store.engine import refresh_statistics  # not at import: --version stays fast

        refresh_statistics(engine)  # tables were rebuilt: the planner's statistics went with them
    return head_revision()
