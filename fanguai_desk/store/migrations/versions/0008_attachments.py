"""encrypted attachments, print log (issue 18)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'attachments',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('victim_id', sa.String(length=36), nullable=False),
        sa.Column('parent_type', sa.String(length=40), nullable=True),
        sa.Column('parent_id', sa.String(length=36), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('chunk_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('origin_installation', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['victim_id'], ['victims.id'], name=op.f('fk_attachments_victim_id_victims'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_victim_id'), ['victim_id'], unique=False)
    op.create_table(
        'attachment_chunks',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('attachment_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'],
                                name=op.f('fk_attachment_chunks_attachment_id_attachments'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment_chunks')),
    )
    with op.batch_alter_table('attachment_chunks', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_chunks_attachment_seq', ['attachment_id', 'seq'], unique=True)
    op.create_table(
        'print_log',
        sa.Column('doc_id', sa.String(length=16), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('report', sa.String(length=40), nullable=False),
        sa.Column('record_type', sa.String(length=40), nullable=True),
        sa.Column('record_id', sa.String(length=36), nullable=True),
        sa.Column('victim_id', sa.String(length=36), nullable=True),
        sa.Column('file_number', sa.String(length=32), nullable=True),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('signer_fingerprint', sa.String(length=64), nullable=False),
        sa.Column('signer_name', sa.String(length=100), nullable=True),
        sa.Column('signed_at', sa.DateTime(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('printed_by', sa.String(length=36), nullable=True),
        sa.Column('installation_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('doc_id', name=op.f('pk_print_log')),
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_log_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_log_victim_id'), ['victim_id'], unique=False)


def downgrade() -> None:
    op.drop_table('print_log')
    op.drop_table('attachment_chunks')
    op.drop_table('attachments')
