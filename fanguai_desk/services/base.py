"""Shared plumbing of the use-case services: loading a file within the actor's scope.

A service receives the unit of work (``services/unit_of_work.py``) as ``self.uow``, never the Desk that
builds it."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from fanguai_desk.domain.errors import ConflictError, NotFound
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.store.models import Victim

T = TypeVar("T")


class ServiceBase:
    def __init__(self, uow: UnitOfWork) -> None:
        #: The signed-in user's unit of work: transactions, permissions, scope, audit, settings.
        self.uow = uow

    def _victim(self, s: Session, victim_id: str, *, write: bool = False) -> Victim:
        """The file, if it exists and the actor may see it (a file outside scope looks like no file).

        ``write``: the file is about to change — a supervisor changes only files created on this
        installation (an imported township file changes at the township, ``Permission.EDIT_IMPORTED``)."""
        victim = s.get(Victim, victim_id)
        if victim is None or not self.uow.can_see_township(victim.township_id):
            raise NotFound("victim_not_found")
        if write:
            self.uow.ensure_editable_here(victim.origin_installation)
        return victim

    def _child(self, s: Session, model: type[T], record_id: str, *, write: bool = False) -> tuple[T, Victim]:
        """A record that hangs off a file (service, visit, referral…), with scope checked via its file."""
        row = s.get(model, record_id)
        if row is None:
            raise NotFound("record_not_found")
        victim = self._victim(s, row.victim_id, write=write)  # type: ignore[attr-defined]
        if write:
            self.uow.ensure_editable_here(getattr(row, "origin_installation", None))
        return row, victim

    @staticmethod
    def _check_version(row: Any, expected_version: int | None) -> None:
        if expected_version is not None and row.version != expected_version:
            raise ConflictError("concurrent_change", expected=expected_version, found=row.version)
