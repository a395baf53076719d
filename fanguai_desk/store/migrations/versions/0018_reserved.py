"""s16d (dashboard and list counts) if needed (reserved this session; a no-op until that work lands)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
