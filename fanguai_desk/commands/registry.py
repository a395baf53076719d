"""``init``, ``demo``, ``version`` and ``gui``: creating a registry and starting the app."""

from __future__ import annotations

import argparse
import os
from typing import Any

from fanguai_desk import __version__
from fanguai_desk.commands.common import DEMO_PASSWORD, CliError, data_dir, emit, progress, read_password
from fanguai_desk.commands.lang import t


def cmd_init(args: argparse.Namespace) -> None:
    from fanguai_desk.domain.enums import Installation
    from fanguai_desk.services.desk import Desk

    password = read_password(args)
    kind = Installation.COUNTY if args.county else Installation.TOWNSHIP
    desk = Desk.create(data_dir(args), admin_login=args.admin, admin_password=password,
                       township_name=args.township, county_code=args.county_code,
                       county_name=args.county_name, township_code=args.township_code or f"{args.county_code}01",
                       installation=kind)
    info = {"registry_id": desk.registry.registry_id, "data_dir": str(data_dir(args)),
            "admin": desk.actor.login, "township": args.township, "schema": desk.registry.schema_revision,
            "installation": kind.value, "recovery_key": desk.recovery_key}
    desk.close()
    # The recovery key is shown this once and stored nowhere (only as a key slot that it opens).
    emit(args, info, lambda: [
        t(f"已创建登记库：{info['data_dir']}", f"Registry created: {info['data_dir']}"),
        t(f"管理员：{info['admin']}  乡镇：{args.township}", f"Administrator: {info['admin']}  Township: {args.township}"),
        t("本机是县级电脑（县民政局）：导入各乡镇的数据包、县级证书机构；不向县里导出。",
          "This is the county's laptop: it imports the townships' bundles and holds the county certificate "
          "authority; it exports nothing to the county.") if args.county else
        t("本机是乡镇电脑：登记档案，导出给县里；导入和县级证书机构在县级电脑上。",
          "This is a township laptop: it registers files and exports them to the county; imports and the county "
          "certificate authority are on the county's laptop."),
        t("请牢记密码。", "Remember the password."), "",
        t(f"恢复密钥：{info['recovery_key']}", f"Recovery key: {info['recovery_key']}"),
        t("请立即把恢复密钥抄写或打印下来，交单位负责人密封保管（不要存放在本电脑上）。",
          "Write or print the recovery key now and give it, sealed, to the head of the office (not on this laptop)."),
        t("它只显示这一次：管理员密码丢失时，只能用它重新设置密码（fanguai-desk recover）；",
          "It is shown only this once: if the administrator password is lost, only it can reset it (recover);"),
        t("任何拿到它的人都能打开本登记库。", "anyone who holds it can open this registry.")])

def cmd_demo(args: argparse.Namespace) -> None:
    from fanguai_desk.services.demo import DemoSpec, demo_users
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
        service = desk.demo
        spec = DemoSpec(victims=args.victims, townships=args.townships, seed=args.seed)
        with progress(args, "生成演示数据", "Generating demo data", total=spec.victims) as update:
            for done, total in service.generate(spec):
                update(done, total)
        users = demo_users(desk.users, password, min(args.townships, 3)) if args.users else []
        counts = service.counts
        emit(args, {"counts": counts, "users": users}, lambda: [t(
            f"演示数据已生成（全部为虚构人员）：档案 {counts.victims}，回访 {counts.followups}，"
            f"服务 {counts.services}，转介 {counts.referrals}，安置记录 {counts.placements}",
            f"Demo data generated (all synthetic people): {counts.victims} files, {counts.followups} visits, "
            f"{counts.services} services, {counts.referrals} referrals, {counts.placements} placements")])
    finally:
        desk.close()


def cmd_version(args: argparse.Namespace) -> None:
    import sqlcipher3

    from fanguai_desk.store.schema import head_revision

    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    info = {"version": __version__, "schema": head_revision(), "sqlcipher": cipher}
    emit(args, info, lambda: [t(f"fanguai-desk {__version__}  数据库结构 {info['schema']}  SQLCipher {cipher}",
                                f"fanguai-desk {__version__}  schema {info['schema']}  SQLCipher {cipher}")])


def cmd_gui(args: argparse.Namespace) -> None:
    import importlib

    try:
        # Imported lazily: every other command runs without loading Qt.
        app = importlib.import_module("fanguai_desk.ui.app")
    except ImportError:
        raise CliError("桌面界面无法加载（缺少 PySide6？）。", "The desktop UI cannot be loaded (PySide6 missing?).") from None
    raise SystemExit(app.run_app(data_dir(args), lang=args.lang))


def register(sub: Any) -> None:
    x = sub.add_parser("init", help="创建登记库")
    x.add_argument("--admin", required=True, help="管理员用户名")
    x.add_argument("--township", required=True, help="本乡镇名称")
    x.add_argument("--township-code", help="乡镇代码（默认：县代码 + 01）")
    x.add_argument("--county-code", default="5101", help="县（区）代码")
    x.add_argument("--county-name", default="示例县", help="县（区）名称")
    x.add_argument("--county", action="store_true",
                   help="本机是县级电脑（县民政局：导入各乡镇数据包、县级证书机构）；不加则为乡镇电脑。创建后不能更改")
    x.set_defaults(func=cmd_init)
    d = sub.add_parser("demo", help="生成演示登记库（虚构数据）")
    d.add_argument("--victims", type=int, default=2000, help="档案份数")
    d.add_argument("--townships", type=int, default=6, help="乡镇个数")
    d.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
    d.add_argument("--no-users", dest="users", action="store_false", help="不创建演示用户")
    d.add_argument("--password-for-demo", action="store_true", help=f"使用公开的演示密码 {DEMO_PASSWORD}")
    d.set_defaults(func=cmd_demo)

    sub.add_parser("gui", help="打开桌面程序").set_defaults(func=cmd_gui)
    sub.add_parser("version", help="版本信息").set_defaults(func=cmd_version)
