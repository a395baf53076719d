"""``case``: trafficking cases."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, flags_to_dict, fmt, load_json, open_desk


def cmd_case(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.case_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["police_case_ref", "handling_unit", "opened_on", "place",
                                             "exploitation_type", "township"]))
            cid = desk.cases.add(data)
            emit(args, {"id": cid}, lambda: [f"已登记案件 {cid}"])
        elif args.case_cmd == "list":
            rows = desk.cases.list()
            emit(args, [{"case": c, "victims": n} for c, n in rows],
                 lambda: [f"{c.id}  {c.police_case_ref or '—'}  {fmt(c.opened_on)}  受害人 {n}" for c, n in rows])
        else:
            case, victims = desk.cases.get(args.id)
            emit(args, {"case": case, "victims": victims},
                 lambda: [f"案件 {case.id}", f"公安案件编号：{fmt(case.police_case_ref)}",
                          f"办案单位：{fmt(case.handling_unit)}", f"受害人档案数：{len(victims)}"])
    finally:
        desk.close()


def register(sub: Any) -> None:
    c = sub.add_parser("case", help="案件").add_subparsers(dest="case_cmd", required=True)
    ca = c.add_parser("add")
    ca.add_argument("--from-json")
    for f in ("police_case_ref", "handling_unit", "opened_on", "place", "exploitation_type", "township"):
        ca.add_argument(f"--{f.replace('_', '-')}", dest=f)
    c.add_parser("list")
    cs = c.add_parser("show")
    cs.add_argument("id")
    for q in c.choices.values():
        q.set_defaults(func=cmd_case)
