"""``placement``: placement history."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import PlacementState


def cmd_placement(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.pl_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["state", "start_date", "institution", "household_head", "address",
                                             "caregiver_id_number", "notes"]))
            if args.buyer_household:
                data["is_buyer_household"] = True
            pid = desk.placements.add(args.victim, data)
            emit(args, {"id": pid}, lambda: [t(f"已登记安置 {pid}", f"Placement {pid} added")])
        else:
            rows = desk.placements.history(args.victim)
            emit(args, rows, lambda: columns([(fmt(p.start_date), fmt(p.state), p.institution or "") for p in rows])
                 or [t("（无）", "(none)")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    pl = sub.add_parser("placement", help="安置").add_subparsers(dest="pl_cmd", required=True)
    pa = pl.add_parser("add")
    pa.add_argument("victim")
    pa.add_argument("--from-json")
    pa.add_argument("--state", choices=[x.value for x in PlacementState])
    pa.add_argument("--date", dest="start_date")
    pa.add_argument("--institution")
    pa.add_argument("--household-head")
    pa.add_argument("--address")
    pa.add_argument("--caregiver-id", dest="caregiver_id_number")
    pa.add_argument("--buyer-household", action="store_true", help="安置对象即收买家庭（未成年人将被拒绝）")
    pa.add_argument("--notes")
    ph = pl.add_parser("history")
    ph.add_argument("victim")
    for q in pl.choices.values():
        q.set_defaults(func=cmd_placement)
