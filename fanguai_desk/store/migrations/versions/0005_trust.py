"""insider-resistant trust: audit entries signed by the acting user's signing key (issue 12)

``audit_log.signer_cert_sha256`` and ``audit_log.signature``: an entry made by a user with an installed
signing certificate carries an RSA signature over its chain hash (docs/security-model.md).  Existing
entries stay unsigned (NULL); nothing to backfill.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("signer_cert_sha256", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("signature", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("signature")
        batch.drop_column("signer_cert_sha256")
