"""``referral``: legal-aid referrals."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import ReferralMatter, ReferralStatus


def cmd_referral(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.ref_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["institution", "matter", "referral_date", "urgent_deadline", "notes"]))
            rid = desk.referrals.add(args.victim, data, consent_override_reason=args.override_consent)
            emit(args, {"id": rid}, lambda: [t(f"已转介 {rid}", f"Referred: {rid}")])
        elif args.ref_cmd == "update":
            desk.referrals.update(args.id, args.status, args.date, note=args.note, lawyer=args.lawyer,
                                  outcome=args.outcome)
            emit(args, {"ok": True}, lambda: [t("已更新转介状态", "Referral updated")])
        else:
            rows = desk.referrals.list(waiting_only=args.waiting, overdue_only=args.overdue)
            emit(args, rows, lambda: columns([(
                fmt(r.referral_date), r.file_number, r.institution, fmt(r.status),
                (t("决定期限 ", "decision due ") + fmt(r.clock.decision_due) if r.clock.stage == "decision" else "")
                + (t("指派律师期限 ", "lawyer due ") + fmt(r.clock.lawyer_due) if r.clock.stage == "lawyer" else "")
                + (t(" 【已超期】", " [OVERDUE]") if r.clock.overdue else "")) for r in rows]) or [t("（无）", "(none)")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    r = sub.add_parser("referral", help="法律援助转介").add_subparsers(dest="ref_cmd", required=True)
    ra = r.add_parser("add")
    ra.add_argument("victim")
    ra.add_argument("--from-json")
    ra.add_argument("--institution")
    ra.add_argument("--matter", choices=[m.value for m in ReferralMatter])
    ra.add_argument("--date", dest="referral_date")
    ra.add_argument("--urgent-deadline")
    ra.add_argument("--notes")
    ra.add_argument("--override-consent", metavar="REASON", help="未取得同意时的理由（记入审计日志）")
    ru = r.add_parser("update")
    ru.add_argument("id")
    ru.add_argument("--status", required=True, choices=[x.value for x in ReferralStatus])
    ru.add_argument("--date", required=True)
    ru.add_argument("--note")
    ru.add_argument("--lawyer")
    ru.add_argument("--outcome")
    rl = r.add_parser("list")
    rl.add_argument("--waiting", action="store_true")
    rl.add_argument("--overdue", action="store_true")
    for q in r.choices.values():
        q.set_defaults(func=cmd_referral)
