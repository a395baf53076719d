"""``case``: trafficking cases."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t


def cmd_case(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.case_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["police_case_ref", "handling_unit", "opened_on", "place",
                                             "exploitation_type", "township"]))
            cid = desk.cases.add(data)
            emit(args, {"id": cid}, lambda: [t(f"已登记案件 {cid}", f"Case {cid} registered")])
        elif args.case_cmd == "list":
            rows = desk.cases.list()
            emit(args, [{"case": c, "victims": n} for c, n in rows],
                 lambda: columns([(c.id, c.police_case_ref or "—", fmt(c.opened_on), t(f"受害人 {n}", f"{n} victim(s)"))
                                  for c, n in rows]))
        else:
            case, victims = desk.cases.get(args.id)
            emit(args, {"case": case, "victims": victims},
                 lambda: [t(f"案件 {case.id}", f"Case {case.id}"),
                          t(f"公安案件编号：{fmt(case.police_case_ref)}", f"Police case number: {fmt(case.police_case_ref)}"),
                          t(f"办案单位：{fmt(case.handling_unit)}", f"Handling unit: {fmt(case.handling_unit)}"),
                          t(f"受害人档案数：{len(victims)}", f"Victims' files: {len(victims)}")])
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
