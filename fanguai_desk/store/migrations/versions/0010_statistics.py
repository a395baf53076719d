"""county statistics: received statistics bundles (issue 14)

Townships' statistics-only bundles are kept (protected counts only) so that the supervisor's annual and
period reports add them.  A new table: existing registries just get it empty.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_statistics",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("township_code", sa.String(length=20), nullable=False),
        sa.Column("township_name", sa.String(length=100), nullable=False),
        sa.Column("author", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("cells", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_statistics")),
    )
    with op.batch_alter_table("received_statistics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_statistics_bundle_id"), ["bundle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_received_statistics_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("received_statistics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_statistics_year"))
        batch_op.drop_index(batch_op.f("ix_received_statistics_bundle_id"))
    op.drop_table("received_statistics")
