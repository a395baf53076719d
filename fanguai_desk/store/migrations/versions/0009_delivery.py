"""delivery by change counter, receipts, epochs (issue 19)

Adds the change journal (numbered by SQLite triggers in the writing transaction, see store/journal.py),
the bundle numbers handed out (``sent_bundles``), and per-peer delivery state.  Existing records each get
one journal entry (oldest first).  Peers start again from change 0 in a new epoch: the first export after
this upgrade is a full one (the county merges it by version, so what it already holds stays unchanged),
after which exports are incremental by change number and no longer by the clock.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TRACKED = ("townships", "users", "cases", "victims", "guardians", "buyer_households", "services", "followups",
           "referrals", "referral_events", "placements", "consents")


def upgrade() -> None:
    from fanguai_desk.store.journal import install_triggers
    from fanguai_desk.store.models import TRACKED_MODELS

    op.create_table(
        'change_journal',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_journal')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_change_journal_record', 'change_journal', ['record_id'])
    op.create_table(
        'sent_bundles',
        sa.Column('bundle_id', sa.String(length=36), nullable=False),
        sa.Column('recipient_fingerprint', sa.String(length=64), nullable=False),
        sa.Column('epoch', sa.String(length=36), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('changes_from', sa.Integer(), nullable=True),
        sa.Column('changes_to', sa.Integer(), nullable=True),
        sa.Column('resend_of', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_sent_bundles')),
    )
    op.create_index('ix_sent_bundles_peer', 'sent_bundles', ['recipient_fingerprint', 'epoch', 'sequence'],
                    unique=True)
    with op.batch_alter_table('exchange_peers') as b:
        b.add_column(sa.Column('epoch', sa.String(length=36), nullable=True))
        b.add_column(sa.Column('sent_through', sa.Integer(), nullable=False, server_default='0'))
        b.add_column(sa.Column('acked_epoch', sa.String(length=36), nullable=True))
        b.add_column(sa.Column('acked_through', sa.Integer(), nullable=False, server_default='0'))
        b.add_column(sa.Column('acked_at', sa.DateTime(), nullable=True))
        b.add_column(sa.Column('receipt', sa.Text(), nullable=True))
    with op.batch_alter_table('imported_bundles') as b:
        b.add_column(sa.Column('epoch', sa.String(length=36), nullable=True))
        b.add_column(sa.Column('epoch_parent', sa.String(length=36), nullable=True))
        b.add_column(sa.Column('epoch_base', sa.Integer(), nullable=True))
        b.add_column(sa.Column('changes_from', sa.Integer(), nullable=True))
        b.add_column(sa.Column('changes_to', sa.Integer(), nullable=True))
    # Every existing record and tombstone once, oldest change first (the order only matters for reading).
    parts = [f"SELECT '{m.RECORD_TYPE}' AS t, id AS i, updated_at AS u FROM {m.__tablename__}"
             for m in TRACKED_MODELS]
    parts.append("SELECT 'tombstone', record_id, deleted_at FROM tombstones")
    parts.append("SELECT 'print', doc_id, signed_at FROM print_log")
    parts.append("SELECT 'attachment', id, created_at FROM attachments")
    op.execute(f"INSERT INTO change_journal (record_type, record_id) SELECT t, i FROM ({' UNION ALL '.join(parts)}) "
               f"ORDER BY u, i")
    install_triggers(op.get_bind())
    # Numbering starts in a fresh epoch (created at the first export), whatever an earlier run left behind.
    op.execute("DELETE FROM registry_meta WHERE key IN ('epoch', 'epoch_parent', 'epoch_base')")


def downgrade() -> None:
    for table in (*TRACKED, "tombstones", "print_log", "attachments"):
        for when in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_journal_{table}_{when}")
    with op.batch_alter_table('imported_bundles') as b:
        for c in ('changes_to', 'changes_from', 'epoch_base', 'epoch_parent', 'epoch'):
            b.drop_column(c)
    with op.batch_alter_table('exchange_peers') as b:
        for c in ('receipt', 'acked_at', 'acked_through', 'acked_epoch', 'sent_through', 'epoch'):
            b.drop_column(c)
    op.drop_index('ix_sent_bundles_peer', table_name='sent_bundles')
    op.drop_table('sent_bundles')
    op.drop_index('ix_change_journal_record', table_name='change_journal')
    op.drop_table('change_journal')
