"""A restored laptop that edits a record *more* times than the lost laptop did (issue 19, residual).

The lost laptop's edit reached the county at version N.  The township restores an older backup (the record
at a version below N) and edits the record several times: its version is now above N.  Versions of two
delivery epochs are not comparable, so the county must not take the higher number as a successor of its
copy — that silently overwrote the lost laptop's edit.  Each record a restored laptop sends carries its
*base* (the version and a contents digest of what it held when its epoch began, ``store/epoch_bases.py``);
the county takes the record as a successor only when the base proves the sender held exactly its copy, and
otherwise shows the supervisor a merge conflict with both contents.  Bases are checked like every field: a
malformed one refuses the whole bundle and writes nothing; a forged one (a password holder re-signing a
bundle with the township's own key) cannot prove contents it never saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from sqlalchemy import func, select

from fanguai_desk.exchange.envelope import sign_and_encrypt
from fanguai_desk.exchange.payload import PayloadWriter, read_lines
from fanguai_desk.store.backup import restore_backup
from fanguai_desk.store.models import EpochBase, MergeConflict, Victim
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import (
    Templates,
    edit_notes,
    first_victim,
    open_desk,
    opened_by_supervisor,
    refused,
)
from tests.exchange.conftest import export_outcome as export
from tests.exchange.conftest import import_bundle as import_

Lines = list[dict[str, Any]]


def _county(path: Path, vid: str) -> tuple[str | None, list[tuple[str, str | None, str | None, str]]]:
    d = open_desk(path)
    try:
        with d.read() as s:
            v = s.get(Victim, vid)
            assert v is not None
            conflicts = [(c.field, c.local_value, c.incoming_value, c.id)
                         for c in s.scalars(select(MergeConflict).where(MergeConflict.record_id == vid,
                                                                         MergeConflict.status == "open"))]
            return v.notes, conflicts
    finally:
        d.close()


def _backup(path: Path, dest: Path) -> Path:
    d = open_desk(path)
    try:
        return d.maintenance.backup(dest).path
    finally:
        d.close()


def _lost_edit_reaches_the_county(templates: Templates, sup: Path, town: Path, tmp_path: Path,
                                  *, backup_after: bool) -> tuple[str, Path, int]:
    """The laptop's first bundle and an edit reach the county; a backup is taken before or after the edit."""
    import_(sup, export(town, templates.sup_cert).bundle)
    vid = first_victim(town)
    backup = None if backup_after else _backup(town, tmp_path / "town.fgbak")
    lost_version = edit_notes(town, vid, "丢失的笔记本上的修改")
    import_(sup, export(town, templates.sup_cert).bundle)
    if backup_after:
        backup = _backup(town, tmp_path / "town.fgbak")
    assert backup is not None
    assert _county(sup, vid)[0] == "丢失的笔记本上的修改"
    restored = tmp_path / "restored"  # the laptop is lost; the township restores the backup
    restore_backup(backup, restored, "admin", ADMIN_PASSWORD)
    return vid, restored, lost_version


