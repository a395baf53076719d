"""county scale: maintained columns for the "nobody forgotten" cards (issue 16)

``victims.next_visit_on``, ``last_visit_on``, ``last_contact_on`` and ``schooling_gap`` (store/state.py,
domain/file_state.py): maintained by triggers on ``followups``, ``services`` and ``victims``, backfilled here
from each file's history, with the indexes that make each card one index range (county-wide and per
township).  The change journal's trigger on ``victims`` is redefined to fire only for the non-derived
columns, so the maintained state (also 0007's ``current_placement``) no longer re-sends a file.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 19:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_victims_status_next_visit", ["status", "next_visit_on"]),
    ("ix_victims_township_status_next_visit", ["township_id", "status", "next_visit_on"]),
    ("ix_victims_status_last_contact", ["status", "last_contact_on"]),
    ("ix_victims_township_status_last_contact", ["township_id", "status", "last_contact_on"]),
    ("ix_victims_status_birth", ["status", "birth_date", "estimated_birth_year", "schooling_gap"]),
    ("ix_victims_township_status_birth", ["township_id", "status", "birth_date", "estimated_birth_year",
                                          "schooling_gap"]),
)


def upgrade() -> None:
    # Plain ADD COLUMN (not batch mode): no table rebuild, the other triggers on victims stay.
    op.add_column("victims", sa.Column("next_visit_on", sa.Date(), nullable=True))
    op.add_column("victims", sa.Column("last_visit_on", sa.Date(), nullable=True))
    op.add_column("victims", sa.Column("last_contact_on", sa.Date(), nullable=True))
    op.add_column("victims", sa.Column("schooling_gap", sa.String(length=40), nullable=True))
    from fanguai_desk.store import journal, state

    conn = op.get_bind()
    # First the journal's update trigger on victims, redefined for the non-derived columns only: the backfill
    # below (and every later trigger write) is then not a change of the file, and nothing is re-sent.
    journal.install_triggers(conn)
    state.backfill(conn, state.VISIT_COLUMNS)
    state.install_triggers(conn)
    for name, columns in _INDEXES:
        op.create_index(name, "victims", columns)


def downgrade() -> None:
    from fanguai_desk.store import journal, state

    # The triggers that name the columns, and their indexes, go first; then SQLite's own DROP COLUMN, not a
    # batch-mode rebuild: rebuilding victims with foreign keys on would cascade-delete every file's records.
    for ddl in state.trigger_ddl():
        if not ddl.split()[5].startswith("trg_state_placements_"):
            op.execute(f"DROP TRIGGER IF EXISTS {ddl.split()[5]}")
    for name, _columns in _INDEXES:
        op.drop_index(name, table_name="victims")
    for column in reversed(state.VISIT_COLUMNS):
        op.execute(f"ALTER TABLE victims DROP COLUMN {column}")
    journal.install_triggers(op.get_bind())
