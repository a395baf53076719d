"""A file's whole life (issue 13): close (结案), reopen, transfer to another township, delete a mistaken file.

The rules are in ``domain/lifecycle.py``; the store's closed-file guard (``store/closed_files.py``) keeps a
closed file read-only on every other path, so only these operations (and the exchange merge) may write to one.
Each operation is one transaction with its audit entry; field changes land in the file's history
(``change_log``: the closure reason, note and every reopen reason from → to), and travel in exports as
ordinary victim columns (tombstones for a deleted file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.clocks import retention_until
from fanguai_desk.domain.enums import (
    AuditAction,
    ClosureReason,
    FileStatus,
    FollowUpStatus,
    ReferralStatus,
    Role,
    ServiceStatus,
)
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.labels import label
from fanguai_desk.domain.lifecycle import ensure_close_note, ensure_real_reason
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.clock import local_today, utcnow
from fanguai_desk.store.closed_files import LIFECYCLE_WRITE
from fanguai_desk.store.models import (
    Base,
    ChangeEntry,
    FollowUp,
    LegalAidReferral,
    ReferralEvent,
    ServiceRecord,
    Tombstone,
    Township,
    User,
    Victim,
)

#: Referral states that still wait for someone to act (closing the file revokes them).
PENDING_REFERRAL = (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.LAWYER_ASSIGNED,
                    ReferralStatus.MATERIALS_REQUESTED, ReferralStatus.OBJECTED)
OPEN_SERVICE = (ServiceStatus.PLANNED, ServiceStatus.IN_PROGRESS)
DELETED = "deleted"


@dataclass(frozen=True)
class Obligation:
    """One open obligation on a file, what closing will do to it."""

    record_type: str  # followup | service | referral
    record_id: str
    when: date | None  # planned date / due date / referral date
    kind: str  # FollowUpMethod / ServiceType / ReferralStatus value, or "" when unknown


@dataclass
class Obligations:
    planned_visits: list[Obligation] = field(default_factory=list)
    open_services: list[Obligation] = field(default_factory=list)
    pending_referrals: list[Obligation] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.planned_visits) + len(self.open_services) + len(self.pending_referrals)


@dataclass(frozen=True)
class CloseResult:
    retention_until: date
    visits_cancelled: int
    services_cancelled: int
    referrals_revoked: int


@dataclass(frozen=True)
class TransferResult:
    township: str
    caseworker_id: str | None
    visits_reassigned: int


def _append(note: str | None, text: str) -> str:
    return f"{note}\n{text}" if note else text


class LifecycleService(ServiceBase):
    # ------------------------------------------------------------------ close

    def _obligations(self, s: Session, victim_id: str) -> Obligations:
        out = Obligations()
        for f in s.scalars(select(FollowUp).where(FollowUp.victim_id == victim_id,
                                                  FollowUp.status == FollowUpStatus.PLANNED)
                           .order_by(FollowUp.planned_date)):
            out.planned_visits.append(Obligation("followup", f.id, f.planned_date, f.method.value if f.method else ""))
        for r in s.scalars(select(ServiceRecord).where(ServiceRecord.victim_id == victim_id,
                                                       ServiceRecord.status.in_(OPEN_SERVICE))
                           .order_by(ServiceRecord.due_date)):
            out.open_services.append(Obligation("service", r.id, r.due_date, r.service_type.value))
        for ref in s.scalars(select(LegalAidReferral).where(LegalAidReferral.victim_id == victim_id,
                                                            LegalAidReferral.status.in_(PENDING_REFERRAL))
                             .order_by(LegalAidReferral.referral_date)):
            out.pending_referrals.append(Obligation("referral", ref.id, ref.referral_date, ref.status.value))
        return out

    def obligations(self, victim_id: str) -> Obligations:
        """What is still open on the file: shown before closing, closed or cancelled by it."""
        with self.uow.read() as s:
            victim = self._victim(s, victim_id)
            return self._obligations(s, victim.id)

    def close(self, victim_id: str, reason: ClosureReason | str, note: str | None = None, *,
              closed_on: date | str | None = None, expected_version: int | None = None,
              transferred_to: str | None = None) -> CloseResult:
        """Close the file with a reason; cancel its planned visits and open services, revoke its pending
        referrals (each noting why); start the retention period (PIPL art. 19)."""
        self.uow.require(Permission.FILE_WRITE)
        code = fields.enum_of(ClosureReason)("reason", reason)
        if code is None:
            raise ValidationError("field_required", field="reason")
        note_text = ensure_close_note(code, fields.NOTE("note", note))
        on = fields.parse_date("closed_on", closed_on) or local_today()
        if on > local_today():
            raise ValidationError("date_in_future", field="closed_on")
        years = self.uow.settings().retention_years
        why = f"结案取消：{label(code)}"
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            self._check_version(victim, expected_version)
            if victim.status is FileStatus.CLOSED:
                raise RuleViolation("file_closed")
            s.info[LIFECYCLE_WRITE] = True
            todo = self._obligations(s, victim.id)
            for ob in todo.planned_visits:
                visit = s.get(FollowUp, ob.record_id)
                assert visit is not None
                visit.status = FollowUpStatus.CANCELLED
                visit.notes = _append(visit.notes, why)
            for ob in todo.open_services:
                svc = s.get(ServiceRecord, ob.record_id)
                assert svc is not None
                svc.status = ServiceStatus.CANCELLED
                svc.end_date = svc.end_date or on
                svc.notes = _append(svc.notes, why)
            for ob in todo.pending_referrals:
                ref = s.get(LegalAidReferral, ob.record_id)
                assert ref is not None
                ref.status = ReferralStatus.REVOKED
                ref.events.append(ReferralEvent(status=ReferralStatus.REVOKED, at=max(on, ref.referral_date),
                                                note=why))
            victim.status = FileStatus.CLOSED
            victim.closure_reason = code
            victim.closure_note = note_text
            victim.closed_on = on
            # Retention counts from when the close is recorded, not from the date typed in: a close back-dated
            # to 2001 must not make the file purgeable at once, nor may a clock set back (high_water.py).
            recorded_on = self.uow.clock_check.recorded_today(local_today())
            victim.retention_until = retention_until(max(on, recorded_on), years)
            if transferred_to is not None:
                victim.transferred_to = transferred_to
            s.flush()
            self.uow.audit(s, AuditAction.UPDATE, Victim.RECORD_TYPE, victim.id, op="close", reason=code.value,
                            visits=len(todo.planned_visits), services=len(todo.open_services),
                            referrals=len(todo.pending_referrals))
            return CloseResult(victim.retention_until, len(todo.planned_visits), len(todo.open_services),
                               len(todo.pending_referrals))

    # ------------------------------------------------------------------ reopen

    def reopen(self, victim_id: str, reason: str, *, expected_version: int | None = None) -> int:
        """Reopen a closed file.  The reason is kept (field history and the file's ``reopen_reason``)."""
        self.uow.require(Permission.FILE_WRITE)
        text = ensure_real_reason(fields.NOTE("reason", reason), "reason")
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            self._check_version(victim, expected_version)
            if victim.status is not FileStatus.CLOSED:
                raise RuleViolation("file_not_closed")
            s.info[LIFECYCLE_WRITE] = True
            previous = victim.closure_reason
            victim.status = FileStatus.OPEN
            victim.closure_reason = None
            victim.closure_note = None
            victim.closed_on = None
            victim.retention_until = None
            victim.reopen_reason = text
            victim.reopened_on = local_today()
            s.flush()
            self.uow.audit(s, AuditAction.UPDATE, Victim.RECORD_TYPE, victim.id, op="reopen",
                            closed_for=previous.value if previous else None)
            return victim.version

    # ------------------------------------------------------------------ transfer within the registry

    def transfer(self, victim_id: str, township: str, caseworker: str | None = None, *,
                 expected_version: int | None = None) -> TransferResult:
        """Hand the file to another township (and caseworker) of this registry.  The history stays with it;
        its planned visits follow the new caseworker."""
        self.uow.require(Permission.FILE_WRITE)
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            self._check_version(victim, expected_version)
            if victim.status is FileStatus.CLOSED:
                raise RuleViolation("file_closed")
            target = s.scalar(select(Township).where((Township.name == township) | (Township.code == township)))
            if target is None:
                raise ValidationError("township_unknown")
            if target.id == victim.township_id:
                raise ValidationError("transfer_same_township")
            worker = self._caseworker_of(s, target, caseworker)
            before = victim.township_id
            victim.township_id = target.id
            victim.caseworker_id = worker.id if worker else None
            moved = 0
            for visit in s.scalars(select(FollowUp).where(FollowUp.victim_id == victim.id,
                                                          FollowUp.status == FollowUpStatus.PLANNED)):
                visit.caseworker_id = victim.caseworker_id
                moved += 1
            s.flush()
            self.uow.audit(s, AuditAction.UPDATE, Victim.RECORD_TYPE, victim.id, op="transfer",
                            from_township=before, to_township=target.id,
                            caseworker=victim.caseworker_id)
            return TransferResult(target.name, victim.caseworker_id, moved)

    @staticmethod
    def _caseworker_of(s: Session, township: Township, wanted: str | None) -> User | None:
        """The named caseworker of ``township`` (login or id), or its only active caseworker, or nobody."""
        stmt = select(User).where(User.township_id == township.id, User.active.is_(True),
                                  User.role == Role.CASEWORKER)
        if wanted:
            user = s.scalar(stmt.where((User.login == wanted) | (User.id == wanted)))
            if user is None:
                raise ValidationError("caseworker_not_in_township")
            return user
        users = list(s.scalars(stmt.limit(2)))
        return users[0] if len(users) == 1 else None

    def townships(self) -> list[tuple[str, str, str]]:
        """(id, code, name) of every township of the registry: transfer targets (a caseworker sees them all
        here, and nothing of their files)."""
        with self.uow.read() as s:
            return [(t.id, t.code, t.name) for t in s.scalars(select(Township).order_by(Township.code))]

    def caseworkers(self, township_id: str | None = None) -> list[tuple[str, str]]:
        """(id, display name) of the active caseworkers of a township (of every township: None)."""
        stmt = select(User).where(User.active.is_(True), User.role == Role.CASEWORKER).order_by(User.display_name)
        if township_id is not None:
            stmt = stmt.where(User.township_id == township_id)
        with self.uow.read() as s:
            return [(u.id, u.display_name) for u in s.scalars(stmt)]

    # ------------------------------------------------------------------ delete a file entered by mistake

    def delete_mistaken(self, victim_id: str, reason: str) -> int:
        """Delete a file entered by mistake (administrator; within ``delete_window_days`` of its creation,
        on the laptop where it was created).  The file and everything it owns go, with their history;
        tombstones (no personal data) carry the deletion to the county.  Returns the number of records."""
        from fanguai_desk.services.purge import _id_references, _pk, _record_types, collect_owned

        self.uow.require(Permission.FILE_DELETE)
        text = ensure_real_reason(fields.NOTE("reason", reason), "reason")
        window = self.uow.settings().delete_window_days
        now = utcnow()
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            if victim.origin_installation != self.uow.registry.installation_id:
                raise RuleViolation("delete_not_here")
            age_days = (now - victim.created_at).days
            if age_days > window:
                raise RuleViolation("delete_window_passed", days=window)
            s.info[LIFECYCLE_WRITE] = True
            found = collect_owned(s, [victim.id])
            all_ids = {str(i) for rows in found.values() for i in rows}
            s.flush()
            s.expunge_all()
            s.execute(delete(ChangeEntry).where(ChangeEntry.record_id.in_(all_ids)))
            for table, column in _id_references():
                s.execute(delete(table).where(column.in_(all_ids)))
            records = 0
            for table in reversed(Base.metadata.sorted_tables):
                if found.get(table):
                    result: Any = s.execute(delete(table).where(_pk(table).in_(found[table])))
                    records += int(result.rowcount or 0)
            types = _record_types()
            for table, rows in found.items():
                for rid in rows:
                    s.merge(Tombstone(record_id=str(rid), record_type=types.get(table, table.name), deleted_at=now,
                                      deleted_by=self.uow.actor.user_id,
                                      installation_id=self.uow.registry.installation_id, reason=DELETED))
            # The reason is the administrator's words: it may name the person, so the audit keeps its length only.
            self.uow.audit(s, AuditAction.DELETE, Victim.RECORD_TYPE, victim_id, op="delete_mistaken",
                            records=records, reason_chars=len(text), age_days=age_days)
            return records


__all__ = ["CloseResult", "LifecycleService", "Obligation", "Obligations", "TransferResult"]
