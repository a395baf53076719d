"""``victim``: the dedicated files."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, flags_to_dict, fmt, load_json, open_desk, to_jsonable
from fanguai_desk.domain.enums import FileStatus

VICTIM_FLAGS = ["name", "alias", "sex", "birth_date", "estimated_birth_year", "id_number", "township",
                "nationality", "notes", "rescue_date", "rescue_unit", "case_id"]


def cmd_victim(args: argparse.Namespace) -> None:
    from fanguai_desk.services.victims import VictimQuery

    desk = open_desk(args)
    try:
        if args.victim_cmd in ("add", "edit"):
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, VICTIM_FLAGS))
            if args.victim_cmd == "add":
                vid, hints = desk.victims.register(data)
                number = desk.victims.open_file(vid, audit_read=False).victim.file_number
                emit(args, {"id": vid, "file_number": number, "likely_duplicates": hints},
                     lambda: [f"已建档：{number}  ({vid})"] +
                     [f"提示：可能与档案 {h.file_number} 为同一人" for h in hints])
            else:
                version = desk.victims.edit(args.id, data, args.expect_version)
                emit(args, {"id": args.id, "version": version}, lambda: [f"已保存（版本 {version}）"])
        elif args.victim_cmd in ("list", "search"):
            q = VictimQuery(text=getattr(args, "text", None), status=FileStatus(args.status) if getattr(
                args, "status", None) else None, minors_only=getattr(args, "minors", False),
                overdue_only=getattr(args, "overdue", False))
            rows = desk.victims.list_rows(q, offset=getattr(args, "offset", 0), limit=args.limit)
            emit(args, rows, lambda: [f"{r.file_number:<18} {r.display_name:<6} {fmt(r.sex):<2} "
                                      f"{r.age if r.age is not None else '?':>3}岁 {r.township:<6} "
                                      f"{r.id_number_masked:<18} {fmt(r.placement_state)}" for r in rows]
                 or ["（无）"])
        else:
            vf = desk.victims.open_file(args.id)
            revealed = desk.victims.reveal(args.id, "cli_show") if args.reveal else None
            v = vf.victim
            data = {"victim": v, "display_name": vf.display_name, "id_number_masked": vf.id_number_masked,
                    "revealed": revealed, "age": vf.age, "township": vf.township,
                    "services": vf.services, "followups": vf.followups, "referrals": vf.referrals,
                    "placements": vf.placements, "consents": vf.consents, "guardians": vf.guardians,
                    "buyer_households": vf.buyer_households, "days_unidentified": vf.days_unidentified}
            if not revealed:
                # --json without --reveal must not leak what the masked view hides.
                data["victim"] = {k: v2 for k, v2 in to_jsonable(v).items() if k not in v.PERSONAL_FIELDS}
                data.pop("guardians")
                data.pop("buyer_households")
            emit(args, data, lambda: victim_show_lines(vf, revealed))
    finally:
        desk.close()


def victim_show_lines(vf: Any, revealed: dict[str, Any] | None) -> list[str]:
    v = vf.victim
    name = (revealed or {}).get("name") or (revealed or {}).get("alias") or vf.display_name
    idn = (revealed or {}).get("id_number") or vf.id_number_masked
    lines = [f"档案编号：{v.file_number}   乡镇：{vf.township}   状态：{fmt(v.status)}",
             f"姓名：{name}   性别：{fmt(v.sex)}   年龄：{vf.age if vf.age is not None else '不详'}   身份证：{idn or '—'}",
             f"身份：{fmt(v.identity_status)}" + (f"（已滞留 {vf.days_unidentified} 天）" if vf.days_unidentified else ""),
             f"解救日期：{fmt(v.rescue_date)}   解救单位：{fmt(v.rescue_unit)}"]
    lines.append(f"服务 {len(vf.services)} 项：" + "、".join(fmt(s.service_type) for s in vf.services))
    done = sum(1 for f in vf.followups if f.actual_date)
    lines.append(f"回访：已完成 {done} 次，待办 {len(vf.followups) - done} 次")
    lines.append(f"法律援助转介 {len(vf.referrals)} 项" + (
        f"（其中 {len(vf.consent_overrides)} 项未经同意、已记录理由）" if vf.consent_overrides else ""))
    lines.append("安置：" + " → ".join(f"{fmt(p.state)}({p.start_date})" for p in vf.placements))
    return lines


def register(sub: Any) -> None:
    v = sub.add_parser("victim", help="受害人专门档案").add_subparsers(dest="victim_cmd", required=True)
    va = v.add_parser("add")
    ve = v.add_parser("edit")
    ve.add_argument("id")
    ve.add_argument("--expect-version", type=int)
    for q in (va, ve):
        q.add_argument("--from-json")
        for f in VICTIM_FLAGS:
            q.add_argument(f"--{f.replace('_', '-')}", dest=f)
    vl = v.add_parser("list")
    vl.add_argument("--status", choices=[s.value for s in FileStatus])
    vl.add_argument("--minors", action="store_true")
    vl.add_argument("--overdue", action="store_true")
    vl.add_argument("--offset", type=int, default=0)
    vs = v.add_parser("search")
    vs.add_argument("text")
    for q in (vl, vs):
        q.add_argument("--limit", type=int, default=50)
    vw = v.add_parser("show")
    vw.add_argument("id")
    vw.add_argument("--reveal", action="store_true", help="显示完整姓名和身份证号（记入审计日志）")
    for q in v.choices.values():
        q.set_defaults(func=cmd_victim)
