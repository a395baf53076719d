"""Schema creation and upgrade with Alembic, run at open on the keyed connection."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.store.engine import refresh_statistics

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic's ``op``/``context`` are module-level proxies: two migrations at once in one process (two
# registries opened from two threads) would run each other's operations.  One at a time.
_MIGRATING = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
                    command.upgrade(alembic_config(conn), "head")
                    if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise RegistryError("migration_failed", found=str(current), supported=head_revision())
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
        refresh_statistics(engine)  # tables were rebuilt: the planner's statistics went with them
    return head_revision()
