"""Maintained state on ``victims`` (issue 16): what counting files needs, kept by the database itself.

* ``current_placement`` — the state of the file's latest placement event (latest ``start_date``, then latest
  ``created_at``): the same order as ``services.victims.current_placement_state``.
* ``next_visit_on`` — the earliest planned date of its planned visits (``file_state.next_planned_visit``).
* ``last_visit_on`` — the latest actual date of a done visit (``file_state.last_visit``).
* ``last_contact_on`` — the last visit, else the rescue date, else the day the file was made
  (``file_state.last_contact``).
* ``schooling_gap`` — ``no_school_service`` / ``schooling_unknown`` / NULL (``file_state.schooling_gap``).
* ``created_on`` — the day the file was made: the caseworker's local day of ``created_at``
  (``clock.local_day``; migration 0023).  A column because SQLite refuses the local-time conversion in an
  index, and the longest unidentified stays are read in the order of an index over this day.

"The day the file was made" is ``rule_sql.local_day`` of ``created_at`` everywhere here: the SQL text below is
compiled from that one expression.  It depends on the laptop's time zone, like every "today" of the program;
a registry moved to a laptop in another zone shows drift in ``doctor`` and ``repair`` recomputes it.

The SQL below is the twin of those rules in ``domain/file_state.py``; ``tests/store/test_rule_sql.py``
requires the maintained columns and the Python rules to agree on every file of a grid.  Counting open files
by placement, without a plan, out of contact or with a schooling gap then reads one index range instead of
one correlated lookup per open file (``store/rule_sql.py`` reads the columns for the cards).

The columns are maintained by triggers on ``placements``, ``followups``, ``services`` and ``victims`` in the
same transaction as every write, whatever writes it: ORM forms and CLI through the services, the importer's
raw ``executemany``, purge, the demo generator, merges.  They never travel in an exchange bundle
(``DERIVED_COLUMNS``; the receiving database recomputes them), and writing them is not a change of the file:
the change journal's trigger on ``victims`` fires only for the other columns (``store/journal.py``), so a new
visit does not send its file again.  ``doctor`` recomputes every column from the history (``drift``),
reports any file whose stored state differs and any missing trigger; ``repair`` recomputes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, literal_column
from sqlalchemy.dialects import sqlite

from fanguai_desk.domain.enums import FollowUpStatus, ServiceStatus, ServiceType
from fanguai_desk.domain.file_state import BLANK, NO_SCHOOL_SERVICE, SCHOOLING_UNKNOWN
from fanguai_desk.store import rule_sql, triggers

#: Columns derived from other rows: not exported, not imported, not compared in merges, not journaled.
DERIVED_COLUMNS = frozenset({"current_placement", "next_visit_on", "last_visit_on", "last_contact_on",
                             "schooling_gap", "created_on"})
#: The ones migration 0012 added (0007 added ``current_placement``, 0023 ``created_on``).
VISIT_COLUMNS = ("next_visit_on", "last_visit_on", "last_contact_on", "schooling_gap")

_PLANNED, _DONE = FollowUpStatus.PLANNED.value, FollowUpStatus.DONE.value
_BLANK_CHARS = "char(" + ", ".join(str(ord(c)) for c in BLANK) + ")"


#: The local day of the file's ``created_at``: ``rule_sql.local_day`` as SQLite text (the triggers are text).
CREATED_DAY = str(rule_sql.local_day(literal_column("victims.created_at")).compile(dialect=sqlite.dialect()))


def _last_visit(vid: str) -> str:
    # ``+f.status``: without it SQLite's min/max optimisation walks ix_followups_status_actual_victim from the
    # newest done visit of the whole registry until one is this file's — a scan per trigger firing, which
    # made a 10,000-file import quadratic (95 s; the plan is pinned in tests/store/test_maintained_state.py).
    return f"(SELECT max(f.actual_date) FROM followups f WHERE f.victim_id = {vid} AND +f.status = '{_DONE}')"


#: Each column's recomputation for the file ``{vid}`` (an expression in an UPDATE of, or a query over, victims).
EXPRESSIONS: dict[str, str] = {
    "current_placement": ("(SELECT p.state FROM placements p WHERE p.victim_id = {vid} "
                          "ORDER BY p.start_date DESC, p.created_at DESC LIMIT 1)"),
    "next_visit_on": (f"(SELECT min(f.planned_date) FROM followups f WHERE f.victim_id = {{vid}} "
                      f"AND f.status = '{_PLANNED}')"),
    "last_visit_on": _last_visit("{vid}"),
    "last_contact_on": f"coalesce({_last_visit('{vid}')}, victims.rescue_date, {CREATED_DAY})",
    "schooling_gap": (
        f"CASE WHEN NOT EXISTS (SELECT 1 FROM services s WHERE s.victim_id = {{vid}} "
        f"AND s.service_type = '{ServiceType.RETURN_TO_SCHOOL.value}' AND s.status != '{ServiceStatus.CANCELLED.value}') "
        f"THEN '{NO_SCHOOL_SERVICE}' "
        f"WHEN coalesce(trim((SELECT f.schooling FROM followups f WHERE f.victim_id = {{vid}} AND f.status = '{_DONE}' "
        f"ORDER BY f.actual_date DESC, f.updated_at DESC, f.id DESC LIMIT 1), {_BLANK_CHARS}), '') = '' "
        f"THEN '{SCHOOLING_UNKNOWN}' END"),
    # Not ``victims.created_on`` in last_contact_on above: one UPDATE computes both, and its expressions read
    # the row as it was before.
    "created_on": CREATED_DAY,
}


def _refresh(columns: Sequence[str], vid: str, extra: str = "") -> str:
    sets = ", ".join(f"{c} = {EXPRESSIONS[c].format(vid=vid)}" for c in columns)
    return f"UPDATE victims SET {sets} WHERE id = {vid}{extra};"


DERIVED_ORDER: tuple[str, ...] = ("current_placement", *VISIT_COLUMNS, "created_on")
_SCHOOL = ServiceType.RETURN_TO_SCHOOL.value
_NO_SCHOOL = f"'{NO_SCHOOL_SERVICE}'"


@dataclass(frozen=True)
class _Trigger:
    name: str
    table: str
    event: str  # INSERT, DELETE, UPDATE OF …
    body: Sequence[str]
    when: str | None = None
    needs: tuple[str, ...] = ()  # the maintained columns it writes (installed only where they exist)
    tables: tuple[str, ...] = ()  # other tables it writes (installed only once a migration made them)

    def ddl(self) -> str:
        when = f" WHEN {self.when}" if self.when else ""
        return (f"CREATE TRIGGER IF NOT EXISTS {self.name} AFTER {self.event} ON {self.table}{when} "
                f"BEGIN {' '.join(self.body)} END")


def _moved(table_key: str) -> str:
    return f" AND OLD.{table_key} IS NOT NEW.{table_key}"


#: The file tallies (``models.FILE_TALLIES``): open/closed files per township, identity status and placement.
TALLY_TABLE = "file_tallies"
TALLY_COLUMNS = ("township_id", "status", "identity_status", "current_placement")
_TALLY_KEY = "township_id, status, identity_status, placement"


def _tally_key(row: str) -> str:
    return ", ".join(f"coalesce({row}.{c}, '')" for c in TALLY_COLUMNS)


def _bump(row: str, delta: int) -> str:
    return (f"INSERT INTO {TALLY_TABLE} ({_TALLY_KEY}, n) VALUES ({_tally_key(row)}, {delta}) "
            f"ON CONFLICT ({_TALLY_KEY}) DO UPDATE SET n = n + {delta};")


_TALLIES_FROM_FILES = (f"SELECT {_tally_key('victims')}, count(*) FROM victims "
                       f"GROUP BY {', '.join(TALLY_COLUMNS)}")


def create_tallies(conn: Connection) -> None:
    """Make the tally table (if missing) and count every file into it (migration 0018, ``repair``)."""
    from sqlalchemy.schema import CreateTable

    from fanguai_desk.store.models import FILE_TALLIES

    conn.execute(CreateTable(FILE_TALLIES, if_not_exists=True))
    conn.exec_driver_sql(f"DELETE FROM {TALLY_TABLE}")
    conn.exec_driver_sql(f"INSERT INTO {TALLY_TABLE} ({_TALLY_KEY}, n) {_TALLIES_FROM_FILES}")


def tally_drift(conn: Connection) -> int:
    """How many tally keys (township, status, identity, placement) hold another count than the files give;
    0 where the registry has no tallies yet."""
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            (TALLY_TABLE,)).first() is None:
        return 0
    return int(conn.exec_driver_sql(
        f"SELECT count(*) FROM (SELECT {_TALLY_KEY}, sum(n) AS n FROM ("
        f"SELECT {_TALLY_KEY}, n FROM {TALLY_TABLE} UNION ALL "
        f"SELECT {_tally_key('victims')}, -count(*) FROM victims GROUP BY {', '.join(TALLY_COLUMNS)}"
        f") GROUP BY {_TALLY_KEY} HAVING sum(n) != 0)").scalar() or 0)


# The common writes are made cheap: a new planned visit only lowers the next visit; a new done visit only
# raises the last visit (and re-reads the schooling of a file that has a school service at all); services
# other than return-to-school and every other table change nothing.  Edits, moves and deletions recompute.
_GAP_ONLY_IF_SCHOOLED = f" AND schooling_gap IS NOT {_NO_SCHOOL}"
TRIGGERS: tuple[_Trigger, ...] = (
    _Trigger("trg_state_placements_insert", "placements", "INSERT",
             [_refresh(["current_placement"], "NEW.victim_id")], needs=("current_placement",)),
    _Trigger("trg_state_placements_update", "placements", "UPDATE OF victim_id, state, start_date, created_at",
             [_refresh(["current_placement"], "NEW.victim_id"),
              _refresh(["current_placement"], "OLD.victim_id", _moved("victim_id"))], needs=("current_placement",)),
    _Trigger("trg_state_placements_delete", "placements", "DELETE",
             [_refresh(["current_placement"], "OLD.victim_id")], needs=("current_placement",)),
    _Trigger("trg_state_followups_insert_planned", "followups", "INSERT",
             ["UPDATE victims SET next_visit_on = NEW.planned_date WHERE id = NEW.victim_id "
              "AND (next_visit_on IS NULL OR next_visit_on > NEW.planned_date);"],
             when=f"NEW.status = '{_PLANNED}' AND NEW.planned_date IS NOT NULL", needs=VISIT_COLUMNS),
    _Trigger("trg_state_followups_insert_done", "followups", "INSERT",
             ["UPDATE victims SET last_visit_on = NEW.actual_date, last_contact_on = NEW.actual_date "
              "WHERE id = NEW.victim_id AND NEW.actual_date IS NOT NULL "
              "AND (last_visit_on IS NULL OR last_visit_on < NEW.actual_date);",
              _refresh(["schooling_gap"], "NEW.victim_id", _GAP_ONLY_IF_SCHOOLED)],
             when=f"NEW.status = '{_DONE}'", needs=VISIT_COLUMNS),
    _Trigger("trg_state_followups_update", "followups",
             "UPDATE OF victim_id, status, planned_date, actual_date, schooling, updated_at",
             [_refresh(VISIT_COLUMNS, "NEW.victim_id"), _refresh(VISIT_COLUMNS, "OLD.victim_id", _moved("victim_id"))],
             needs=VISIT_COLUMNS),
    _Trigger("trg_state_followups_delete", "followups", "DELETE",
             [_refresh(VISIT_COLUMNS, "OLD.victim_id")], needs=VISIT_COLUMNS),
    _Trigger("trg_state_services_insert", "services", "INSERT",
             [_refresh(["schooling_gap"], "NEW.victim_id")],
             when=f"NEW.service_type = '{_SCHOOL}'", needs=VISIT_COLUMNS),
    _Trigger("trg_state_services_update", "services", "UPDATE OF victim_id, service_type, status",
             [_refresh(["schooling_gap"], "NEW.victim_id"),
              _refresh(["schooling_gap"], "OLD.victim_id", _moved("victim_id"))],
             when=f"NEW.service_type = '{_SCHOOL}' OR OLD.service_type = '{_SCHOOL}'", needs=VISIT_COLUMNS),
    _Trigger("trg_state_services_delete", "services", "DELETE",
             [_refresh(["schooling_gap"], "OLD.victim_id")],
             when=f"OLD.service_type = '{_SCHOOL}'", needs=VISIT_COLUMNS),
    # The file itself: made (its records may have come first, in an import with foreign keys deferred), or its
    # rescue date or creation time changed.  Writes only maintained columns, which fire no trigger on victims.
    _Trigger("trg_state_victims_insert", "victims", "INSERT", [_refresh(DERIVED_ORDER, "NEW.id")],
             needs=DERIVED_ORDER),
    _Trigger("trg_state_victims_update", "victims", "UPDATE OF rescue_date, created_at",
             [_refresh(["last_contact_on", "created_on"], "NEW.id")], needs=(*VISIT_COLUMNS, "created_on")),
    # The file tallies (migration 0018): -1 under the old key, +1 under the new.  Both are upserts, so the
    # order in which SQLite fires these and trg_state_victims_insert (which sets the new file's placement)
    # does not matter: the sums come out the same.
    _Trigger("trg_tally_victims_insert", "victims", "INSERT", [_bump("NEW", 1)], needs=("current_placement",),
             tables=(TALLY_TABLE,)),
    _Trigger("trg_tally_victims_delete", "victims", "DELETE", [_bump("OLD", -1)], needs=("current_placement",),
             tables=(TALLY_TABLE,)),
    _Trigger("trg_tally_victims_update", "victims", f"UPDATE OF {', '.join(TALLY_COLUMNS)}",
             [_bump("OLD", -1), _bump("NEW", 1)],
             when=" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TALLY_COLUMNS), needs=("current_placement",),
             tables=(TALLY_TABLE,)),
)


def trigger_ddl() -> list[str]:
    return [trigger.ddl() for trigger in TRIGGERS]


def _victim_columns(conn: Connection) -> set[str]:
    return {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(victims)")}


def install_triggers(conn: Connection) -> None:
    """Idempotent: also after a later migration rebuilt a table (which drops its triggers); a trigger whose
    definition changed is replaced.  Only the triggers whose columns exist (a registry part-way through its
    migrations may have ``current_placement`` only)."""
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    cols = _victim_columns(conn) if "victims" in have else set()
    for trigger in TRIGGERS:
        if trigger.table in have and set(trigger.needs) <= cols and set(trigger.tables) <= have:
            triggers.ensure(conn, trigger.ddl())


def missing_triggers(conn: Connection) -> list[str]:
    """Triggers that are absent or not as this program defines them."""
    return triggers.missing(conn, trigger_ddl())


def present(conn: Connection) -> tuple[str, ...]:
    """The maintained columns this registry has (a migration part-way: 0007 added only the first)."""
    cols = _victim_columns(conn)
    return tuple(c for c in DERIVED_ORDER if c in cols)


def backfill(conn: Connection, columns: Sequence[str] | None = None) -> None:
    """Compute ``columns`` (default: every maintained column the registry has) of every file."""
    columns = present(conn) if columns is None else columns
    conn.exec_driver_sql(
        "UPDATE victims SET " + ", ".join(f"{c} = {EXPRESSIONS[c].format(vid='victims.id')}" for c in columns))


def _differs(columns: Sequence[str]) -> str:
    return " OR ".join(f"{c} IS NOT {EXPRESSIONS[c].format(vid='victims.id')}" for c in columns)


def drift(conn: Connection, columns: Sequence[str] = DERIVED_ORDER) -> int:
    """How many files' stored state differs from the one their history gives."""
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM victims WHERE {_differs(columns)}").scalar() or 0)


