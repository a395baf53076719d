"""CLI: import a township ledger (台账) spreadsheet.

    fanguai-desk ledger import FILE [--dry-run] [--mapping F]

FILE is .xlsx or .csv (UTF-8 or GB18030).  ``--mapping F``: a JSON object {"表头": "field"} correcting the
automatic column mapping ("" ignores a column).  Every row or none is imported; errors are listed per row and
cell and the command exits 1.  ``--dry-run`` checks everything and writes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fanguai_desk.commands.common import emit, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.messages import render


def cmd_ledger(args: argparse.Namespace) -> None:
    from fanguai_desk.services.ledger import load_mapping_file

    mapping = load_mapping_file(Path(args.mapping)) if args.mapping else None
    desk = open_desk(args)
    try:
        result = desk.ledger.import_file(Path(args.file), dry_run=args.dry_run, mapping=mapping)
    finally:
        desk.close()
    lang = getattr(args, "lang", "zh_CN")

    def lines() -> list[str]:
        comma = t("，", ", ")
        out = [t("列对应：", "Columns: ") + comma.join(f"{h}→{f}" for h, f in result.mapping.items() if f)]
        ignored = [h for h, f in result.mapping.items() if not f]
        if ignored:
            out.append(t("未导入的列：", "Columns not imported: ") + comma.join(ignored))
        for e in result.errors:
            where = t(f"第 {e.row} 行", f"Row {e.row}") + (f" {e.cell}" if e.cell else "") \
                + (t(f"（{e.column}）", f" ({e.column})") if e.column else "")
            out.append(where + t("：", ": ") + render(ValidationError(e.code, **e.params), lang))
        for d in result.duplicates:
            same = t("身份证号相同", "same ID number") if d.reason == "same_id_number" \
                else t("姓名、出生日期、性别相同", "same name, birth date and sex")
            out.append(t(f"第 {d.row} 行：与已有档案 {d.file_number} 是同一人（{same}），不重复建档。",
                         f"Row {d.row}: the same person as file {d.file_number} ({same}); no second file made."))
        if result.errors:
            out.append(render(ValidationError("ledger_rows_invalid", count=len({e.row for e in result.errors})), lang))
        elif result.dry_run:
            out.append(t(f"试导入：共 {result.rows} 行，可新建 {result.would_create} 份档案，"
                         f"{len(result.duplicates)} 行与已有档案重复。未写入任何数据。",
                         f"Trial import: {result.rows} row(s); {result.would_create} file(s) would be made, "
                         f"{len(result.duplicates)} row(s) match existing files. Nothing was written."))
        else:
            out.append(t(f"已导入：新建 {len(result.created)} 份档案，{len(result.duplicates)} 行与已有档案重复未重复建档。",
                         f"Imported: {len(result.created)} new file(s); {len(result.duplicates)} row(s) matched "
                         "existing files and made no second file."))
        return out

    emit(args, result, lines)
    if result.errors:
        raise SystemExit(1)


def register(sub: Any) -> None:
    led = sub.add_parser("ledger", help="乡镇台账（Excel/CSV）导入").add_subparsers(dest="ledger_cmd", required=True)
    imp = led.add_parser("import", help="导入台账（全部成功或全部不导入）")
    imp.add_argument("file", help=".xlsx 或 .csv（UTF-8 或 GB18030）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--mapping", help="列对应 JSON 文件：{\"表头\": \"字段\"}")
    imp.set_defaults(func=cmd_ledger)
