"""``victim``: the dedicated files."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.store.clock import local_day

VICTIM_FLAGS = ["name", "alias", "sex", "birth_date", "estimated_birth_year", "id_number", "township",
                "nationality", "notes", "rescue_date", "rescue_unit", "case_id"]


def flag_lines(f: Any) -> list[str]:
    """One review flag: what to check, then its state and who can close it (``services/review.py``)."""
    out = [t(f"[{f.id}] {f.text}", f"[{f.id}] {f.text_en}")]
    if f.status != "open":
        when = fmt(local_day(f.resolved_at)) if f.resolved_at else "—"
        out.append(t(f"    已复核：{f.resolved_by or '—'}，{when}" + (f"；说明：{f.note}" if f.note else ""),
                     f"    Reviewed by {f.resolved_by or '—'} on {when}" + (f"; note: {f.note}" if f.note else "")))
    elif f.raised_at:
        out.append(t(f"    由{f.raised_at}提出：只能在乡镇复核关闭，关闭结果随乡镇的下一个数据包传来。",
                     f"    Raised at {f.raised_at}: it is closed at the township; the closure arrives with "
                     "the township's next bundle."))
    elif f.can_close:
        out.append(t(f"    复核后关闭：victim flag-reviewed {f.id} --note \"说明\"",
                     f"    Close it once reviewed: victim flag-reviewed {f.id} --note \"what you found\""))
    return out


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
                     lambda: [t(f"已建档：{number}  ({vid})", f"File registered: {number}  ({vid})")] +
                     [t(f"提示：可能与档案 {h.file_number} 为同一人", f"Note: may be the same person as file {h.file_number}")
                      for h in hints])
            else:
                version = desk.victims.edit(args.id, data, args.expect_version)
                emit(args, {"id": args.id, "version": version}, lambda: [t(f"已保存（版本 {version}）", f"Saved (version {version})")])
        elif args.victim_cmd in ("list", "search"):
            q = VictimQuery(text=getattr(args, "text", None), status=FileStatus(args.status) if getattr(
                args, "status", None) else None, minors_only=getattr(args, "minors", False),
                overdue_only=getattr(args, "overdue", False))
            rows = desk.victims.list_rows(q, offset=getattr(args, "offset", 0), limit=args.limit)
            emit(args, rows, lambda: columns(
                [(r.file_number, r.display_name, fmt(r.sex),
                  t(f"{r.age}岁", f"{r.age} y") if r.age is not None else t("年龄不详", "age ?"), r.township,
                  r.id_number_masked or "—", fmt(r.placement_state)) for r in rows]) or [t("（无）", "(none)")])
        elif args.victim_cmd == "flags":
            flags = desk.review.flags(args.id, include_closed=args.all)
            emit(args, flags, lambda: [line for f in flags for line in flag_lines(f)]
                 or [t("（没有待复核的问题）", "(nothing to review)")])
        elif args.victim_cmd == "flag-reviewed":
            desk.review.mark_reviewed(args.flag_id, args.note)
            emit(args, {"id": args.flag_id, "status": "resolved"},
                 lambda: [t("已标记为已复核。", "Marked as reviewed.")])
        else:
            # The core's masked view; clear values only through the audited reveal (never masked by hand here).
            view = desk.victims.masked_file(args.id)
            clear = desk.victims.reveal_file(args.id, "cli_show") if args.reveal else None
            data = {**view, "revealed": clear["victim"] if clear else None,
                    "revealed_records": {k: v for k, v in clear.items() if k != "victim"} if clear else None}
            emit(args, data, lambda: victim_show_lines(view, clear))
    finally:
        desk.close()


def victim_show_lines(view: dict[str, Any], clear: dict[str, Any] | None) -> list[str]:
    v = view["victim"]
    person = (clear or {}).get("victim") or {}
    name = person.get("name") or person.get("alias") or view["display_name"]
    idn = person.get("id_number") or v["id_number"]
    age = view["age"]
    days = view["days_unidentified"]
    lines = [t(f"档案编号：{v['file_number']}   乡镇：{view['township']}   状态：{fmt(v['status'])}",
               f"File: {v['file_number']}   Township: {view['township']}   Status: {fmt(v['status'])}"),
             t(f"姓名：{name}   性别：{fmt(v['sex'])}   年龄：{age if age is not None else '不详'}   身份证：{idn or '—'}",
               f"Name: {name}   Sex: {fmt(v['sex'])}   Age: {age if age is not None else '?'}   ID: {idn or '—'}"),
             t(f"身份：{fmt(v['identity_status'])}", f"Identity: {fmt(v['identity_status'])}")
             + (t(f"（已滞留 {days} 天）", f" ({days} days)") if days else ""),
             t(f"解救日期：{fmt(v['rescue_date'])}   解救单位：{fmt(v['rescue_unit'])}",
               f"Rescued on: {fmt(v['rescue_date'])}   by: {fmt(v['rescue_unit'])}")]
    lines.append(t(f"服务 {len(view['services'])} 项：", f"{len(view['services'])} service(s): ")
                 + t("、", ", ").join(fmt(r["service_type"]) for r in view["services"]))
    done = sum(1 for f in view["followups"] if f["actual_date"])
    lines.append(t(f"回访：已完成 {done} 次，待办 {len(view['followups']) - done} 次",
                   f"Visits: {done} done, {len(view['followups']) - done} planned"))
    overrides = sum(1 for r in view["referrals"] if r["consent_override_reason"])
    lines.append(t(f"法律援助转介 {len(view['referrals'])} 项", f"{len(view['referrals'])} legal-aid referral(s)") + (
        t(f"（其中 {overrides} 项未经同意、已记录理由）", f" ({overrides} without consent, reason recorded)")
        if overrides else ""))
    shown = {k: {r["id"]: r for r in (clear or {}).get(k, [])} for k in ("guardians", "placements")}
    for g in view["guardians"]:
        g = {**g, **shown["guardians"].get(g["id"], {})}
        lines.append(t(f"监护人：{g['name']}（{fmt(g['relation'])}）  电话：{fmt(g['phone'])}",
                       f"Guardian: {g['name']} ({fmt(g['relation'])})  phone: {fmt(g['phone'])}"))
    lines.append(t("安置：", "Placement: ") + " → ".join(
        f"{fmt(p['state'])}({p['start_date']})"
        + (f" {shown['placements'].get(p['id'], p).get('household_head')}" if p["household_head"] else "")
        for p in view["placements"]))
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
    vf = v.add_parser("flags", help="列出档案待复核的问题（及谁能复核关闭）")
    vf.add_argument("id")
    vf.add_argument("--all", action="store_true", help="也列出已复核的问题（谁、何时、说明）")
    vr = v.add_parser("flag-reviewed", help="将本机提出的待复核问题标记为已复核（记入审计日志）")
    vr.add_argument("flag_id", help="待复核问题的编号（见 victim flags）")
    vr.add_argument("--note", help="复核说明：查到了什么、做了什么（可选，最多500字）")
    for q in v.choices.values():
        q.set_defaults(func=cmd_victim)
