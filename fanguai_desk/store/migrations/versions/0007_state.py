"""county scale: maintained state columns and indexes (issue 16)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
