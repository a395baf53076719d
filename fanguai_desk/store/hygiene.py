"""What a crash leaves behind, found (doctor) and removed at the next writable open (which holds the lock).

* temporary files of atomic writes killed half-way: ``.keyslots.json.*.tmp``, ``.audit-head.json.*.tmp``, … in
  the data directory (store/atomic.py, store/audit_head.py);
* scratch folders of killed backups: ``.fanguai-*`` in the backup folder (store/backup.py) — full-size
  encrypted copies of the database;
* a key slot whose user never committed (a ``user add`` killed between saving the slot and committing the
  user): it would still unwrap the database key, so it is removed.

Only the process holding the registry lock removes anything: no other writer can be half-way through a write.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.store.keyslots import KeySlotStore
from fanguai_desk.store.models import RegistryMeta, User

BACKUP_DIR_KEY = "backup_dir"  # registry_meta (services/maintenance.py sets it)
BACKUPS_SUBDIR = "backups"

log = logging.getLogger(__name__)


def backup_folders(data_dir: Path, s: Session | None = None) -> list[Path]:
    folders = [data_dir / BACKUPS_SUBDIR]
    if s is not None:
        configured = s.scalar(select(RegistryMeta.value).where(RegistryMeta.key == BACKUP_DIR_KEY))
        if configured:
            folders.append(Path(configured))
    return folders


def leftovers(data_dir: Path, folders: list[Path]) -> list[Path]:
    found = [p for p in data_dir.glob(".*.tmp") if p.is_file()]
    for folder in folders:
        with contextlib.suppress(OSError):
            found += [p for p in folder.glob(".fanguai-*") if p.is_dir()]
    return sorted(set(found))


def clean(data_dir: Path, folders: list[Path]) -> int:
    removed = 0
    for p in leftovers(data_dir, folders):
        with contextlib.suppress(OSError):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed += 1
    if removed:
        log.info("removed %d leftovers of an interrupted operation", removed)
    return removed


def orphan_slot_users(slots_user_ids: set[str], s: Session) -> set[str]:
    known = set(s.scalars(select(User.id)))
    return slots_user_ids - known


def prune_orphan_slots(store: KeySlotStore, s: Session) -> int:
    """Remove the slots of users the database does not know (never while a re-key is pending)."""
    slots = store.load()
    if slots.pending_epoch is not None:
        return 0
    orphans = orphan_slot_users({x.user_id for x in slots.slots}, s)
    if not orphans:
        return 0
    before = len(slots.slots)
    slots.slots = [x for x in slots.slots if x.user_id not in orphans]
    store.save(slots)
    return before - len(slots.slots)
