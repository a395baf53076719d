"""The county's review screens name files by number and township and laptops by township, with masked values.

Two township laptops (青龙镇, 白马镇) export to the county supervisor: the conflicts, possible duplicates and
import history the supervisor reviews carry the file number (档案编号), the township and the sending laptop —
never a bare record id — and a conflict on an identifying field shows both values masked (domain/masking.py).
The same facts reach the CLI's ``conflicts`` and ``duplicates``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import Victim
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import Templates, open_desk


def _export(path: Path, recipient: bytes) -> bytes:
    d = open_desk(path)
    try:
        return d.exchange.export(recipient).bundle
    finally:
        d.close()


def _import(path: Path, bundle: bytes) -> None:
    d = open_desk(path)
    try:
        d.exchange.import_bundle(bundle)
    finally:
        d.close()


@pytest.fixture
def county(templates: Templates, tmp_path: Path) -> tuple[Path, Path, Path]:
    return templates.copy("sup", tmp_path), templates.copy("town_a", tmp_path), templates.copy("town_b", tmp_path)


def _conflicts_on_both_sides(templates: Templates, sup: Path, town_a: Path) -> tuple[str, str, str]:
    """A file edited on the township laptop and at the county: name, ethnicity and a yes/no field clash."""
    _import(sup, _export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    vid = next(r.id for r in d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=50)
               if r.display_name and not r.display_name.startswith("*"))
    d.victims.edit(vid, {"name": "李晓红", "ethnicity": "彝族", "attention_flag": True,
                         "attention_message": "请先电话联系"})
    with d.read() as s:
        v = s.get(Victim, vid)
        assert v is not None
        number = v.file_number
    d.close()
    s_desk = open_desk(sup)
    s_desk.victims.edit(vid, {"name": "李小红", "ethnicity": "藏族", "attention_flag": True,
                              "attention_message": "县里已联系"})
    s_desk.victims.edit(vid, {"attention_flag": False})
    s_desk.close()
    _import(sup, _export(town_a, templates.sup_cert))
    return vid, number, "李晓红"


def test_conflicts_name_the_file_township_and_laptop_and_mask_identifying_values(
        templates: Templates, county: tuple[Path, Path, Path]) -> None:
    sup, town_a, _ = county
    vid, number, clear_name = _conflicts_on_both_sides(templates, sup, town_a)
    d = open_desk(sup)
    try:
        views = {c.field: c for c in d.exchange.conflicts()}
        assert {"name", "ethnicity", "attention_flag"} <= set(views)
        for c in views.values():
            assert c.file is not None and c.file.file_number == number and c.file.township == "青龙镇"
            assert c.file.victim_id == vid and c.file.name.startswith("李") and "*" in c.file.name
            assert c.laptop is not None and c.laptop.township == "青龙镇" and not c.laptop.this_laptop
        name = views["name"]
        assert name.masked and name.local_value == "李**" and name.incoming_value == "李**"
        assert clear_name not in repr(views) and "李小红" not in repr(views)
        assert (views["ethnicity"].local_value, views["ethnicity"].incoming_value) == ("藏族", "彝族")
        assert not views["ethnicity"].masked
        flag = views["attention_flag"]
        assert (flag.local_value, flag.incoming_value) == (False, True)  # typed, not the stored text "True"
        # Taking the incoming yes/no value works (its stored text is turned back into a bool).
        d.exchange.resolve_conflict(flag.id, "incoming")
        assert d.victims.open_file(vid, audit_read=False).victim.attention_flag is True
    finally:
        d.close()


def test_duplicates_and_import_history_name_files_townships_laptops_and_signers(
        templates: Templates, county: tuple[Path, Path, Path]) -> None:
    sup, town_a, town_b = county
    a = open_desk(town_a)
    with a.read() as s:
        v = s.scalars(select(Victim).where(Victim.id_number.is_not(None), Victim.hidden_name.is_(False))).first()
        assert v is not None
        number, id_number, name = v.file_number, v.id_number, v.name
    a.close()
    b = open_desk(town_b)
    b_id, _ = b.victims.register({"name": name, "id_number": id_number})
    with b.read() as s:
        b_number = s.get(Victim, b_id).file_number  # type: ignore[union-attr]
    b.close()
    _import(sup, _export(town_a, templates.sup_cert))
    _import(sup, _export(town_b, templates.sup_cert))
    d = open_desk(sup)
    try:
        [dup] = d.exchange.duplicates()
        assert dup.reason == "same_id_number"
        assert (dup.file.file_number, dup.file.township) == (b_number, "白马镇")
        assert (dup.other.file_number, dup.other.township) == (number, "青龙镇")
        assert dup.file.name == dup.other.name and name not in dup.file.name and "*" in dup.file.name
        assert dup.laptop is not None and dup.laptop.township == "白马镇"
        history = d.exchange.imported()
        assert [(h.laptop.township, h.signed_by) for h in history] == [("白马镇", "白马镇社工"), ("青龙镇", "青龙镇社工")]
        assert not any(h.laptop.this_laptop for h in history)
    finally:
        d.close()


def test_a_laptop_is_named_by_the_township_it_was_set_up_for(templates: Templates, tmp_path: Path) -> None:
    from fanguai_desk.services.exchange_views import laptops

    d = open_desk(templates.copy("sup", tmp_path))
    try:
        local = d.registry.installation_id
        with d.read() as s:
            known = laptops(s, local, ["not-seen-yet"])
        assert known[local].this_laptop and known[local].township == "县民政局"
        assert known["not-seen-yet"].township is None and not known["not-seen-yet"].this_laptop
    finally:
        d.close()


def test_cli_conflicts_and_duplicates_print_file_numbers_not_record_ids(
        templates: Templates, county: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sup, town_a, _ = county
    vid, number, clear_name = _conflicts_on_both_sides(templates, sup, town_a)
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("FANGUAI_USER", "admin")
    capsys.readouterr()
    assert main(["--data", str(sup), "conflicts"]) == 0
    out = capsys.readouterr().out
    assert number in out and "青龙镇的电脑" in out and "民族" in out and "藏族" in out and "彝族" in out
    assert vid[:8] not in out and clear_name not in out and "李小红" not in out
    assert main(["--json", "--data", str(sup), "conflicts"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["file"]["file_number"] for r in rows} == {number}
    assert clear_name not in json.dumps(rows, ensure_ascii=False)
    assert main(["--data", str(sup), "duplicates"]) == 0
    assert "无疑似重复" in capsys.readouterr().out
    for line in out.splitlines():  # only the conflict id (what ``--resolve`` takes) leads the line
        assert not re.search(r"[0-9a-f]{8}", line.split("  ", 1)[1]), line
