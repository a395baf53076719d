"""delivery by change counter, receipts, epochs, clock high-water mark (issue 19)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
