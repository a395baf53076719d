"""covering indexes for the dashboard counts, the current placement and list paging

Measured with ``fanguai-desk bench`` on 100,000 files: counting overdue visits or overdue services for one
township read every overdue row and its file (seconds); the current placement of every open file was
ranked with a window function over all placements (≈5 s); a deep list page sorted by (file number, id)
read every file before it (scrolling to the end took minutes); counting unidentified open files read
every open file; the referral counts read every referred or accepted referral.  Each replaced index is a
prefix of its replacement, so no query loses the index it used.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (table, old name, old columns, new name, new columns)
CHANGES = [
    ("victims", "ix_victims_file_number", ["file_number"], "ix_victims_file_number_id", ["file_number", "id"]),
    ("victims", "ix_victims_status", ["status"], "ix_victims_status_id", ["status", "id"]),
    ("victims", "ix_victims_township_status", ["township_id", "status"],
     "ix_victims_township_status_id", ["township_id", "status", "id"]),
    ("followups", "ix_followups_status_planned", ["status", "planned_date"],
     "ix_followups_status_planned_victim", ["status", "planned_date", "victim_id"]),
    ("followups", "ix_followups_victim_id", ["victim_id"],
     "ix_followups_victim_status", ["victim_id", "status", "planned_date"]),
    ("services", "ix_services_victim_id", ["victim_id"],
     "ix_services_victim_status", ["victim_id", "status", "due_date"]),
    ("placements", "ix_placements_victim_start", ["victim_id", "start_date"],
     "ix_placements_victim_current", ["victim_id", "start_date", "created_at", "state"]),
    ("referrals", "ix_referrals_status", ["status"],
     "ix_referrals_status_dates", ["status", "referral_date", "decision_date", "victim_id"]),
]


# Counting open files whose identity is unknown read every open file (~0.3 s), finding the longest stays
# every unidentified file (~45 ms).
NEW = [("victims", "ix_victims_identity_status",
        ["identity_status", "status", "township_id", "arrived_at_institution_on", "rescue_date"])]


def upgrade() -> None:
    for table, old, _old_cols, new, new_cols in CHANGES:
        op.create_index(new, table, new_cols, unique=False)
        op.drop_index(old, table_name=table)
    for table, name, cols in NEW:
        op.create_index(name, table, cols, unique=False)


def downgrade() -> None:
    for table, name, _cols in NEW:
        op.drop_index(name, table_name=table)
    for table, old, old_cols, new, _new_cols in reversed(CHANGES):
        op.create_index(old, table, old_cols, unique=False)
        op.drop_index(new, table_name=table)
