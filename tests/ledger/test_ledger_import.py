"""The township ledger imported: every row through the form's entry rules, all or nothing, errors per row and
cell, duplicates against existing files flagged and not created twice, .xlsx and .csv (UTF-8, GB18030)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fanguai_desk.cli import main
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import AuditEntry, Guardian, Victim
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import content_fingerprint
from tests.ledger.sample_ledger import HEADERS, people, write_csv, write_sample


@pytest.fixture
def existing(desk: Desk) -> str:
    """The person of the ledger's row "existing", already on file."""
    p = people()[3]
    vid, _ = desk.victims.register({"name": p.name, "sex": p.sex.value, "id_number": p.id_number})
    return vid


def victims(desk: Desk) -> int:
    with desk.read() as s:
        return int(s.scalar(select(func.count(Victim.id))) or 0)


def test_bad_rows_refuse_the_whole_ledger_naming_row_and_cell(desk: Desk, existing: str, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    where = write_sample(path, bad=True)
    before = content_fingerprint(desk)
    result = desk.ledger.import_file(path)
    assert not result.ok and result.created == []
    assert content_fingerprint(desk) == before  # nothing written, not even the good rows
    found = {(e.row, e.code): e for e in result.errors}
    expected = {
        "id_as_number": ("ledger_cell_number_id", "E"),
        "bad_checksum": ("id_number_checksum", "E"),
        "dna_note": ("dna_data", "N"),
        "bad_date": ("ledger_cell_date", "D"),
        "bad_sex": ("ledger_cell_sex", "C"),
        "bad_township": ("township_unknown", "K"),
        "twice": ("ledger_duplicate_in_sheet", "E"),
    }
    for case, (code, column) in expected.items():
        row = where[case]
        assert (row, code) in found, (case, sorted(found))
        assert found[(row, code)].cell == f"{column}{row}", case
    assert found[(where["twice"], "ledger_duplicate_in_sheet")].params["other"] == where["date_cells"]
    assert {e.row for e in result.errors} == {where[c] for c in expected}  # the good rows have no error
    assert [d.row for d in result.duplicates] == [where["existing"]]


def test_a_corrected_ledger_imports_in_one_go_after_a_dry_run(desk: Desk, existing: str, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    where = write_sample(path, bad=False)
    service = desk.ledger
    preview = service.preview(path)
    assert preview.header_row == 2 and preview.row_count == 8
    assert preview.mapping["身份证号码"] == "id_number" and preview.mapping["序号"] == ""

    before = content_fingerprint(desk)
    dry = service.import_file(path, dry_run=True)
    assert dry.ok and dry.would_create == 7 and dry.created == [] and content_fingerprint(desk) == before

    result = service.import_file(path)
    assert result.ok and len(result.created) == 7
    assert [(d.row, d.reason) for d in result.duplicates] == [(where["existing"], "same_id_number")]
    assert victims(desk) == 8
    p = people()
    with desk.read() as s:
        first = s.scalars(select(Victim).where(Victim.id_number == p[0].id_number)).one()
        assert first.birth_date == p[0].birth and first.rescue_date is not None and first.ethnicity == "汉族"
        assert first.notes is not None and "返回原籍" in first.notes and "按月回访" in first.notes
        assert s.scalar(select(Guardian.name).where(Guardian.victim_id == first.id)) == "赵某某"
        lower = s.scalars(select(Victim).where(Victim.name == p[2].name)).one()
        assert lower.id_number == p[2].id_number.upper()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_type == "ledger")).one()
        assert json.loads(entry.detail) == {"rows": 8, "created": 7, "duplicates": 1}

    again = service.import_file(path)  # the same ledger twice: nobody filed twice
    assert again.ok and again.created == [] and len(again.duplicates) == 8 and victims(desk) == 8


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_and_utf8(desk: Desk, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "台账.csv"
    write_csv(path, bad=False, encoding=encoding)
    assert desk.ledger.preview(path).encoding == ("UTF-8" if encoding.startswith("utf") else "GB18030")
    result = desk.ledger.import_file(path)
    assert result.ok and len(result.created) == 8


def test_scientific_notation_id_in_csv_is_refused_naming_the_cell(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("姓名,性别,身份证号\n某丁,女,5.10199E+17\n", encoding="gb18030")
    result = desk.ledger.import_file(path)
    assert [(e.cell, e.code) for e in result.errors] == [("C2", "ledger_cell_number_id")]
    assert victims(desk) == 0


def test_the_mapping_can_be_corrected(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("人员,性别,说明\n某戊,女,在校\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        desk.ledger.preview(path)
    assert err.value.code in ("ledger_empty", "ledger_name_column_missing")
    path.write_text("姓名,性别,说明\n某戊,女,在校\n", encoding="utf-8")
    result = desk.ledger.import_file(path, mapping={"说明": "notes"})
    assert result.ok and len(result.created) == 1
    with desk.read() as s:
        assert s.scalar(select(Victim.notes)) == "在校"


def test_cli_ledger_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    reg = tmp_path / "reg"
    assert main(["--data", str(reg), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    where = write_sample(bad, bad=True)
    write_sample(good, bad=False)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(reg), "ledger", "import", str(bad)])
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert f"第 {where['id_as_number']} 行 E{where['id_as_number']}" in out and "未导入" in out
    assert main(["--data", str(reg), "ledger", "import", str(good), "--dry-run"]) == 0
    assert "可新建 8 份档案" in capsys.readouterr().out
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"序号": ""}), "utf-8")
    assert main(["--data", str(reg), "ledger", "import", str(good), "--mapping", str(mapping)]) == 0
    assert "新建 8 份档案" in capsys.readouterr().out
    assert len(HEADERS) == 14
