"""A version collision after a restore (issue 19): a record edited after a backup reaches the county at version
N; the township restores the backup and edits the record again — version N once more, other contents.  The
county must not take the restored laptop's edit for one it already holds (dropping it silently), nor let it
overwrite the lost edit silently: the versions of two epochs are not comparable, so what differs becomes a
merge conflict for the supervisor, and the next edit in the new epoch travels as usual."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from fanguai_desk.store.backup import restore_backup
from fanguai_desk.store.models import MergeConflict, Victim
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import Templates, edit_notes, first_victim, open_desk
from tests.exchange.conftest import export_outcome as export
from tests.exchange.conftest import import_bundle as import_


def _county(path: Path, vid: str) -> tuple[str | None, list[tuple[str, str | None, str | None]]]:
    d = open_desk(path)
    try:
        with d.read() as s:
            v = s.get(Victim, vid)
            assert v is not None
            conflicts = [(c.field, c.local_value, c.incoming_value)
                         for c in s.scalars(select(MergeConflict).where(MergeConflict.record_id == vid))]
            return v.notes, conflicts
    finally:
        d.close()


def test_same_version_other_contents_after_a_restore_is_a_conflict_not_a_silent_drop(
        templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    vid = first_victim(town)
    d = open_desk(town)
    backup = d.maintenance.backup(tmp_path / "town.fgbak").path
    d.close()
    lost_version = edit_notes(town, vid, "丢失的笔记本上的修改")
    import_(sup, export(town, templates.sup_cert).bundle)
    assert _county(sup, vid)[0] == "丢失的笔记本上的修改"

    restored = tmp_path / "restored"  # the laptop is lost; the township restores the backup
    restore_backup(backup, restored, "admin", ADMIN_PASSWORD)
    assert edit_notes(restored, vid, "恢复后重新录入的修改") == lost_version  # the collision: same number
    outcome = import_(sup, export(restored, templates.sup_cert, catch_up=True).bundle)
    notes, conflicts = _county(sup, vid)
    assert notes == "丢失的笔记本上的修改"  # nothing overwritten silently ...
    assert ("notes", "丢失的笔记本上的修改", "恢复后重新录入的修改") in conflicts  # ... and nothing dropped
    assert outcome.report.conflicts >= 1

    # The next edit in the new epoch is compared by version again, as usual.
    edit_notes(restored, vid, "再次修改")
    import_(sup, export(restored, templates.sup_cert).bundle)
    notes, conflicts = _county(sup, vid)
    assert ("notes", "丢失的笔记本上的修改", "再次修改") in conflicts or notes == "再次修改"
