"""Command line front end: the same services the desktop app uses.

Password: ``FANGUAI_PASSWORD``, ``--password-file F`` or a prompt.  User: ``--user`` / ``FANGUAI_USER``;
without one, the password is tried against every key slot.  ``--json`` gives machine-readable output.
Every error a user can cause ends with exit code 1 and one line in Chinese (``--lang en`` for English),
never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from fanguai_desk import __version__
from fanguai_desk.domain.enums import (
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpMethod,
    PlacementState,
    ReferralMatter,
    ReferralStatus,
    Role,
    ServiceStatus,
    ServiceType,
)
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.labels import label
from fanguai_desk.messages import render
from fanguai_desk.store.registry import default_data_dir

DEMO_PASSWORD = "demo-password-2026"
Handler = Callable[[argparse.Namespace], Any]


class CliError(Exception):
    """A usage problem found by the CLI itself (missing password, unreadable JSON file)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


# ----------------------------------------------------------------------------- output


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k.value if isinstance(k, Enum) else k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if hasattr(obj, "__table__"):  # an ORM row
        return {c.key: to_jsonable(getattr(obj, c.key)) for c in obj.__table__.columns}
    return obj


def emit(args: argparse.Namespace, data: Any, lines: Callable[[], Sequence[str]]) -> None:
    if args.json:
        print(json.dumps(to_jsonable(data), ensure_ascii=False, indent=1))
    else:
        for line in lines():
            print(line)


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Enum):
        try:
            return label(value)  # type: ignore[arg-type]
        except (KeyError, TypeError):
            return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ----------------------------------------------------------------------------- credentials


def read_password(args: argparse.Namespace, env: str = "FANGUAI_PASSWORD", prompt: str = "密码: ") -> str:
    if os.environ.get(env):
        return os.environ[env]
    if getattr(args, "password_file", None) and env == "FANGUAI_PASSWORD":
        return read_secret_file(args.password_file)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CliError(f"需要密码：请设置环境变量 {env}、使用 --password-file，或在终端中运行以输入密码。",
                   f"A password is needed: set {env}, use --password-file, or run in a terminal.")


def read_secret_file(path: str) -> str:
    try:
        return Path(path).read_text("utf-8").rstrip("\r\n")
    except OSError:
        raise CliError("无法读取密码文件。", "Cannot read the password file.") from None


def new_password(args: argparse.Namespace) -> str:
    if getattr(args, "new_password_file", None):
        return read_secret_file(args.new_password_file)
    if os.environ.get("FANGUAI_NEW_PASSWORD"):
        return os.environ["FANGUAI_NEW_PASSWORD"]
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("新密码: ")
        if getpass.getpass("再次输入新密码: ") != first:
            raise CliError("两次输入的密码不一致。", "The passwords do not match.")
        return first
    raise CliError("需要新密码：请设置 FANGUAI_NEW_PASSWORD 或使用 --new-password-file。",
                   "A new password is needed: set FANGUAI_NEW_PASSWORD or use --new-password-file.")


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data).expanduser() if args.data else default_data_dir()


def open_desk(args: argparse.Namespace) -> Any:
    from fanguai_desk.services.desk import Desk

    return Desk.unlock(data_dir(args), args.user or os.environ.get("FANGUAI_USER") or None, read_password(args))


def load_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError:
        raise CliError("无法读取 JSON 文件。", "Cannot read the JSON file.") from None
    except ValueError:
        raise CliError("JSON 文件格式错误。", "The JSON file is not valid JSON.") from None
    if not isinstance(data, dict):
        raise CliError("JSON 文件应为一个对象 {…}。", "The JSON file must hold one object {…}.")
    return data


