"""county scale: indexes that make each workbench card one short index range at 100,000 files (issue 16, s16d)

* ``ix_referrals_status_clock`` — every column of the referral clock (``rule_sql.referral_overdue``): the
  overdue-referrals card is answered from the index alone, instead of reading every open referral's row.  It
  replaces ``ix_referrals_status_dates`` (its prefix), so a referral's write keeps one index to update.
* ``ix_referrals_urgent`` — partial, only referrals with a legal deadline (法律援助法 第四十四条): the urgent card
  reads those few entries, not every open referral.
* ``ix_victims_unidentified_since`` — partial (open files of unknown identity), ordered by the day the stay began
  (``rule_sql.unidentified_since``) and covering what the workbench shows: the longest stays are the first ten
  entries, not a sort of every unidentified file.
* ``ix_victims_township_next_visit_id`` — a caseworker's overdue / due-soon visit cards seek only into the files
  whose next planned visit (maintained, ``store/state.py``) is early enough, their ids read from the index alone.

The file tallies (``file_tallies``, ``store/state.py``): open and closed files per township, identity status and
current placement, kept by triggers on ``victims`` in the writing transaction and counted here from the files;
the county's open-files, unidentified and placement cards read a few hundred tally rows instead of every open
file's index entry.  Derived: never exported; ``doctor`` recomputes and compares them, ``doctor --repair``
counts them again.

The definitions live in ``store/models.py`` (``COUNT_INDEXES``, ``FILE_TALLIES``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

#: ix_victims_unidentified_since as this revision made it, on the UTC day of ``created_at`` (frozen: the model's
#: definition reads ``victims.created_on``, which migration 0023 adds and re-creates this index with).
_UNIDENTIFIED_SINCE = "ix_victims_unidentified_since"
UNIDENTIFIED_SINCE_0018 = (
    "CREATE INDEX IF NOT EXISTS ix_victims_unidentified_since ON victims (coalesce(arrived_at_institution_on, "
    "rescue_date, date(created_at)), id, township_id, file_number, hidden_name, name, alias, "
    "arrived_at_institution_on, rescue_date, created_at, identified_on) "
    "WHERE identity_status = 'unknown' AND status = 'open'")


def upgrade() -> None:
    from sqlalchemy.schema import CreateIndex

    from fanguai_desk.store.models import COUNT_INDEXES

    op.execute("DROP INDEX IF EXISTS ix_referrals_status_dates")
    for index in COUNT_INDEXES:  # IF NOT EXISTS: a registry replayed from an earlier revision has them already
        if index.name == _UNIDENTIFIED_SINCE:
            op.execute(UNIDENTIFIED_SINCE_0018)  # as this revision made it: the model's reads a later column
        else:
            op.execute(CreateIndex(index, if_not_exists=True))
    from fanguai_desk.store import state

    conn = op.get_bind()
    state.create_tallies(conn)
    state.install_triggers(conn)


def downgrade() -> None:
    from fanguai_desk.store import state
    from fanguai_desk.store.models import COUNT_INDEXES

    for trigger in state.TRIGGERS:
        if state.TALLY_TABLE in trigger.tables:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger.name}")
    op.execute(f"DROP TABLE IF EXISTS {state.TALLY_TABLE}")

    for index in COUNT_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index.name}")
    op.create_index("ix_referrals_status_dates", "referrals", ["status", "referral_date", "decision_date", "victim_id"])
