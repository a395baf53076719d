"""``service``: assistance and services."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import ServiceStatus, ServiceType


def cmd_service(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.service_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["service_type", "start_date", "due_date", "end_date",
                                             "responsible_unit", "cooperating_units", "status", "willing", "notes"]))
            sid = desk.assistance.add(args.victim, data)
            emit(args, {"id": sid}, lambda: [t(f"已登记服务 {sid}", f"Service {sid} added")])
        else:
            rows = desk.assistance.list(args.victim)
            emit(args, rows, lambda: columns([(fmt(r.service_type), fmt(r.start_date), t("至", "to"), fmt(r.due_date),
                                               fmt(r.status)) for r in rows]) or [t("（无）", "(none)")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    s = sub.add_parser("service", help="救助服务").add_subparsers(dest="service_cmd", required=True)
    sa = s.add_parser("add")
    sa.add_argument("victim")
    sa.add_argument("--from-json")
    sa.add_argument("--type", dest="service_type", choices=[t.value for t in ServiceType])
    sa.add_argument("--start", dest="start_date")
    sa.add_argument("--due", dest="due_date")
    sa.add_argument("--end", dest="end_date")
    sa.add_argument("--responsible", dest="responsible_unit")
    sa.add_argument("--cooperating", dest="cooperating_units")
    sa.add_argument("--status", choices=[t.value for t in ServiceStatus])
    sa.add_argument("--willing", choices=["yes", "no"])
    sa.add_argument("--notes")
    sl = s.add_parser("list")
    sl.add_argument("victim")
    for q in s.choices.values():
        q.set_defaults(func=cmd_service)
