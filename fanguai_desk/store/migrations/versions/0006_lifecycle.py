"""a file's whole life: close/reopen/transfer/delete (issue 13)

Reserved in the revision chain so that parallel work lands without renumbering; a revision that its
issue did not need stays a no-op.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
