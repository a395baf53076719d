"""Retention and purge (PIPL art. 19: keep no longer than needed; art. 47: delete when the purpose is met).

A closed file carries a retention date (``LifecycleService.close``).  Once it has passed, an
administrator may purge the file, giving a reason from PIPL art. 47.  Purging deletes, for good:

* the file and everything it owns — every table whose foreign key to it (directly or through another
  owned record) is ``ON DELETE CASCADE``: guardians, buyer households, services, follow-ups, referrals and
  their events, placements, consents, and whatever later features attach the same way;
* the case, when no other file belongs to it any more;
* their field-level history (``change_log`` keeps old values, so it must go too), and any other row that
  names one of them by id (merge conflicts keep local and incoming values; duplicate flags; sync state).

What stays is non-personal: a tombstone per deleted record (``reason="purged"``: id, type, time, who —
what the next export needs to delete the same records at the county) and one audit entry per file with
ids and the reason code only.  ``secure_delete`` (engine.py) overwrites the deleted cells in place, and
after the commit the WAL is checkpointed and truncated so no older page image of the file is left in it.
Backups made before the purge still hold the file until rotation removes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import CursorResult, Table, delete, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction, ClosureReason, FileStatus, PurgeReason
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.progress import Progress, Steps, one_step
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.victims import display_name
from fanguai_desk.store import high_water
from fanguai_desk.store.clock import local_today, utcnow
from fanguai_desk.store.high_water import ClockCheck
from fanguai_desk.store.models import Base, Case, ChangeEntry, Tombstone, Victim

PURGED = "purged"


@dataclass(frozen=True)
class DueFile:
    id: str
    file_number: str
    display_name: str  # masked, as in every list
    township: str
    closed_on: date | None
    closure_reason: ClosureReason | None
    retention_until: date


@dataclass(frozen=True)
class PurgeResult:
    files: list[str]  # victim ids
    records: int  # every row deleted, files included
    cases: int  # cases deleted because no file was left in them
    history_rows: int  # change-log and other rows that referred to the purged records by id
    wal_cleared: bool  # False if a reader kept the WAL from being truncated (doctor/next purge retries)


def _owned_tables() -> dict[Table, list[tuple[Any, Any]]]:
    """table → [(its fk column, parent column)] for every ON DELETE CASCADE foreign key: "owned by"."""
    owned: dict[Table, list[tuple[Any, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if (fk.ondelete or "").upper() == "CASCADE":
                owned.setdefault(table, []).append((fk.parent, fk.column))
    return owned


REFERENCE_COLUMNS = frozenset({"record_id", "victim_id", "other_victim_id"})
KEEP_TABLES = frozenset({"audit_log", "tombstones", "change_log"})  # change_log is handled on its own


def _id_references() -> list[tuple[Table, Any]]:
    """(table, column) for every column that holds a record's id by name but has no foreign key."""
    refs = []
    for table in Base.metadata.sorted_tables:
        if table.name in KEEP_TABLES:
            continue
        for column in table.columns:
            if column.name in REFERENCE_COLUMNS and not column.foreign_keys:
                refs.append((table, column))
    return refs


def _record_types() -> dict[Table, str]:
    types: dict[Table, str] = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if isinstance(table, Table):
            types[table] = getattr(mapper.class_, "RECORD_TYPE", table.name)
    return types


