"""The change journal: every change to a record numbered by a local counter, in the same transaction.

Delivery to the county must not depend on the laptop's clock (an ``updated_at`` written with the clock a
month ahead would hide every later change).  So every INSERT or UPDATE of a tracked record, and every
tombstone, appends a row to ``change_journal`` whose ``seq`` (SQLite ``AUTOINCREMENT``: strictly
increasing, never reused, even after deletes) is the change's number.  The rows are written by SQLite
triggers, so *every* write path is numbered — ORM flushes, the importer's raw ``executemany``, Core
``update()``/``insert()``, purges and tombstones — inside the writing transaction: a rolled-back write
leaves no number behind, a committed one always has one.

Writers are serialised by SQLite's write lock, so numbers are handed out in commit order: a reader that
sees journal number N also sees every change numbered N or less.  An export therefore sends "every record
with a journal entry in (from, to]" — see ``exchange/delivery.py``.

The triggers are (re)created idempotently after every schema upgrade (:func:`install_triggers`): a later
migration that rebuilds a table in Alembic batch mode drops its triggers, and they come back at the next
open.  Only ids and record types are journaled, never personal data.  Writing a file's maintained state
(``store/state.py``: its current placement, next and last visit …, written by triggers when a visit or a
placement changes) is not a change of the file: the trigger on ``victims`` fires only for its other columns,
so recording a visit journals the visit, not its file again.

Epochs: a registry restored from a backup continues from the backup's journal number, while the county
may already hold later numbers from the lost laptop.  So the journal's numbers are qualified by an
*epoch* (a random id in ``registry_meta``) that changes on every restore; the new epoch records its
parent and the journal number it started from (``epoch_parent``, ``epoch_base``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from fanguai_desk.store import triggers
from fanguai_desk.store.epoch_bases import snapshot
from fanguai_desk.store.models import TRACKED_MODELS, ChangeJournal, RegistryMeta, new_uuid
from fanguai_desk.store.state import DERIVED_COLUMNS

TOMBSTONE = "tombstone"
PRINT = "print"  # print_log rows (docs/paper-verification.md) travel by change number too
ATTACHMENT = "attachment"  # and attachments (their chunks travel with them)
REVIEW_FLAG = "review_flag"  # and review flags with their closures (exchange/review_flags.py, migration 0011)
EPOCH_KEY, EPOCH_PARENT_KEY, EPOCH_BASE_KEY = "epoch", "epoch_parent", "epoch_base"


def _journaled_columns(conn: Connection | None, table: str) -> list[str] | None:
    """The columns whose update is a change of the record: all but the derived ones (``store/state.py``),
    so the maintained state a trigger writes on ``victims`` never sends the file again.  None: every column."""
    if conn is None or table != "victims":
        return None
    cols = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")]
    return [c for c in cols if c not in DERIVED_COLUMNS] if DERIVED_COLUMNS & set(cols) else None


def trigger_ddl(conn: Connection | None = None) -> list[str]:
    """The journal's triggers (``conn``: the registry whose ``victims`` columns decide what an update is)."""
    out = []
    tables = [(m.__tablename__, m.RECORD_TYPE, "id") for m in TRACKED_MODELS]
    tables.append(("tombstones", TOMBSTONE, "record_id"))
    tables.append(("print_log", PRINT, "doc_id"))
    tables.append(("attachments", ATTACHMENT, "id"))
    tables.append(("review_flags", REVIEW_FLAG, "id"))
    for table, record_type, key in tables:
        for when in ("INSERT", "UPDATE"):
            columns = _journaled_columns(conn, table) if when == "UPDATE" else None
            of = f" OF {', '.join(columns)}" if columns else ""
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS trg_journal_{table}_{when.lower()} AFTER {when}{of} ON {table} "
                f"BEGIN INSERT INTO change_journal (record_type, record_id) VALUES ('{record_type}', NEW.{key}); "
                f"END")
    return out


def _table_of(ddl: str) -> str:
    return ddl.split(" ON ", 1)[1].split()[0]


def install_triggers(conn: Connection) -> None:
    """Idempotent; a trigger whose definition changed (the ``victims`` columns) is replaced."""
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for ddl in trigger_ddl(conn):
        if _table_of(ddl) in have:
            triggers.ensure(conn, ddl)


def missing_triggers(conn: Connection) -> list[str]:
    """Journal triggers that are absent, or not as this program defines them."""
    return triggers.missing(conn, trigger_ddl(conn))


def journal_head(s: Session) -> int:
    """The newest change number this transaction can see (0 for an empty journal)."""
    return int(s.scalar(select(func.max(ChangeJournal.seq))) or 0)


@dataclass(frozen=True)
class Epoch:
    id: str
    parent: str | None
    base: int  # journal number at which this epoch began (0 for a registry's first epoch)


def current_epoch(s: Session, *, create: bool = True) -> Epoch | None:
    rows = {r.key: r.value for r in s.scalars(select(RegistryMeta).where(
        RegistryMeta.key.in_([EPOCH_KEY, EPOCH_PARENT_KEY, EPOCH_BASE_KEY])))}
    if EPOCH_KEY not in rows:
        if not create:
            return None
        epoch = Epoch(new_uuid(), None, 0)
        s.add(RegistryMeta(key=EPOCH_KEY, value=epoch.id))
        s.add(RegistryMeta(key=EPOCH_BASE_KEY, value="0"))
        s.flush()
        return epoch
    return Epoch(rows[EPOCH_KEY], rows.get(EPOCH_PARENT_KEY) or None, int(rows.get(EPOCH_BASE_KEY) or 0))


def start_new_epoch(s: Session) -> Epoch:
    """After a restore: later changes are numbered in a new epoch that forks from the restored journal."""
    old = current_epoch(s, create=False)
    epoch = Epoch(new_uuid(), old.id if old else None, journal_head(s))
    for key, value in ((EPOCH_KEY, epoch.id), (EPOCH_PARENT_KEY, epoch.parent or ""),
                       (EPOCH_BASE_KEY, str(epoch.base))):
        s.merge(RegistryMeta(key=key, value=value))
    s.flush()
    # What the laptop holds of each record as the epoch begins: sent with its records in the new epoch so the
    # county can tell an edit on top of its copy from one on an older copy (store/epoch_bases.py).
    snapshot(s)
    return epoch
