"""Review flags travel: who raised a received flag, and the reviewer's note (issue 11, s11f).

``review_flags`` gains ``origin_installation`` (NULL: raised on this installation — every flag before this
revision was) and ``resolution_note``.  Flags become journaled like records (``store/journal.py``, the
triggers are re-created after every upgrade), and every existing flag gets one journal entry now, so
that a township's flags — open or already reviewed — reach the county with its next bundle.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_flags') as b:
        b.add_column(sa.Column('origin_installation', sa.String(length=36), nullable=True))
        b.add_column(sa.Column('resolution_note', sa.Text(), nullable=True))
    op.execute("INSERT INTO change_journal (record_type, record_id) "
               "SELECT 'review_flag', id FROM review_flags ORDER BY created_at, id")


def downgrade() -> None:
    op.execute("DELETE FROM change_journal WHERE record_type = 'review_flag'")
    op.execute("DROP TRIGGER IF EXISTS trg_journal_review_flags_insert")
    op.execute("DROP TRIGGER IF EXISTS trg_journal_review_flags_update")
    with op.batch_alter_table('review_flags') as b:
        b.drop_column('resolution_note')
        b.drop_column('origin_installation')
