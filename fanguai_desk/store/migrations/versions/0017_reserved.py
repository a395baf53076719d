"""s16q (search and scrolling) if needed (reserved this session; a no-op until that work lands)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