def _count(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def _pk(table: Table) -> Any:
    cols = list(table.primary_key.columns)
    if len(cols) != 1:
        raise RuntimeError(f"purge needs a single-column primary key on {table.name}")
    return cols[0]


def collect_owned(s: Session, victim_ids: Sequence[str]) -> dict[Table, set[Any]]:
    """Every row the files own, found through CASCADE foreign keys until nothing new turns up."""
    victims = Victim.__table__
    assert isinstance(victims, Table)
    found: dict[Table, set[Any]] = {victims: set(victim_ids)}
    owned = _owned_tables()
    changed = True
    while changed:
        changed = False
        for table, links in owned.items():
            for column, parent in links:
                parent_ids = found.get(parent.table)
                if not parent_ids or parent is not _pk(parent.table):
                    continue
                rows = set(s.scalars(select(_pk(table)).where(column.in_(parent_ids))))
                new = rows - found.get(table, set())
                if new:
                    found.setdefault(table, set()).update(new)
                    changed = True
    return found


class PurgeService(ServiceBase):
    def trusted_today(self, today: date | None = None) -> date:
        """The day both the clock and the high-water mark recorded before this sign-in have reached: a clock
        set ahead alone makes nothing due (store/high_water.py)."""
        return self.uow.clock_check.trusted_today(today or local_today())

    def due(self, today: date | None = None) -> list[DueFile]:
        """Closed files whose retention date has passed (by clock and high-water mark), in the actor's scope."""
        today = self.trusted_today(today)
        stmt = (select(Victim).where(Victim.status == FileStatus.CLOSED, Victim.retention_until.is_not(None),
                                     Victim.retention_until <= today)
                .order_by(Victim.retention_until, Victim.file_number))
        scope = self.uow.visible_township_ids()
        if scope is not None:
            stmt = stmt.where(Victim.township_id.in_(scope))
        with self.uow.read() as s:
            return [DueFile(v.id, v.file_number, display_name(v), v.township.name, v.closed_on, v.closure_reason,
                            v.retention_until)
                    for v in s.scalars(stmt).unique() if v.retention_until is not None]

    def purge(self, victim_ids: Sequence[str], reason: PurgeReason | str, today: date | None = None, *,
              confirm_clock: bool = False, progress: Progress | None = None) -> PurgeResult:
        """Delete the files for good (administrator only), all or nothing.  A clock more than a day ahead of
        the highest time seen before this sign-in must be confirmed (``confirm_clock``) first.  ``progress``
        hears the stages of ``STAGES["purge"]`` (fanguai_desk/progress.py): ``purge_delete`` counts the
        delete statements and the tombstones written."""
        self.uow.require(Permission.FILE_PURGE)
        check = self.clock_to_confirm()
        if check is not None:
            if not confirm_clock:
                assert check.high_water is not None
                raise RuleViolation("purge_clock_unconfirmed", now=check.now.isoformat(sep=" ", timespec="minutes"),
                                    seen=check.high_water.isoformat(sep=" ", timespec="minutes"))
            self.confirm_clock()
        try:
            reason = PurgeReason(reason)
        except ValueError:
            raise ValidationError("enum_value", field="reason",
                                  allowed=", ".join(r.value for r in PurgeReason)) from None
        ids = list(dict.fromkeys(victim_ids))
        if not ids:
            raise ValidationError("field_required", field="files")
        today = self.trusted_today(today)
        now = utcnow()
        actor = self.uow.actor.user_id
        installation = self.uow.registry.installation_id
        types = _record_types()
        step = one_step(progress, "purge_collect")
        with self.uow.tx() as s:
            victims = []
            for vid in ids:
                v = self._victim(s, vid)
                if v.status is not FileStatus.CLOSED or v.retention_until is None or v.retention_until > today:
                    raise RuleViolation("purge_not_due", file_number=v.file_number,
                                        until=v.retention_until.isoformat() if v.retention_until else "—")
                victims.append(v)
            found = collect_owned(s, ids)
            per_file = {v.id: 0 for v in victims}
            for table, rows in found.items():
                if table.name != Victim.__tablename__ and "victim_id" in table.c:
                    for vid in s.scalars(select(table.c.victim_id).where(_pk(table).in_(rows))):
                        per_file[vid] = per_file.get(vid, 0) + 1
            # Cases left without any file once these are gone.
            case_ids = {v.case_id for v in victims if v.case_id}
            orphan_cases = set()
            for cid in case_ids:
                others = s.scalar(select(Victim.id).where(Victim.case_id == cid, Victim.id.not_in(ids)).limit(1))
                if others is None:
                    orphan_cases.add(cid)
            cases_table = Case.__table__
            assert isinstance(cases_table, Table)
            if orphan_cases:
                found[cases_table] = orphan_cases
            all_ids = {str(i) for rows in found.values() for i in rows}
            s.flush()
            s.expunge_all()  # nothing of the deleted rows may be written back by a later flush
            step.finish()
            references = _id_references()
            doomed = [table for table in reversed(Base.metadata.sorted_tables) if found.get(table)]
            steps = Steps(progress, "purge_delete", 1 + len(references) + len(doomed) + len(all_ids))
            history_rows = _count(s.execute(delete(ChangeEntry).where(ChangeEntry.record_id.in_(all_ids))))
            steps.add()
            # Rows elsewhere that name a purged record by id without a foreign key (merge conflicts keep old
            # and incoming values, duplicate flags, sync bookkeeping): they go too.
            for table, column in references:
                history_rows += _count(s.execute(delete(table).where(column.in_(all_ids))))
                steps.add()
            records = 0
            for table in doomed:  # children before parents
                records += _count(s.execute(delete(table).where(_pk(table).in_(found[table]))))
                steps.add()
            for table, rows in found.items():
                for rid in rows:
                    s.merge(Tombstone(record_id=str(rid), record_type=types.get(table, table.name), deleted_at=now,
                                      deleted_by=actor, installation_id=installation, reason=PURGED))
                    steps.add()
            for vid in ids:
                self.uow.audit(s, AuditAction.PURGE, Victim.RECORD_TYPE, vid, reason=reason.value,
                                records=per_file.get(vid, 0))
            for cid in sorted(orphan_cases):
                self.uow.audit(s, AuditAction.PURGE, Case.RECORD_TYPE, cid, reason=reason.value)
        steps.finish()
        step = one_step(progress, "purge_wal")
        wal_cleared = self.clear_wal()
        step.finish()
        return PurgeResult(ids, records, len(orphan_cases), history_rows, wal_cleared)

    def clock_to_confirm(self) -> ClockCheck | None:
        """The clock as it is now against the mark from before this sign-in (it may have moved since the
        sign-in), when it is more than a day ahead: a purge must then be confirmed."""
        check = ClockCheck(utcnow(), self.uow.clock_check.high_water)
        return check if check.jumped_ahead else None

    def confirm_clock(self) -> None:
        """The administrator confirmed that the computer's clock is right after a jump: recorded (audited,
        a code only) whatever the purge then does.  Retention still counts on the mark from before this
        sign-in; the next sign-in starts from the confirmed time."""
        self.uow.require(Permission.FILE_PURGE)
        with self.uow.tx() as s:
            high_water.confirm(s)
            self.uow.audit(s, AuditAction.UPDATE, "registry", None, op="clock_confirmed")

    def clear_wal(self) -> bool:
        """Copy the WAL into the database and truncate it to nothing (older page images go with it)."""
        with self.uow.registry.engine.connect() as conn:
            row = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is not None and int(row[0]) == 0

    def tombstones(self) -> list[Tombstone]:
        """Purge tombstones (for the export: the county deletes the same records)."""
        self.uow.require(Permission.PURGE_TOMBSTONES)
        with self.uow.read() as s:
            return list(s.scalars(select(Tombstone).where(Tombstone.reason == PURGED)
                                  .order_by(Tombstone.deleted_at)))
