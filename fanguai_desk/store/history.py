"""Stamps authorship on every tracked record and writes its field-level history, at flush time.

Registered on every session the registry hands out, so no service can forget it: whatever path a
change takes (form, CLI, import), the change log gets from → to, who, when and which laptop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.models import ChangeEntry, Tombstone, Tracked, new_uuid

ACTOR_KEY = "actor"
SKIP_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "updated_by",
                         "origin_installation", "updated_installation", "version"})


@dataclass(frozen=True)
class Stamp:
    """Who is writing, stored in ``session.info`` by the registry."""

    user_id: str | None
    installation_id: str
    record_history: bool = True


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    stamp: Stamp | None = session.info.get(ACTOR_KEY)
    if stamp is None:
        raise RuntimeError("session without an actor: use Registry.session()")
    now = utcnow()
    entries: list[ChangeEntry] = []
    for obj in session.new:
        if not isinstance(obj, Tracked):
            continue
        if obj.origin_installation is None:
            obj.origin_installation = stamp.installation_id
        if obj.created_by is None:
            obj.created_by = stamp.user_id
        obj.updated_by = obj.updated_by or stamp.user_id
        obj.updated_installation = obj.updated_installation or stamp.installation_id
        if stamp.record_history:
            if obj.id is None:
                obj.id = new_uuid()
            entries.append(ChangeEntry(record_type=obj.RECORD_TYPE, record_id=obj.id, version=1, field="*",
                                       old_value=None, new_value="created", changed_at=now,
                                       changed_by=stamp.user_id, installation_id=stamp.installation_id))
    for obj in session.dirty:
        if not isinstance(obj, Tracked) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        assert state is not None
        changed: list[tuple[str, Any, Any]] = []
        for attr in state.mapper.column_attrs:
            if attr.key in SKIP_FIELDS:
                continue
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if as_text(old) != as_text(new):
                    changed.append((attr.key, old, new))
        if not changed:
            continue
        obj.updated_by = stamp.user_id
        obj.updated_installation = stamp.installation_id
        obj.updated_at = now
        if stamp.record_history:
            next_version = (obj.version or 0) + 1
            for key, old, new in changed:
                entries.append(ChangeEntry(record_type=obj.RECORD_TYPE, record_id=obj.id, version=next_version,
                                           field=key, old_value=as_text(old), new_value=as_text(new),
                                           changed_at=now, changed_by=stamp.user_id,
                                           installation_id=stamp.installation_id))
    for obj in session.deleted:
        if not isinstance(obj, Tracked):
            continue
        entries.append(ChangeEntry(record_type=obj.RECORD_TYPE, record_id=obj.id, version=(obj.version or 0) + 1,
                                   field="*", old_value=None, new_value="deleted", changed_at=now,
                                   changed_by=stamp.user_id, installation_id=stamp.installation_id))
        session.merge(Tombstone(record_id=obj.id, record_type=obj.RECORD_TYPE, deleted_at=now,
                                deleted_by=stamp.user_id, installation_id=stamp.installation_id, reason="deleted"))
    session.add_all(entries)


def install(session_factory: Any) -> None:
    event.listen(session_factory, "before_flush", _before_flush)
