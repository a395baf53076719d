"""installation: what this registry is in the exchange, a township laptop or the county's (issue 15, s15i)

A registry-level fact in ``registry_meta`` (key ``installation``; store/installation.py), set when a registry
is created from now on.  Existing registries are decided from what they hold: the county CA's key or an
imported records/statistics bundle → the county's laptop, otherwise a township laptop.  No new table or
column; re-runnable (a stored fact is never overwritten; an empty database, being created, is left alone).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 03:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from fanguai_desk.store import installation

    installation.backfill(op.get_bind())


def downgrade() -> None:
    op.execute("DELETE FROM registry_meta WHERE key = 'installation'")
