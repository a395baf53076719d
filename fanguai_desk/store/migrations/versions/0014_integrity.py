"""record_sync.synced_epoch: the sender's delivery epoch of the version last received (issue 19)

After a restore a township numbers record versions again from its backup, so the county may hold version N of
a record with other contents than the restored laptop's version N.  The county keeps the epoch each synced
version came from and never takes a version of another epoch for one it already holds (exchange/importer.py).
Existing rows keep NULL: compared by version as before until the next bundle from that laptop sets it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_sync") as batch:
        batch.add_column(sa.Column("synced_epoch", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("record_sync") as batch:
        batch.drop_column("synced_epoch")
