"""``consent``: consent records."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import ConsentGiver, ConsentScope


def cmd_consent(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        cid = desk.consents.add(args.victim, {"scope": args.scope, "given_by": args.by, "given_on": args.date,
                                              "guardian_name": args.guardian_name})
        emit(args, {"id": cid}, lambda: [t(f"已记录同意 {cid}", f"Consent {cid} recorded")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    co = sub.add_parser("consent", help="同意记录").add_subparsers(dest="consent_cmd", required=True)
    cad = co.add_parser("add")
    cad.add_argument("victim")
    cad.add_argument("--scope", required=True, choices=[x.value for x in ConsentScope])
    cad.add_argument("--by", required=True, choices=[x.value for x in ConsentGiver])
    cad.add_argument("--date", required=True)
    cad.add_argument("--guardian-name")
    cad.set_defaults(func=cmd_consent)
