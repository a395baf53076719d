"""epoch_bases: what a restored laptop held of each record when its delivery epoch began (issue 19, s19v)

A laptop restored from a backup numbers record versions again from the backup.  If it edits a record more
times than the lost laptop did, its version is *higher* than the one the county holds from the lost laptop,
and was silently taken over it.  The restore now records, per record, the version and a digest of the
contents it restored (``store/epoch_bases.py``); they travel with the record in the new epoch and the
county takes the record as a successor of its copy only when they prove the sender held exactly that copy
(``exchange/importer.py``).  An empty table on existing registries: nothing is claimed until the next restore.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "epoch_bases",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_epoch_bases")),
    )


def downgrade() -> None:
    op.drop_table("epoch_bases")