def test_a_higher_version_from_an_older_backup_is_a_conflict_not_an_overwrite(
        templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    vid, restored, lost_version = _lost_edit_reaches_the_county(templates, sup, town, tmp_path, backup_after=False)
    version = edit_notes(restored, vid, "恢复后第一次修改", "恢复后第二次修改", "恢复后第三次修改")
    assert version > lost_version  # the case that overwrote silently: a higher number, edited on an older copy
    outcome = import_(sup, export(restored, templates.sup_cert).bundle)

    notes, conflicts = _county(sup, vid)
    assert notes == "丢失的笔记本上的修改"  # nothing overwritten ...
    assert [c[:3] for c in conflicts] == [("notes", "丢失的笔记本上的修改", "恢复后第三次修改")]  # ... both shown
    assert outcome.report.conflicts == 1 and vid in outcome.report.conflict_records

    # Only the supervisor's decision changes the county's copy.
    s = open_desk(sup)
    try:
        s.exchange.resolve_conflict(conflicts[0][3], "incoming")
    finally:
        s.close()
    assert _county(sup, vid) == ("恢复后第三次修改", [])

    # The restored laptop's next edit travels in its epoch as usual.  (The supervisor's decision is an edit
    # at the county, so the merge may show it as a conflict once more — as after any resolved conflict —
    # but it is never dropped.)
    edit_notes(restored, vid, "之后的修改")
    import_(sup, export(restored, templates.sup_cert).bundle)
    notes, conflicts = _county(sup, vid)
    assert notes == "之后的修改" or [c[:3] for c in conflicts] == [("notes", "恢复后第三次修改", "之后的修改")]


def test_the_supervisor_may_keep_the_lost_laptops_edit(templates: Templates, sup: Path, town: Path,
                                                       tmp_path: Path) -> None:
    vid, restored, _ = _lost_edit_reaches_the_county(templates, sup, town, tmp_path, backup_after=False)
    edit_notes(restored, vid, "恢复后第一次修改", "恢复后第二次修改")
    import_(sup, export(restored, templates.sup_cert).bundle)
    conflicts = _county(sup, vid)[1]
    s = open_desk(sup)
    try:
        s.exchange.resolve_conflict(conflicts[0][3], "local")
    finally:
        s.close()
    assert _county(sup, vid) == ("丢失的笔记本上的修改", [])


def test_a_backup_holding_the_countys_copy_merges_without_conflict(
        templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    """The base proves the restored laptop held exactly the county's copy: its edits are successors."""
    vid, restored, _ = _lost_edit_reaches_the_county(templates, sup, town, tmp_path, backup_after=True)
    edit_notes(restored, vid, "恢复后第一次修改", "恢复后第二次修改", "恢复后第三次修改")
    outcome = import_(sup, export(restored, templates.sup_cert).bundle)
    assert outcome.report.conflicts == 0
    assert _county(sup, vid) == ("恢复后第三次修改", [])


def test_without_a_restore_many_edits_import_without_conflict_and_carry_no_base(
        templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    vid = first_victim(town)
    for round_ in range(3):
        edit_notes(town, vid, *(f"第{round_}轮第{i}次修改" for i in range(4)))
        bundle = export(town, templates.sup_cert).bundle
        assert not any("base" in line for line in _lines(sup, bundle))  # the format is unchanged
        outcome = import_(sup, bundle)
        assert outcome.report.conflicts == 0
        assert _county(sup, vid) == (f"第{round_}轮第3次修改", [])
    d = open_desk(town)
    try:
        with d.read() as s:
            assert s.scalar(select(func.count()).select_from(EpochBase)) == 0
    finally:
        d.close()


# ---------------------------------------------------------------------------------- what a sender can forge


def _lines(sup: Path, bundle: bytes) -> Lines:
    """A bundle opened as the supervisor would (not imported)."""
    return list(read_lines(opened_by_supervisor(sup, bundle).payload))


def _resign(laptop: Path, sup_cert: bytes, lines: Lines) -> bytes:
    """Edited lines re-signed with the laptop's own key (a password holder has it)."""
    writer = PayloadWriter()
    for line in lines:
        if line["t"] == "header":
            writer.line({k: v for k, v in line.items() if k != "inflated_bytes"})
        elif line["t"] == "record":
            writer.line(line)
            writer.records += 1
        elif line["t"] != "end":
            writer.line(line)
    d = open_desk(laptop)
    try:
        material = d.pki.signing_material()
        return sign_and_encrypt(writer.finish(), material.key, material.cert,
                                x509.load_pem_x509_certificate(sup_cert))
    finally:
        d.close()


def _restored_lines(templates: Templates, sup: Path, town: Path, tmp_path: Path) -> tuple[str, Path, int, Lines]:
    vid, restored, lost_version = _lost_edit_reaches_the_county(templates, sup, town, tmp_path, backup_after=False)
    edit_notes(restored, vid, "恢复后第一次修改", "恢复后第二次修改", "恢复后第三次修改")
    lines = _lines(sup, export(restored, templates.sup_cert).bundle)
    record = next(ln for ln in lines if ln["t"] == "record" and ln["data"]["id"] == vid)
    assert record["base"]["version"] < lost_version  # what the backup held
    return vid, restored, lost_version, lines


@pytest.mark.parametrize("forgery", ["claims_the_countys_version", "no_base", "claims_a_higher_version"])
def test_a_forged_or_absent_base_cannot_overwrite(templates: Templates, sup: Path, town: Path, tmp_path: Path,
                                                  forgery: str) -> None:
    """The insider re-signs the restored laptop's bundle claiming to have held the county's copy (they know
    its version number, e.g. from a receipt, but not the contents the lost laptop wrote), or leaves the base
    out as an old-format bundle would: still a conflict, never an overwrite."""
    vid, restored, lost_version, lines = _restored_lines(templates, sup, town, tmp_path)
    for line in lines:
        if line["t"] == "record" and line["data"]["id"] == vid:
            if forgery == "no_base":
                del line["base"]
            else:
                number = lost_version if forgery == "claims_the_countys_version" else lost_version + 1
                line["base"] = {"version": number, "digest": "0" * 64}
    outcome = import_(sup, _resign(restored, templates.sup_cert, lines))
    notes, conflicts = _county(sup, vid)
    assert notes == "丢失的笔记本上的修改"
    assert [c[:3] for c in conflicts] == [("notes", "丢失的笔记本上的修改", "恢复后第三次修改")]
    assert outcome.report.conflicts == 1


@pytest.mark.parametrize("base", [
    "not a mapping",
    {"version": "3", "digest": "0" * 64},
    {"version": True, "digest": "0" * 64},
    {"version": -1, "digest": "0" * 64},
    {"version": 10**6, "digest": "0" * 64},  # above the record's own version
    {"version": 1, "digest": "0" * 63},
    {"version": 1, "digest": "G" * 64},
    {"version": 1},
    {"version": 1, "digest": "0" * 64, "extra": 1},
])
def test_a_malformed_base_refuses_the_whole_bundle_and_writes_nothing(
        templates: Templates, sup: Path, town: Path, tmp_path: Path, base: Any) -> None:
    vid, restored, _, lines = _restored_lines(templates, sup, town, tmp_path)
    for line in lines:
        if line["t"] == "record" and line["data"]["id"] == vid:
            line["base"] = base
    err = refused(sup, _resign(restored, templates.sup_cert, lines), "bundle_malformed")
    assert err.params.get("part") == "base"
    assert _county(sup, vid) == ("丢失的笔记本上的修改", [])
    assert json.dumps(err.params, ensure_ascii=False).find("修改") < 0  # no contents in the message


def test_purging_or_deleting_a_record_removes_its_base() -> None:
    """A digest could confirm a guess of a purged person's data: the base goes with the record, by the same
    rule that removes every row naming a purged record by ``record_id`` (services/purge.py)."""
    from fanguai_desk.services.purge import _id_references

    assert ("epoch_bases", "record_id") in {(t.name, c.name) for t, c in _id_references()}
