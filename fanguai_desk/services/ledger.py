"""The township ledger (台账) imported: an .xlsx or .csv spreadsheet of the people an office already looks after.

* **Formats**: ``.xlsx`` (openpyxl, read-only, cached values) and ``.csv`` in UTF-8 (with or without BOM) or
  GB18030 (what Excel on a Chinese Windows writes; a superset of GBK/GB2312).  The first sheet of a workbook.
* **Header row**: the first of the first 15 rows that names a known column (a title row above it, such as
  "某某镇被拐卖受害人台账", is skipped).  Columns are mapped from the Chinese headers offices use
  (:data:`HEADER_FIELDS`); the caller may correct the mapping (``mapping``: header → field, or "" to ignore).
* **Cells**: Excel date cells become dates; text dates go through the form's own parser (2024-03-15,
  2024/3/15, 2024.3.15, 20240315, 2024年3月15日); an ID number stored as a *number* (Excel keeps 15 significant
  digits: the last digits of an 18-digit number are lost, or it shows as 5.10101E+17) is refused naming the
  cell, never "repaired".
* **Rules**: every row goes through :meth:`VictimService.register_in` — the very path the form uses (ID check
  digit and agreement with birth date and sex, DNA detector on every text, township scope …).  Errors are
  listed per row and cell.
* **All or nothing**: every row is registered inside one transaction (a savepoint per row collects its
  errors); any error, or a dry run, rolls the whole transaction back.  A row that is the same person as an
  existing file (same ID number, or same name + birth date + sex) is flagged and not created again; two rows
  with the same ID number are an error.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.dates import parse_typed_date
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import FanguaiError, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.services.victims import VictimService
from fanguai_desk.store import audit
from fanguai_desk.store.models import Victim

MAX_LEDGER_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20000
HEADER_SCAN_ROWS = 15

#: Header text (normalized: no spaces, full-width folded) → field.  "guardian" and "placement" are
#: ledger-only fields turned into a guardian record and a note.
HEADER_FIELDS: dict[str, str] = {
    "姓名": "name", "受害人姓名": "name", "被拐卖人员姓名": "name", "名字": "name",
    "别名": "alias", "曾用名": "alias", "化名": "alias",
    "性别": "sex",
    "出生日期": "birth_date", "出生年月日": "birth_date", "出生年月": "birth_date", "生日": "birth_date",
    "身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "身份证": "id_number",
    "证件号码": "id_number",
    "民族": "ethnicity",
    "户籍地": "household_registration", "户籍所在地": "household_registration", "户籍地址": "household_registration",
    "户籍": "household_registration",
    "现居住地": "current_residence", "现住址": "current_residence", "居住地": "current_residence",
    "现居住地址": "current_residence", "家庭住址": "current_residence",
    "联系电话": "phone", "电话": "phone", "联系方式": "phone",
    "解救日期": "rescue_date", "解救时间": "rescue_date",
    "解救单位": "rescue_unit", "解救机关": "rescue_unit",
    "乡镇": "township", "所属乡镇": "township", "乡镇（街道）": "township", "乡镇(街道)": "township",
    "乡镇街道": "township",
    "监护人": "guardian", "监护人姓名": "guardian",
    "安置情况": "placement", "安置方式": "placement", "安置": "placement",
    "残疾情况": "disability", "残疾类别": "disability",
    "备注": "notes", "情况说明": "notes",
}
FIELDS = frozenset(HEADER_FIELDS.values())
DATE_FIELDS = frozenset({"birth_date", "rescue_date"})
FIELD_LABELS = {v: k for k, v in reversed(list(HEADER_FIELDS.items()))}


@dataclass(frozen=True)
class CellError:
    row: int  # the spreadsheet's own row number (1-based, as Excel shows it)
    cell: str | None  # e.g. "D7" (None: the row as a whole)
    column: str | None  # the header text
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LedgerDuplicate:
    row: int
    file_number: str
    reason: str  # same_id_number | same_name_birth_sex


@dataclass
class LedgerPreview:
    """What the file holds and how its columns map (shown to the user before importing)."""

    headers: list[str]
    mapping: dict[str, str]  # header → field ("" = ignored)
    header_row: int
    rows: list[dict[str, Any]]  # field → value (first rows only, for the preview)
    row_count: int
    encoding: str | None  # csv only


@dataclass
class LedgerResult:
    dry_run: bool
    rows: int
    created: list[str]  # file numbers (empty for a dry run or a refusal)
    would_create: int
    duplicates: list[LedgerDuplicate]
    errors: list[CellError]
    mapping: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Sheet:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells)
    encoding: str | None = None


class _DryRun(Exception):
    pass


def _norm_header(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).replace("*", "")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def auto_mapping(headers: Sequence[str]) -> dict[str, str]:
    """header → field for every header (unknown ones map to "")."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for h in headers:
        f = HEADER_FIELDS.get(_norm_header(h), "")
        if f and f in used and f not in ("notes",):
            f = ""
        used.add(f)
        out[h] = f
    return out


