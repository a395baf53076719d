"""county statistics: received statistics bundles (issue 14)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
