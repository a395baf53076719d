"""county scale: maintained state columns and indexes (issue 16)

An index for "files visited in the year": the yearly report and the follow-up coverage read done visits by
their actual date; with only (status, planned_date) they read every done visit of every year.

``victims.current_placement``: the state of the file's latest placement event, maintained by triggers on
``placements`` (store/state.py), backfilled here, with the indexes that make the dashboard's placement card
one index range (county-wide and per township).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_followups_status_actual_victim", "followups", ["status", "actual_date", "victim_id"])
    # Plain ADD COLUMN (not batch mode): no table rebuild, the journal triggers on victims stay.
    op.add_column("victims", sa.Column("current_placement", sa.String(length=40), nullable=True))
    from fanguai_desk.store import state

    conn = op.get_bind()
    state.backfill(conn)
    state.install_triggers(conn)
    op.create_index("ix_victims_status_placement", "victims", ["status", "current_placement"])
    op.create_index("ix_victims_township_status_placement", "victims",
                    ["township_id", "status", "current_placement"])


def downgrade() -> None:
    for name in ("trg_state_placements_insert", "trg_state_placements_update", "trg_state_placements_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_victims_township_status_placement", table_name="victims")
    op.drop_index("ix_victims_status_placement", table_name="victims")
    with op.batch_alter_table("victims") as batch:
        batch.drop_column("current_placement")
    op.drop_index("ix_followups_status_actual_victim", table_name="followups")
