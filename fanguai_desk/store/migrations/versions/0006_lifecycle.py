"""a file's whole life: close/reopen/transfer/delete (issue 13)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns (and one with a server default): SQLite adds them in place, existing rows keep their
    # data; files closed before keep their reason ("formal" stays a valid, no longer offered, code).
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closure_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reopen_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reopened_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('transferred_to', sa.String(length=300), nullable=True))
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('materials_requested_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('objected_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('objected_on')
        batch_op.drop_column('paused_days')
        batch_op.drop_column('materials_requested_on')
    with op.batch_alter_table('victims', schema=None) as batch_op:
        batch_op.drop_column('transferred_to')
        batch_op.drop_column('reopened_on')
        batch_op.drop_column('reopen_reason')
        batch_op.drop_column('closure_note')