def load_mapping_file(path: Path) -> dict[str, str]:
    """A JSON object {"表头": "field"} ("" ignores a column)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        raise ValidationError("ledger_mapping_invalid", detail="JSON") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValidationError("ledger_mapping_invalid", detail="{\"表头\": \"field\"}")
    bad = sorted(v for v in data.values() if v and v not in FIELDS)
    if bad:
        raise ValidationError("ledger_mapping_invalid", detail=", ".join(bad))
    return data


# ----------------------------------------------------------------------------- reading


def _find_header(rows: list[list[Any]]) -> int:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(_norm_header(c) in HEADER_FIELDS for c in row if c not in (None, "")):
            return i
    raise ValidationError("ledger_empty")


def _read_xlsx(data: bytes) -> _Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, TypeError) as exc:
        raise ValidationError("ledger_unreadable") from exc
    try:
        ws = wb.worksheets[0]
        raw: list[list[Any]] = []
        for row in ws.iter_rows(values_only=True):
            raw.append(list(row))
            if len(raw) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise ValidationError("ledger_too_many_rows", max=MAX_ROWS)
    finally:
        wb.close()
    return _sheet(raw, None)


def _read_csv(data: bytes) -> _Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("ledger_unreadable")
    try:
        raw = [list(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ValidationError("ledger_unreadable") from exc
    if len(raw) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ValidationError("ledger_too_many_rows", max=MAX_ROWS)
    return _sheet(raw, "UTF-8" if encoding == "utf-8-sig" else "GB18030")


def _sheet(raw: list[list[Any]], encoding: str | None) -> _Sheet:
    h = _find_header(raw)
    headers = []
    for i, c in enumerate(raw[h]):
        text = str(c).strip() if c not in (None, "") else ""
        headers.append(text or f"（{column_letter(i)}列）")
    rows = []
    for offset, row in enumerate(raw[h + 1:], start=h + 2):
        cells = list(row) + [None] * (len(headers) - len(row))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append((offset, cells[:len(headers)]))
    if not rows:
        raise ValidationError("ledger_empty")
    return _Sheet(headers, h + 1, rows, encoding)


def read_ledger(path: Path) -> _Sheet:
    try:
        if path.stat().st_size > MAX_LEDGER_BYTES:
            raise ValidationError("ledger_unreadable")
        data = path.read_bytes()
    except OSError:
        raise ValidationError("ledger_unreadable") from None
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ValidationError("ledger_unreadable")
    return _read_csv(data)


# ----------------------------------------------------------------------------- cells


_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")


def _cell_value(fieldname: str, value: Any, cell: str) -> Any:
    """A cell as the entry rules want it; ``ledger_cell_*`` errors name the cell."""
    if value is None:
        return None
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
        if not value:
            return None
    if fieldname == "id_number":
        if isinstance(value, int | float):  # bool is an int too
            raise ValidationError("ledger_cell_number_id", cell=cell)
        if _SCIENTIFIC.match(str(value)):
            raise ValidationError("ledger_cell_number_id", cell=cell)
        return str(value).replace(" ", "").upper()
    if fieldname in DATE_FIELDS:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, int) and 19000101 <= value <= 21001231:  # 20190305 typed as a number
                value = str(value)
            else:
                raise ValidationError("ledger_cell_date", cell=cell)
        try:
            return parse_typed_date(str(value).replace("年", "年").strip())
        except ValueError:
            pass
        m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$", str(value))
        if m and fieldname == "birth_date":  # 出生年月 "1998.07": the month only — the 1st, marked in notes
            return date(int(m.group(1)), int(m.group(2)), 1)
        raise ValidationError("ledger_cell_date", cell=cell)
    if fieldname == "sex":
        text = str(value)
        if text not in ("男", "女", "M", "F", "m", "f", "未知", "不详"):
            raise ValidationError("ledger_cell_sex", cell=cell)
        return "U" if text in ("未知", "不详") else text
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ----------------------------------------------------------------------------- service


class LedgerService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, victims: VictimService) -> None:
        super().__init__(desk)
        self.victims = victims

    def preview(self, path: Path, mapping: Mapping[str, str] | None = None, limit: int = 20) -> LedgerPreview:
        """Read the file and map its columns, writing nothing."""
        self.uow.require(Permission.FILE_WRITE)
        sheet = read_ledger(path)
        mapped = self._mapping(sheet.headers, mapping)
        rows = []
        for _n, cells in sheet.rows[:limit]:
            rows.append({mapped[h]: cells[i] for i, h in enumerate(sheet.headers) if mapped.get(h)})
        return LedgerPreview(sheet.headers, mapped, sheet.header_row, rows, len(sheet.rows), sheet.encoding)

    @staticmethod
    def _mapping(headers: Sequence[str], mapping: Mapping[str, str] | None) -> dict[str, str]:
        mapped = auto_mapping(headers)
        if mapping:
            for h, f in mapping.items():
                if f and f not in FIELDS:
                    raise ValidationError("ledger_mapping_invalid", detail=f)
                if h in mapped:
                    mapped[h] = f
        if "name" not in mapped.values():
            raise ValidationError("ledger_name_column_missing")
        return mapped

    def import_file(self, path: Path, *, dry_run: bool = False,
                    mapping: Mapping[str, str] | None = None) -> LedgerResult:
        """Import every row or none (see the module docstring).  Never raises for bad rows: they are listed."""
        self.uow.require(Permission.FILE_WRITE)
        sheet = read_ledger(path)
        mapped = self._mapping(sheet.headers, mapping)
        errors: list[CellError] = []
        prepared: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        for row_number, cells in sheet.rows:
            data, cell_of, row_errors = self._row_data(sheet.headers, mapped, row_number, cells)
            errors += row_errors
            if not row_errors:
                prepared.append((row_number, data, cell_of))
        # the same person twice in the sheet
        seen: dict[str, int] = {}
        for row_number, data, cell_of in prepared:
            number = data.get("id_number")
            if number:
                if number in seen:
                    errors.append(CellError(row_number, cell_of.get("id_number"), FIELD_LABELS["id_number"],
                                            "ledger_duplicate_in_sheet", {"other": seen[number]}))
                else:
                    seen[number] = row_number
        duplicates: list[LedgerDuplicate] = []
        created: list[str] = []
        try:
            with self.uow.tx() as s:
                existing = self._existing_ids(s, seen)
                for row_number, data, cell_of in prepared:
                    number = data.get("id_number")
                    if number and number in existing:
                        duplicates.append(LedgerDuplicate(row_number, existing[number], "same_id_number"))
                        continue
                    savepoint = s.begin_nested()
                    try:
                        vid, hints = self.victims.register_in(s, data)
                    except FanguaiError as exc:
                        savepoint.rollback()
                        audit.forget_cached_head(s)
                        errors.append(self._error(row_number, cell_of, exc))
                        continue
                    earlier = [h for h in hints if h.victim_id not in set(created)]
                    if earlier:
                        savepoint.rollback()
                        audit.forget_cached_head(s)
                        duplicates.append(LedgerDuplicate(row_number, earlier[0].file_number, earlier[0].reason))
                        continue
                    savepoint.commit()
                    created.append(vid)
                numbers = [n for n in (s.get(Victim, v) for v in created) if n is not None]
                file_numbers = [v.file_number for v in numbers]
                if errors or dry_run:
                    raise _DryRun
                self.uow.audit(s, AuditAction.IMPORT, "ledger", None, rows=len(sheet.rows), created=len(created),
                                duplicates=len(duplicates))
        except _DryRun:
            pass
        errors.sort(key=lambda e: (e.row, e.cell or ""))
        ok = not errors and not dry_run
        return LedgerResult(dry_run, len(sheet.rows), file_numbers if ok else [], len(created), duplicates, errors,
                            mapped)

    def _row_data(self, headers: Sequence[str], mapped: Mapping[str, str], row_number: int,
                  cells: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str], list[CellError]]:
        data: dict[str, Any] = {}
        cell_of: dict[str, str] = {}
        errors: list[CellError] = []
        notes: list[str] = []
        for i, header in enumerate(headers):
            f = mapped.get(header, "")
            if not f:
                continue
            cell = f"{column_letter(i)}{row_number}"
            try:
                value = _cell_value(f, cells[i] if i < len(cells) else None, cell)
            except ValidationError as exc:
                errors.append(CellError(row_number, cell, header, exc.code, dict(exc.params)))
                continue
            if value is None:
                continue
            cell_of.setdefault(f, cell)
            if f == "guardian":
                data["guardians"] = [{"name": value}]
            elif f == "placement":
                notes.append(f"安置情况（台账）：{value}")
            elif f == "notes":
                notes.insert(0, str(value))
            else:
                data[f] = value
        if notes:
            data["notes"] = "\n".join(notes)
            cell_of.setdefault("notes", cell_of.get("placement", ""))
        if not data.get("name") and not data.get("alias") and not errors:
            errors.append(CellError(row_number, cell_of.get("name"), FIELD_LABELS["name"], "name_or_alias_required"))
        return data, cell_of, errors

    @staticmethod
    def _error(row_number: int, cell_of: Mapping[str, str], exc: FanguaiError) -> CellError:
        fieldname = str(exc.params.get("field") or "")
        if exc.code.startswith("id_number") or exc.code == "duplicate_id_number":
            fieldname = "id_number"
        elif exc.code in ("township_unknown", "other_township"):
            fieldname = "township"
        elif exc.code == "birth_date_future":
            fieldname = "birth_date"
        if fieldname == "guardians":
            fieldname = "guardian"
        return CellError(row_number, cell_of.get(fieldname) or None, FIELD_LABELS.get(fieldname), exc.code,
                         {k: v for k, v in exc.params.items() if k != "marker"})

    @staticmethod
    def _existing_ids(s: Session, numbers: Iterable[str]) -> dict[str, str]:
        wanted = list(numbers)
        out: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            for number, file_number in s.execute(select(Victim.id_number, Victim.file_number)
                                                 .where(Victim.id_number.in_(wanted[i:i + 500]))):
                out[str(number)] = file_number
        return out
