"""s16x (export and import) if needed (reserved this session; a no-op until that work lands)

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
