"""Search indexes cover the list's order and scope (issue 16, s16q)

The four name indexes of ``victims`` (name, alias, full pinyin, initials) gain ``file_number, id,
township_id`` after their key: a search page is then sorted and scoped from the index alone, one range per
kind of match (``services/paging.Branches``), and only the page's 200 files are read — a surname matching
thousands of files no longer reads every one of them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_KEYS = {"ix_victims_name": "name", "ix_victims_alias": "alias", "ix_victims_name_pinyin": "name_pinyin",
         "ix_victims_name_initials": "name_initials"}
_COVER = ["file_number", "id", "township_id"]


def upgrade() -> None:
    for index, key in _KEYS.items():
        op.drop_index(index, table_name="victims", if_exists=True)
        op.create_index(index, "victims", [key, *_COVER])


def downgrade() -> None:
    for index, key in _KEYS.items():
        op.drop_index(index, table_name="victims", if_exists=True)
        op.create_index(index, "victims", [key])
