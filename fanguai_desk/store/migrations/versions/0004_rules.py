"""one rule one place: entry-rule bookkeeping and review flags (issue 11)

review_flags: records that broke a file rule after they were written, and colliding imported file
numbers, for review on the file.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'review_flags',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('victim_id', sa.String(length=36), nullable=False),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('rule', sa.String(length=60), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_by', sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(['victim_id'], ['victims.id'], name=op.f('fk_review_flags_victim_id_victims'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_flags')),
    )
    with op.batch_alter_table('review_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_flags_victim_id'), ['victim_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_flags_victim_id'))
    op.drop_table('review_flags')