def drifted_columns(conn: Connection) -> dict[str, int]:
    """Per maintained column, how many files differ (only the columns that differ somewhere)."""
    out = {c: drift(conn, [c]) for c in DERIVED_ORDER}
    out[TALLY_TABLE] = tally_drift(conn)  # here: tally keys, not files
    return {c: n for c, n in out.items() if n}


#: The triggers a bulk insert may stand in for (``BulkInserts``): the per-row recomputations of the maintained
#: columns, which ``recompute`` does per file.  Not the tallies' (a +1 per file, which stay: when ``recompute``
#: then writes a file's placement, their update trigger moves the file to its key as for any write).
INSERT_TRIGGERS: tuple[_Trigger, ...] = tuple(t for t in TRIGGERS if t.event == "INSERT"
                                              and set(t.needs) & set(DERIVED_ORDER) and not t.tables)
#: Files recomputed per statement (SQLite's bound-parameter limit is 32,766).
RECOMPUTE_CHUNK = 500


def recompute(conn: Connection, victim_ids: Sequence[str]) -> None:
    """Compute every maintained column of the files ``victim_ids`` from their history (the expressions doctor
    checks against), one statement per ``RECOMPUTE_CHUNK`` files."""
    columns = present(conn)
    if not columns:
        return
    sets = ", ".join(f"{c} = {EXPRESSIONS[c].format(vid='victims.id')}" for c in columns)
    ids = list(dict.fromkeys(victim_ids))
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = ids[start:start + RECOMPUTE_CHUNK]
        conn.exec_driver_sql(f"UPDATE victims SET {sets} WHERE id IN ({', '.join('?' for _ in chunk)})",
                             tuple(chunk))


