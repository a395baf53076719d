"""search keys: made by this program on every path a file is written, traditional read as simplified (issue 16)

A file's search keys (``victims.name_pinyin``, ``name_initials``, ``id_tail``) are derived from its name (else
alias) and ID number by ``search_keys.search_columns``.  Until now an import kept the keys the sending laptop
sent: a forged key hid a file from the county's search and from the duplicate check, which now compares the
stored ``name_pinyin`` instead of reading every name again.  And the keys read traditional characters as they
stand, where the duplicate rule read them as simplified (區 as "qu" for one, the surname 区 "ou" for the
other): both now read them simplified.

Every file's keys are computed again here and written where they differ.  Derived data, not a change of any
file: the journal's trigger on ``victims`` is set aside meanwhile, so nothing is re-sent (the other laptop
recomputes its own copies the same way).  Re-runnable; the downgrade leaves the keys as they are (they are
valid keys under the older program too).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 13:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

_JOURNAL_TRIGGER = "trg_journal_victims_update"


def upgrade() -> None:
    from fanguai_desk.domain.search_keys import search_columns
    from fanguai_desk.store import journal

    conn = op.get_bind()
    changed = []
    for vid, name, alias, number, *stored in conn.exec_driver_sql(
            "SELECT id, name, alias, id_number, name_pinyin, name_initials, id_tail FROM victims").all():
        keys = search_columns(name, alias, number)
        now = (keys["name_pinyin"], keys["name_initials"], keys["id_tail"])
        if tuple(stored) != now:
            changed.append((*now, vid))
    if not changed:
        return
    op.execute(f"DROP TRIGGER IF EXISTS {_JOURNAL_TRIGGER}")
    conn.exec_driver_sql("UPDATE victims SET name_pinyin = ?, name_initials = ?, id_tail = ? WHERE id = ?", changed)
    journal.install_triggers(conn)  # back, as this program defines it


def downgrade() -> None:
    pass
