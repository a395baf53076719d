"""Covering indexes for the yearly and period reports (issue 16, s16r)

Each of the statistics' passes reads one narrow index instead of the wide rows of ten years of records
(SQLCipher decrypts every page it reads, so a row lookup into a table of long text columns is the cost):

* ``ix_victims_report`` — one pass over every file in township order gives the file counts, the files open
  at the end by sex / age / nationality and (with ``id`` last) the placement in force then, looked up per
  open file in ``ix_placements_victim_current``;
* ``ix_victims_id_township`` — a visit's, service's or referral's file: its township and opening/closing
  dates from one index seek, not an index seek plus a table row;
* ``ix_followups_due`` — visits due in the year (planned in it, or unplanned and done in it) are two index
  ranges with their status and both dates;
* ``ix_services_victim_running`` — services running in the year, grouped per file in index order.

Plain CREATE INDEX (no table rebuild): the maintained-state triggers stay as they are.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_victims_report", "victims",
     ["township_id", "closed_on", "rescue_date", "created_at", "identity_status", "identified_on", "sex",
      "birth_date", "estimated_birth_year", "nationality", "id"]),
    ("ix_victims_id_township", "victims", ["id", "township_id", "rescue_date", "created_at", "closed_on"]),
    ("ix_followups_due", "followups", ["status", "planned_date", "actual_date", "victim_id"]),
    ("ix_services_victim_running", "services", ["victim_id", "status", "start_date", "end_date", "service_type"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:  # IF NOT EXISTS: a registry replayed from an earlier revision has them
        op.create_index(name, table, columns, if_not_exists=True)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table, if_exists=True)
