"""one rule one place: entry-rule bookkeeping and review flags (issue 11)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
