"""a file's whole life: close/reopen/transfer/delete (issue 13)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

from datetime import UTC, datetime

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
    cancel_open_obligations_of_closed_files()


def cancel_open_obligations_of_closed_files() -> None:
    """Files closed before this revision kept their planned visits and open services, which stayed "overdue"
    for ever (issue 13: 9 of a demo dashboard's 87 overdue services belonged to closed files).  Closing now
    cancels them; do the same for the files already closed.  The version goes up and updated_at moves, so the
    next export carries the change to the county."""
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    closed = "SELECT id FROM victims WHERE status = 'closed'"
    op.execute(sa.text(f"UPDATE followups SET status = 'cancelled', version = version + 1, updated_at = :now "
                       f"WHERE status = 'planned' AND victim_id IN ({closed})").bindparams(now=now))
    op.execute(sa.text(f"UPDATE services SET status = 'cancelled', version = version + 1, updated_at = :now "
                       f"WHERE status IN ('planned', 'in_progress') AND victim_id IN ({closed})").bindparams(now=now))


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