def flags_to_dict(args: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


# ----------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> None:
    from fanguai_desk.services.desk import Desk

    password = read_password(args)
    desk = Desk.create(data_dir(args), admin_login=args.admin, admin_password=password,
                       township_name=args.township, county_code=args.county_code,
                       county_name=args.county_name, township_code=args.township_code or f"{args.county_code}01")
    info = {"registry_id": desk.registry.registry_id, "data_dir": str(data_dir(args)),
            "admin": desk.actor.login, "township": args.township, "schema": desk.registry.schema_revision,
            "recovery_key": desk.recovery_key}
    desk.close()
    # The recovery key is shown this once and stored nowhere (only as a key slot that it opens).
    emit(args, info, lambda: [f"已创建登记库：{info['data_dir']}", f"管理员：{info['admin']}  乡镇：{args.township}",
                              "请牢记密码。", "", f"恢复密钥：{info['recovery_key']}",
                              "请立即把恢复密钥抄写或打印下来，交单位负责人密封保管（不要存放在本电脑上）。",
                              "它只显示这一次：管理员密码丢失时，只能用它重新设置密码（fanguai-desk recover）；",
                              "任何拿到它的人都能打开本登记库。"])


def cmd_user(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.user_cmd == "add":
            uid = desk.users.add(args.login, new_password(args), Role(args.role), args.township, args.name)
            emit(args, {"id": uid}, lambda: [f"已添加用户 {args.login}"])
        elif args.user_cmd == "passwd":
            if args.login and args.login != desk.actor.login:
                desk.users.reset_password(args.login, new_password(args))
            else:
                desk.users.change_own_password(read_password(args, "FANGUAI_OLD_PASSWORD", "当前密码: ")
                                               if os.environ.get("FANGUAI_OLD_PASSWORD") else read_password(args),
                                               new_password(args))
            emit(args, {"ok": True}, lambda: ["密码已更改。"])
        elif args.user_cmd == "remove":
            desk.users.remove(args.login)
            emit(args, {"ok": True}, lambda: [f"已停用用户 {args.login}"])
        else:
            rows = desk.users.list()
            emit(args, rows, lambda: [f"{r.login:<14} {fmt(r.role):<8} {r.township or '—':<8} "
                                      f"{'启用' if r.active else '停用'}" for r in rows])
    finally:
        desk.close()


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


def cmd_service(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.service_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["service_type", "start_date", "due_date", "end_date",
                                             "responsible_unit", "cooperating_units", "status", "willing", "notes"]))
            sid = desk.assistance.add(args.victim, data)
            emit(args, {"id": sid}, lambda: [f"已登记服务 {sid}"])
        else:
            rows = desk.assistance.list(args.victim)
            emit(args, rows, lambda: [f"{fmt(r.service_type):<10} {fmt(r.start_date)} 至 {fmt(r.due_date)} "
                                      f"{fmt(r.status)}" for r in rows] or ["（无）"])
    finally:
        desk.close()


def cmd_followup(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.fu_cmd == "plan":
            fid = desk.followups.plan(args.victim, args.date, args.method)
            emit(args, {"id": fid}, lambda: [f"已安排回访 {fid}"])
        elif args.fu_cmd == "record":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["method", "visitors", "living_situation", "health",
                                             "psychological", "needs", "notes"]))
            if args.date:
                data["actual_date"] = args.date
            if args.next:
                data["next_visit_date"] = args.next
            if not args.visit and not args.victim:
                raise CliError("请用 --visit 指定待办回访，或用 --victim 指定档案。",
                               "Give --visit (a planned visit) or --victim (a file).")
            fid, nid = desk.followups.record(data, followup_id=args.visit, victim_id=args.victim)
            emit(args, {"id": fid, "next_id": nid},
                 lambda: [f"已记录回访 {fid}"] + ([f"下次回访已安排 {nid}"] if nid else []))
        else:
            rows = desk.followups.list(overdue=args.overdue, due_within_days=args.due_within,
                                       mine=args.mine, victim_id=args.victim, include_done=args.all)
            states = {"overdue": "已逾期", "due_soon": "7日内到期", "done": "已完成", "cancelled": "已取消"}
            emit(args, rows, lambda: [f"{r.id}  {fmt(r.actual_date or r.planned_date)}  {r.file_number:<18} "
                                      f"{r.display_name:<6} {states.get(r.state.value, '')}"
                                      for r in rows] or ["（无）"])
    finally:
        desk.close()