class BulkInserts:
    """The maintained state of files written in bulk (an import's raw ``executemany`` of thousands of rows),
    computed once per file instead of once per inserted row.

    Inside the writer's transaction, :meth:`suspend` drops the per-row INSERT triggers (DDL is transactional
    in SQLite: a rollback brings them back, and no other connection can write meanwhile — SQLite has one
    writer — nor sees the dropped triggers, readers keep their snapshot).  The writer names every file whose
    rows it inserted (:meth:`touched`); :meth:`settle` recomputes those files from their history (the same
    expressions ``doctor`` compares with) and puts the triggers back, identical, before anything else may
    read the state or the transaction commits.  Updates and deletions keep their triggers throughout."""

    #: The tables whose inserts fire those triggers.
    TABLES = frozenset(t.table for t in INSERT_TRIGGERS)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._dropped: list[_Trigger] = []
        self._files: set[str] = set()

    def suspend(self) -> None:
        if self._dropped:
            return
        stored = {r[0] for r in self.conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for trigger in INSERT_TRIGGERS:
            if trigger.name in stored:
                self.conn.exec_driver_sql(f"DROP TRIGGER {trigger.name}")
                self._dropped.append(trigger)

    def touched(self, victim_ids: Sequence[str]) -> None:
        if self._dropped:
            self._files.update(victim_ids)

    def settle(self) -> None:
        """Recompute the touched files and reinstall the dropped triggers (a no-op when none were dropped)."""
        if not self._dropped:
            return
        recompute(self.conn, sorted(self._files))
        self._files = set()
        for trigger in self._dropped:
            triggers.ensure(self.conn, trigger.ddl())
        self._dropped = []


def repair(conn: Connection) -> int:
    """Put back every missing trigger and recompute the drifted files; returns how many files were wrong."""
    for ddl in trigger_ddl():
        triggers.ensure(conn, ddl)
    wrong = drift(conn)
    if wrong:
        sets = ", ".join(f"{c} = {EXPRESSIONS[c].format(vid='victims.id')}" for c in DERIVED_ORDER)
        conn.exec_driver_sql(f"UPDATE victims SET {sets} WHERE {_differs(DERIVED_ORDER)}")
    if tally_drift(conn):  # counted again from the (now repaired) files
        create_tallies(conn)
    return wrong
