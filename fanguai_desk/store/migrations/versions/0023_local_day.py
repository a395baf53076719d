"""the day a file was made is the caseworker's local day, not the UTC day of ``created_at`` (issue 16)

Stored instants are naive UTC; every "today" of the program is the local calendar day (``clock.local_today``).
The day a file was made was the UTC date of ``victims.created_at``: in China (UTC+8) a file entered between
00:00 and 08:00 was dated the day before — counted in the previous year's registrations on 1 January, and one
day early as its last contact and the start of an unidentified stay.  From here it is ``clock.local_day`` in
Python and its twin ``rule_sql.local_day`` (SQLite's ``date(created_at, 'localtime')``) in SQL.

* ``victims.created_on`` — new maintained column (``store/state.py``): the local day of ``created_at``, kept by
  the triggers on ``victims``; never exported, not journaled.  SQLite refuses ``'localtime'`` in an index
  expression, so ``ix_victims_unidentified_since`` (0018) is made again over this column instead of
  ``date(created_at)``: the workbench still reads the longest stays in index order.
* the triggers that compute ``last_contact_on`` (on ``followups`` and ``victims``) are replaced: a file without
  visit or rescue date was last in contact on the local day it was made;
* ``created_on`` and ``last_contact_on`` of every file are computed here, so an existing registry is at once
  what its triggers would have kept (``doctor`` finds no drift).  Not a change of any file: nothing is re-sent.

Re-runnable: a column or an index already there is left, every computed value is computed again.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

#: The triggers this revision replaces, as 0022 had them (frozen for the downgrade: on the UTC day).
TRIGGERS_0022 = (
    (
        'CREATE TRIGGER IF NOT EXISTS trg_state_followups_update AFTER UPDATE OF victim_id, status, '
        'planned_date, actual_date, schooling, updated_at ON followups BEGIN UPDATE victims SET next_visit_on '
        '= (SELECT min(f.planned_date) FROM followups f WHERE f.victim_id = NEW.victim_id AND f.status = '
        "'planned'), last_visit_on = (SELECT max(f.actual_date) FROM followups f WHERE f.victim_id = "
        "NEW.victim_id AND +f.status = 'done'), last_contact_on = coalesce((SELECT max(f.actual_date) FROM "
        "followups f WHERE f.victim_id = NEW.victim_id AND +f.status = 'done'), victims.rescue_date, "
        'date(victims.created_at)), schooling_gap = CASE WHEN NOT EXISTS (SELECT 1 FROM services s WHERE '
        "s.victim_id = NEW.victim_id AND s.service_type = 'return_to_school' AND s.status != 'cancelled') "
        "THEN 'no_school_service' WHEN coalesce(trim((SELECT f.schooling FROM followups f WHERE f.victim_id = "
        "NEW.victim_id AND f.status = 'done' ORDER BY f.actual_date DESC, f.updated_at DESC, f.id DESC LIMIT "
        "1), char(32, 9, 13, 10, 12288)), '') = '' THEN 'schooling_unknown' END WHERE id = NEW.victim_id; "
        'UPDATE victims SET next_visit_on = (SELECT min(f.planned_date) FROM followups f WHERE f.victim_id = '
        "OLD.victim_id AND f.status = 'planned'), last_visit_on = (SELECT max(f.actual_date) FROM followups f "
        "WHERE f.victim_id = OLD.victim_id AND +f.status = 'done'), last_contact_on = coalesce((SELECT "
        "max(f.actual_date) FROM followups f WHERE f.victim_id = OLD.victim_id AND +f.status = 'done'), "
        'victims.rescue_date, date(victims.created_at)), schooling_gap = CASE WHEN NOT EXISTS (SELECT 1 FROM '
        "services s WHERE s.victim_id = OLD.victim_id AND s.service_type = 'return_to_school' AND s.status != "
        "'cancelled') THEN 'no_school_service' WHEN coalesce(trim((SELECT f.schooling FROM followups f WHERE "
        "f.victim_id = OLD.victim_id AND f.status = 'done' ORDER BY f.actual_date DESC, f.updated_at DESC, "
        "f.id DESC LIMIT 1), char(32, 9, 13, 10, 12288)), '') = '' THEN 'schooling_unknown' END WHERE id = "
        'OLD.victim_id AND OLD.victim_id IS NOT NEW.victim_id; END'),
    (
        'CREATE TRIGGER IF NOT EXISTS trg_state_followups_delete AFTER DELETE ON followups BEGIN UPDATE '
        'victims SET next_visit_on = (SELECT min(f.planned_date) FROM followups f WHERE f.victim_id = '
        "OLD.victim_id AND f.status = 'planned'), last_visit_on = (SELECT max(f.actual_date) FROM followups f "
        "WHERE f.victim_id = OLD.victim_id AND +f.status = 'done'), last_contact_on = coalesce((SELECT "
        "max(f.actual_date) FROM followups f WHERE f.victim_id = OLD.victim_id AND +f.status = 'done'), "
        'victims.rescue_date, date(victims.created_at)), schooling_gap = CASE WHEN NOT EXISTS (SELECT 1 FROM '
        "services s WHERE s.victim_id = OLD.victim_id AND s.service_type = 'return_to_school' AND s.status != "
        "'cancelled') THEN 'no_school_service' WHEN coalesce(trim((SELECT f.schooling FROM followups f WHERE "
        "f.victim_id = OLD.victim_id AND f.status = 'done' ORDER BY f.actual_date DESC, f.updated_at DESC, "
        "f.id DESC LIMIT 1), char(32, 9, 13, 10, 12288)), '') = '' THEN 'schooling_unknown' END WHERE id = "
        'OLD.victim_id; END'),
    (
        'CREATE TRIGGER IF NOT EXISTS trg_state_victims_insert AFTER INSERT ON victims BEGIN UPDATE victims '
        'SET current_placement = (SELECT p.state FROM placements p WHERE p.victim_id = NEW.id ORDER BY '
        'p.start_date DESC, p.created_at DESC LIMIT 1), next_visit_on = (SELECT min(f.planned_date) FROM '
        "followups f WHERE f.victim_id = NEW.id AND f.status = 'planned'), last_visit_on = (SELECT "
        "max(f.actual_date) FROM followups f WHERE f.victim_id = NEW.id AND +f.status = 'done'), "
        'last_contact_on = coalesce((SELECT max(f.actual_date) FROM followups f WHERE f.victim_id = NEW.id '
        "AND +f.status = 'done'), victims.rescue_date, date(victims.created_at)), schooling_gap = CASE WHEN "
        'NOT EXISTS (SELECT 1 FROM services s WHERE s.victim_id = NEW.id AND s.service_type = '
        "'return_to_school' AND s.status != 'cancelled') THEN 'no_school_service' WHEN coalesce(trim((SELECT "
        "f.schooling FROM followups f WHERE f.victim_id = NEW.id AND f.status = 'done' ORDER BY f.actual_date "
        "DESC, f.updated_at DESC, f.id DESC LIMIT 1), char(32, 9, 13, 10, 12288)), '') = '' THEN "
        "'schooling_unknown' END WHERE id = NEW.id; END"),
    (
        'CREATE TRIGGER IF NOT EXISTS trg_state_victims_update AFTER UPDATE OF rescue_date, created_at ON '
        'victims BEGIN UPDATE victims SET last_contact_on = coalesce((SELECT max(f.actual_date) FROM '
        "followups f WHERE f.victim_id = NEW.id AND +f.status = 'done'), victims.rescue_date, "
        'date(victims.created_at)) WHERE id = NEW.id; END'),
)
_UNIDENTIFIED_SINCE = "ix_victims_unidentified_since"


def upgrade() -> None:
    from sqlalchemy.schema import CreateIndex

    from fanguai_desk.store import state
    from fanguai_desk.store.models import IX_VICTIMS_UNIDENTIFIED_SINCE

    conn = op.get_bind()
    if "created_on" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(victims)")}:
        # Plain ADD COLUMN (not batch mode): no table rebuild, the other triggers on victims stay.
        op.add_column("victims", sa.Column("created_on", sa.Date(), nullable=True))
    # Only maintained columns are written: the journal's trigger on victims does not fire for them (store/journal.py).
    state.backfill(conn, ["created_on", "last_contact_on"])
    op.execute(f"DROP INDEX IF EXISTS {_UNIDENTIFIED_SINCE}")
    op.execute(CreateIndex(IX_VICTIMS_UNIDENTIFIED_SINCE))
    state.install_triggers(conn)  # replaces the four whose text changed, adds created_on to the victims' ones


def downgrade() -> None:
    from fanguai_desk.store import triggers

    conn = op.get_bind()
    # The triggers that name created_on go before the column (SQLite checks them when a column is dropped).
    for ddl in TRIGGERS_0022:
        op.execute(f"DROP TRIGGER IF EXISTS {triggers.name_of(ddl)}")
    op.execute(f"DROP INDEX IF EXISTS {_UNIDENTIFIED_SINCE}")
    op.execute("ALTER TABLE victims DROP COLUMN created_on")
    for ddl in TRIGGERS_0022:
        triggers.ensure(conn, ddl)
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_victims_unidentified_since ON victims (coalesce(arrived_at_institution_on, "
        "rescue_date, date(created_at)), id, township_id, file_number, hidden_name, name, alias, "
        "arrived_at_institution_on, rescue_date, created_at, identified_on) "
        "WHERE identity_status = 'unknown' AND status = 'open'")
    # last_contact_on as 0022's triggers keep it (the UTC day of created_at where no visit or rescue date).
    op.execute(
        "UPDATE victims SET last_contact_on = coalesce((SELECT max(f.actual_date) FROM followups f "
        "WHERE f.victim_id = victims.id AND +f.status = 'done'), victims.rescue_date, date(victims.created_at))")