def cmd_referral(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.ref_cmd == "add":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["institution", "matter", "referral_date", "urgent_deadline", "notes"]))
            rid = desk.referrals.add(args.victim, data, consent_override_reason=args.override_consent)
            emit(args, {"id": rid}, lambda: [f"已转介 {rid}"])
        elif args.ref_cmd == "update":
            desk.referrals.update(args.id, args.status, args.date, note=args.note, lawyer=args.lawyer,
                                  outcome=args.outcome)
            emit(args, {"ok": True}, lambda: ["已更新转介状态"])
        else:
            rows = desk.referrals.list(waiting_only=args.waiting, overdue_only=args.overdue)
            emit(args, rows, lambda: [
                f"{fmt(r.referral_date)} {r.file_number:<18} {r.institution:<10} {fmt(r.status):<6} "
                f"{'决定期限 ' + fmt(r.clock.decision_due) if r.clock.stage == 'decision' else ''}"
                f"{'指派律师期限 ' + fmt(r.clock.lawyer_due) if r.clock.stage == 'lawyer' else ''}"
                f"{' 【已超期】' if r.clock.overdue else ''}" for r in rows] or ["（无）"])
    finally:
        desk.close()


def cmd_consent(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        cid = desk.consents.add(args.victim, {"scope": args.scope, "given_by": args.by, "given_on": args.date,
                                              "guardian_name": args.guardian_name})
        emit(args, {"id": cid}, lambda: [f"已记录同意 {cid}"])
    finally:
        desk.close()


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
            emit(args, {"id": pid}, lambda: [f"已登记安置 {pid}"])
        else:
            rows = desk.placements.history(args.victim)
            emit(args, rows, lambda: [f"{fmt(p.start_date)}  {fmt(p.state)}  {p.institution or ''}" for p in rows]
                 or ["（无）"])
    finally:
        desk.close()


def cmd_audit(args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from fanguai_desk.store import audit
    from fanguai_desk.store.models import AuditEntry

    desk = open_desk(args)
    try:
        if args.audit_cmd == "verify":
            with desk.read() as s:
                result = audit.verify_chain(s)
            emit(args, result, lambda: [f"审计日志完整：共 {result.entries} 条，哈希链校验通过。"] if result.ok else [
                f"审计日志已被篡改：第 {result.first_bad_seq} 条起校验失败（{result.problem}）。"])
            if not result.ok:
                raise SystemExit(1)
        else:
            desk.require_role(Role.ADMIN, Role.SUPERVISOR)
            with desk.read() as s:
                stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(args.limit)
                if args.record:
                    stmt = stmt.where(AuditEntry.record_id == args.record)
                rows = list(s.scalars(stmt))
            emit(args, rows, lambda: [f"{e.seq:>6} {e.at:%Y-%m-%d %H:%M:%S} {fmt(e.action):<6} "
                                      f"{e.record_type or ''} {e.record_id or ''} {e.detail}" for e in rows])
    finally:
        desk.close()


def cmd_dashboard(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        d = desk.dashboard.compute()
        emit(args, d, lambda: [
            f"工作台（{d.today:%Y年%m月%d日}）  在册档案 {d.open_files}",
            f"  回访已逾期：{d.followups_overdue}    7日内到期：{d.followups_due_soon}",
            f"  法律援助等待答复超期：{d.referrals_waiting}    超过法定期限：{d.referrals_overdue}",
            f"  服务已超期：{d.services_overdue}    身份不明人员：{d.unidentified_count}",
            "  安置状况：" + "，".join(f"{fmt(k) if k else '未登记'} {v}" for k, v in d.placement_counts.items()),
        ])
    finally:
        desk.close()


def cmd_demo(args: argparse.Namespace) -> None:
    from fanguai_desk.services.demo import DemoService, DemoSpec, demo_users
    from fanguai_desk.services.desk import Desk
    from fanguai_desk.store.registry import Registry

    directory = data_dir(args)
    password = DEMO_PASSWORD if args.password_for_demo else read_password(args)
    if not Registry.exists(directory):
        desk = Desk.create(directory, admin_login="admin", admin_password=password,
                           township_name="青龙镇", county_name="示例县（演示数据）", admin_display_name="演示管理员")
    else:
        desk = Desk.unlock(directory, args.user or os.environ.get("FANGUAI_USER") or None, password)
    try:
        service = DemoService(desk)
        spec = DemoSpec(victims=args.victims, townships=args.townships, seed=args.seed)
        for done, total in service.generate(spec):
            if not args.json and sys.stderr.isatty():
                print(f"\r生成中 {done}/{total}", end="", file=sys.stderr)
        users = demo_users(desk, password, min(args.townships, 3)) if args.users else []
        counts = service.counts
        emit(args, {"counts": counts, "users": users}, lambda: [
            f"演示数据已生成（全部为虚构人员）：档案 {counts.victims}，回访 {counts.followups}，"
            f"服务 {counts.services}，转介 {counts.referrals}，安置记录 {counts.placements}"])
    finally:
        desk.close()


def cmd_version(args: argparse.Namespace) -> None:
    import sqlcipher3

    from fanguai_desk.store.schema import head_revision

    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    info = {"version": __version__, "schema": head_revision(), "sqlcipher": cipher}
    emit(args, info, lambda: [f"fanguai-desk {__version__}  schema {info['schema']}  SQLCipher {cipher}"])


def cmd_gui(args: argparse.Namespace) -> None:
    import importlib

    try:
        # Imported lazily: every other command runs without loading Qt.
        app = importlib.import_module("fanguai_desk.ui.app")
    except ImportError:
        raise CliError("桌面界面无法加载（缺少 PySide6？）。", "The desktop UI cannot be loaded (PySide6 missing?).") from None
    raise SystemExit(app.run_app(data_dir(args), lang=args.lang))


# ----------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fanguai-desk", description="反拐专门档案登记库（离线、加密）")
    p.add_argument("--data", help="数据目录（默认：用户数据目录）")
    p.add_argument("--user", help="用户名（或环境变量 FANGUAI_USER）")
    p.add_argument("--password-file", help="从文件读取密码")
    p.add_argument("--json", action="store_true", help="JSON 输出")
    p.add_argument("--lang", default=os.environ.get("FANGUAI_LANG", "zh_CN"), choices=["zh_CN", "en"])
    p.add_argument("--version", action="store_true", help="显示版本")
    sub = p.add_subparsers(dest="command")

    x = sub.add_parser("init", help="创建登记库")
    x.add_argument("--admin", required=True)
    x.add_argument("--township", required=True)
    x.add_argument("--township-code")
    x.add_argument("--county-code", default="5101")
    x.add_argument("--county-name", default="示例县")
    x.set_defaults(func=cmd_init)

    u = sub.add_parser("user", help="用户管理").add_subparsers(dest="user_cmd", required=True)
    ua = u.add_parser("add")
    ua.add_argument("login")
    ua.add_argument("--role", required=True, choices=[r.value for r in Role])
    ua.add_argument("--township")
    ua.add_argument("--name")
    ua.add_argument("--new-password-file")
    up = u.add_parser("passwd")
    up.add_argument("login", nargs="?")
    up.add_argument("--new-password-file")
    ur = u.add_parser("remove")
    ur.add_argument("login")
    u.add_parser("list")
    for q in (ua, up, ur):
        q.set_defaults(func=cmd_user)
    u.choices["list"].set_defaults(func=cmd_user)

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

    fu = sub.add_parser("followup", help="跟踪回访").add_subparsers(dest="fu_cmd", required=True)
    fp = fu.add_parser("plan")
    fp.add_argument("victim")
    fp.add_argument("--date", required=True)
    fp.add_argument("--method", choices=[m.value for m in FollowUpMethod])
    fr = fu.add_parser("record")
    fr.add_argument("--visit")
    fr.add_argument("--victim")
    fr.add_argument("--date")
    fr.add_argument("--method", choices=[m.value for m in FollowUpMethod])
    fr.add_argument("--next")
    fr.add_argument("--from-json")
    for f in ("visitors", "living_situation", "health", "psychological", "needs", "notes"):
        fr.add_argument(f"--{f.replace('_', '-')}", dest=f)
    fl = fu.add_parser("list")
    fl.add_argument("--overdue", action="store_true")
    fl.add_argument("--due-within", type=int)
    fl.add_argument("--mine", action="store_true")
    fl.add_argument("--victim")
    fl.add_argument("--all", action="store_true", help="包括已完成和已取消的回访（打印回访记录表时用）")
    for q in fu.choices.values():
        q.set_defaults(func=cmd_followup)

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

    co = sub.add_parser("consent", help="同意记录").add_subparsers(dest="consent_cmd", required=True)
    cad = co.add_parser("add")
    cad.add_argument("victim")
    cad.add_argument("--scope", required=True, choices=[x.value for x in ConsentScope])
    cad.add_argument("--by", required=True, choices=[x.value for x in ConsentGiver])
    cad.add_argument("--date", required=True)
    cad.add_argument("--guardian-name")
    cad.set_defaults(func=cmd_consent)

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

    au = sub.add_parser("audit", help="审计日志").add_subparsers(dest="audit_cmd", required=True)
    al = au.add_parser("list")
    al.add_argument("--limit", type=int, default=50)
    al.add_argument("--record")
    au.add_parser("verify")
    for q in au.choices.values():
        q.set_defaults(func=cmd_audit)

    sub.add_parser("dashboard", help="工作台统计").set_defaults(func=cmd_dashboard)

    d = sub.add_parser("demo", help="生成演示登记库（虚构数据）")
    d.add_argument("--victims", type=int, default=2000)
    d.add_argument("--townships", type=int, default=6)
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--no-users", dest="users", action="store_false", help="不创建演示用户")
    d.add_argument("--password-for-demo", action="store_true", help=f"使用公开的演示密码 {DEMO_PASSWORD}")
    d.set_defaults(func=cmd_demo)

    sub.add_parser("gui", help="打开桌面程序").set_defaults(func=cmd_gui)
    sub.add_parser("version", help="版本信息").set_defaults(func=cmd_version)
    return p


# Each module in fanguai_desk/commands/ adds its subcommands with ``register(subparsers)``; keeping them
# apart keeps this file from becoming the place every feature edits.
COMMAND_MODULES = ("pki", "reports", "exchange", "maintenance", "bench")


def register_command_modules(parser: argparse.ArgumentParser) -> None:
    import importlib

    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"fanguai_desk.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"fanguai_desk.commands.{name}":
                raise
            continue
        module.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    register_command_modules(parser)
    args = parser.parse_args(argv)
    if args.version:
        args.func = cmd_version
    elif not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "willing", None) is not None:
        args.willing = args.willing == "yes"
    try:
        args.func(args)
        return 0
    except FanguaiError as exc:
        print(render(exc, args.lang), file=sys.stderr)
        return 1
    except CliError as exc:
        print(exc.en if args.lang == "en" else exc.zh, file=sys.stderr)
        return 1
    except Exception as exc:
        # A bug, not the user's doing.  The exception text may quote data (a SQL error, a path), so only
        # its type is shown; FANGUAI_DEBUG=1 shows the traceback to a developer on synthetic data.
        if os.environ.get("FANGUAI_DEBUG"):
            raise
        print(("内部错误（{}）。请联系技术支持；未保存任何部分结果。" if args.lang != "en" else
               "Internal error ({}). Contact support; nothing partial was saved.").format(type(exc).__name__),
              file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("已取消。" if args.lang != "en" else "Cancelled.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
