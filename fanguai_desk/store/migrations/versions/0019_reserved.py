"""s16r (yearly and period reports) if needed (reserved this session; a no-op until that work lands)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
