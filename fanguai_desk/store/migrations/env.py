"""Alembic environment.  Migrations run programmatically at open, on the engine's keyed connection
(``config.attributes["connection"]``); there is no alembic.ini and no URL with a key in it."""

from __future__ import annotations

from alembic import context

from fanguai_desk.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached if someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through fanguai_desk.store.schema, which supplies a keyed connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
