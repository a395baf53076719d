"""county scale: maintained state columns and indexes (issue 16)

An index for "files visited in the year": the yearly report and the follow-up coverage read done visits by
their actual date; with only (status, planned_date) they read every done visit of every year.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_followups_status_actual_victim", "followups", ["status", "actual_date", "victim_id"])


def downgrade() -> None:
    op.drop_index("ix_followups_status_actual_victim", table_name="followups")
