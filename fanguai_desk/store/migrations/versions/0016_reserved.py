"""s15b / s11 if needed (reserved this session; a no-op until that work lands)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 19:15:00
"""

from __future__ import annotations

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
