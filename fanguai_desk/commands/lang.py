"""The command line in the user's language: Chinese by default, English with ``--lang en`` (or FANGUAI_LANG).

- ``t(zh, en)`` picks a text for the chosen language;
- argparse's own words ("usage:", "show this help message and exit", its error messages) go through
  :func:`argparse_text`, installed as argparse's gettext (argparse looks its ``_`` up at call time);
- option help written in Chinese is shown in English from :data:`HELP_EN` when ``--lang en`` is chosen
  (a help text missing there stays Chinese rather than disappearing).

The language is known before the parser is built: :func:`language_from_argv` reads ``--lang`` wherever it
stands on the command line.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

LANGUAGES = ("zh_CN", "en")
_state = {"lang": "zh_CN"}


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "zh_CN"


def current() -> str:
    return _state["lang"]


def english() -> bool:
    return _state["lang"] == "en"


def t(zh: str, en: str) -> str:
    return en if english() else zh


def language_from_argv(argv: Sequence[str]) -> str:
    lang = os.environ.get("FANGUAI_LANG", "zh_CN")
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGUAGES else "zh_CN"


#: argparse's own messages (Python 3.11–3.13), in Chinese.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "argument \"-\" with mode %r": "参数“-”不能用于模式 %r",
    "%r is not callable": "%r 不可调用",
    "subcommands": "子命令",
    "invalid choice: %(value)r, choose from %(choices)s": "无效的选项 %(value)r，可选：%(choices)s",
}

#: argparse's type names in "invalid %(type)s value".
TYPE_NAMES_ZH = {"int": "整数", "float": "数字"}


def argparse_text(message: str) -> str:
    if english():
        return message
    return ARGPARSE_ZH.get(message, TYPE_NAMES_ZH.get(message, message))


def argparse_plural(singular: str, plural: str, n: int) -> str:
    return argparse_text(singular if n == 1 else plural)


def install_argparse_translation() -> None:
    argparse._ = argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = argparse_plural  # type: ignore[attr-defined]


class DeskHelpFormatter(argparse.HelpFormatter):
    """Help in the chosen language: Chinese help texts are looked up in :data:`HELP_EN` for ``--lang en``;
    the type names in argparse's metavars stay as they are."""

    def _expand_help(self, action: argparse.Action) -> str:
        en = english_help(action.help) if english() and action.help else None
        if en is not None:
            action = argparse.Action(action.option_strings, action.dest, nargs=action.nargs, default=action.default,
                                     choices=action.choices, required=action.required,
                                     help=en, metavar=action.metavar)
        return super()._expand_help(action)


def english_help(text: str) -> str | None:
    """The English of a Chinese help text: :data:`HELP_EN`, else a record field's name (domain/labels.py)."""
    if text in HELP_EN:
        return HELP_EN[text]
    from fanguai_desk.domain.labels import FIELD_WORDS  # here: ``--version`` never loads the domain

    return next((en for zh, en in FIELD_WORDS.values() if zh == text), None)


def translated_description(text: str | None) -> str | None:
    if text and english():
        return HELP_EN.get(text, text)
    return text


#: English of the CLI's Chinese help texts (command descriptions and option help).
HELP_EN: dict[str, str] = {
    # global options
    "本机时钟比上次使用晚一天以上时，确认时钟无误后才能删除":
        "when this computer's clock is more than a day ahead of the last use: confirm the clock is right",
    "反拐专门档案登记库（离线、加密）": "Anti-trafficking dedicated-file registry (offline, encrypted)",
    "数据目录（默认：用户数据目录）": "data folder (default: the user's data folder)",
    "用户名（或环境变量 FANGUAI_USER）": "user name (or the FANGUAI_USER variable)",
    "从文件读取密码": "read the password from a file",
    "JSON 输出": "JSON output (errors as a JSON object on stderr)",
    "只读打开：不写入任何内容（登记库在另一窗口中打开时也可查看）":
        "open read-only: write nothing (also works while another window has the registry open)",
    # delivery (issue 19)
    "补发督导回执确认之后的全部变更（无回执时补发全部）":
        "send every change the supervisor's last receipt does not confirm (everything without a receipt)",
    "重新生成第 SEQ 号数据包所含的变更（以新编号发出）": "re-create the changes of bundle SEQ (under a new number)",
    "送达情况、签名回执": "delivery status, signed receipts",
    "每台电脑/每位督导：已发出、已收到、已确认，以及按回执核对的缺失记录":
        "per laptop / supervisor: sent, received, acknowledged, and records missing at the county",
    "逐条列出督导处缺少或较旧的记录": "list each record missing or older at the county",
    "督导：生成签名回执（本机持有各乡镇的哪些变更）": "supervisor: write a signed receipt of what it holds",
    "乡镇：导入督导的签名回执": "township: take in the supervisor's signed receipt",
    "督导生成的签名回执文件（.p7s）": "the supervisor's signed receipt file (.p7s)",
    "界面语言": "language of the output and help",
    "显示版本": "show the version",
    # registry
    "创建登记库": "create a registry",
    "管理员用户名": "administrator's user name",
    "本乡镇名称": "this township's name",
    "乡镇代码（默认：县代码 + 01）": "township code (default: county code + 01)",
    "县（区）代码": "county code",
    "县（区）名称": "county name",
    "本机是县级电脑（县民政局：导入各乡镇数据包、县级证书机构）；不加则为乡镇电脑。创建后不能更改":
        "this is the county's laptop (imports the townships' bundles, county certificate authority); without it, a "
        "township laptop. Cannot be changed later",
    "生成演示登记库（虚构数据）": "make a demo registry (synthetic people)",
    "档案份数": "number of files",
    "乡镇个数": "number of townships",
    "随机种子（相同种子生成相同数据）": "random seed (same seed, same data)",
    "不创建演示用户": "do not create demo users",
    "打开桌面程序": "open the desktop app",
    "版本信息": "version information",
    # users
    "用户管理": "users",
    "添加用户": "add a user",
    "登录名": "login name",
    "角色": "role",
    "所属乡镇（乡镇民政干部必填）": "township (required for caseworkers)",
    "显示名称（如姓名）": "display name",
    "从文件读取新密码": "read the new password from a file",
    "修改密码（不给登录名即修改自己的）": "change a password (your own without a login name)",
    "要重设密码的用户（管理员）": "user whose password to reset (administrators)",
    "停用用户": "deactivate a user",
    "列出用户": "list users",
    # cases
    "案件": "cases",
    "登记案件": "register a case",
    "从 JSON 文件读取字段": "read the fields from a JSON file",
    "公安案件编号": "police case number",
    "办案单位": "handling unit",
    "立案日期": "opened on",
    "案发地": "place",
    "剥削类型": "type of exploitation",
    "所属乡镇": "township",
    "列出案件": "list cases",
    "查看案件": "show a case",
    "案件 ID": "case id",
    # victims
    "受害人专门档案": "victims' dedicated files",
    "建档": "register a file",
    "修改档案": "edit a file",
    "档案 ID": "file id",
    "期望的版本号（防止覆盖他人的修改）": "expected version (guards against overwriting someone else's change)",
    "列出档案": "list files",
    "按状态筛选": "filter by status",
    "只列未成年人": "minors only",
    "只列回访已逾期的": "overdue follow-ups only",
    "从第几条开始": "start at row",
    "最多显示几条": "at most this many rows",
    "按姓名、拼音首字母、档案编号或身份证号后四位查找": "find by name, pinyin initials, file number or ID tail",
    "查找内容": "what to look for",
    "查看档案": "show a file",
    "显示完整姓名和身份证号（记入审计日志）": "show the full name and ID number (recorded in the audit log)",
    # services
    "救助服务": "assistance services",
    "登记服务": "add a service",
    "服务类型": "service type",
    "开始日期": "start date",
    "期限": "due date",
    "结束日期": "end date",
    "责任单位": "responsible unit",
    "配合单位": "cooperating units",
    "状态": "status",
    "本人是否愿意（培训等）": "does the person wish it (training etc.)",
    "备注": "notes",
    "列出某档案的服务": "list a file's services",
    # follow-ups
    "跟踪回访": "follow-up visits",
    "安排回访": "plan a visit",
    "计划日期": "planned date",
    "回访方式": "method",
    "记录回访": "record a visit",
    "待办回访 ID": "planned visit id",
    "回访日期": "visit date",
    "下次回访日期": "next visit date",
    "列出回访": "list visits",
    "只列已逾期的": "overdue only",
    "只列若干天内到期的": "due within this many days",
    "只列我负责的": "mine only",
    "只列某档案的": "one file's only",
    "包括已完成和已取消的回访（打印回访记录表时用）": "include done and cancelled visits (for printing)",
    # referrals, consents, placements
    "法律援助转介": "legal-aid referrals",
    "转介": "refer",
    "法律援助机构": "legal-aid institution",
    "援助事项": "matter",
    "转介日期": "referral date",
    "法定期限（紧急时）": "legal deadline (if urgent)",
    "未取得同意时的理由（记入审计日志）": "reason for proceeding without consent (audited)",
    "更新转介进展": "update a referral",
    "转介 ID": "referral id",
    "新状态": "new status",
    "日期": "date",
    "说明": "note",
    "承办律师": "lawyer",
    "结果": "outcome",
    "列出转介": "list referrals",
    "只列等待答复的": "waiting for an answer only",
    "同意记录": "consent records",
    "记录同意": "record a consent",
    "同意事项": "consent to",
    "由谁同意": "given by",
    "监护人姓名": "guardian's name",
    "安置": "placement",
    "登记安置": "add a placement",
    "安置状况": "placement",
    "安置机构": "institution",
    "接收家庭户主": "head of the receiving household",
    "地址": "address",
    "照料人身份证号": "caregiver's ID number",
    "安置对象即收买家庭（未成年人将被拒绝）": "the household is the buyer household (refused for minors)",
    "安置历史": "placement history",
    # audit, dashboard
    "审计日志": "audit log",
    "最近的审计记录（每条一句话：谁、何时、哪份档案、做了什么）":
        "latest audit entries (one sentence each: who, when, which file, what)",
    "显示多少条（默认 50）": "how many (default 50)",
    "只看某份档案（档案 ID）的审计轨迹": "only one file's trail (file id)",
    "校验审计日志的哈希链是否完整": "check the audit log's hash chain",
    "工作台统计": "workbench counts",
    "档案 ID（或档案编号）": "file id (or file number)",
}

#: Help for an option that was declared without one, by its destination name (zh, en): one table for every
#: command module, so an option is never shown without a word of explanation.  An option named after a record
#: field (``--alias``, ``--rescue-unit`` …) takes the field's words from ``domain/labels.FIELD_WORDS`` (see
#: :func:`default_help`); this table holds only what differs (examples, "only …" filters).
OPTION_HELP: dict[str, tuple[str, str]] = {
    "address": ("地址", "address"), "birth_date": ("出生日期（如 2011-03-15）", "date of birth"),
    "bundle": ("数据交换包文件", "exchange bundle file"), "by": ("由谁同意", "given by"),
    "caregiver_id_number": ("照料人身份证号", "caregiver's ID number"), "case_id": ("所属案件 ID", "case id"),
    "certs": ("证书文件（县级证书机构签发）", "certificate file (issued by the county CA)"),
    "crl": ("证书吊销列表文件", "revocation list file"),
    "date": ("日期（如 2026-11-30）", "date (e.g. 2026-11-30)"), "days": ("天数", "days"),
    "decision": ("复核结论", "decision"), "due_within": ("只列若干天内到期的", "due within N days"),
    "expect_version": ("期望的版本号（防止覆盖他人的修改）", "expected version (guards against overwriting a change)"),
    "exploitation_type": ("剥削类型", "type of exploitation"), "file": ("文件", "file"),
    "files": ("档案 ID（可多个）", "file ids (several allowed)"), "folder": ("文件夹", "folder"),
    "from_json": ("从 JSON 文件读取字段", "read the fields from a JSON file"),
    "guardian_name": ("监护人姓名", "guardian's name"), "handling_unit": ("办案单位", "handling unit"),
    "health": ("健康状况", "health"), "household_head": ("接收家庭户主", "head of the receiving household"),
    "id": ("记录 ID", "record id"), "institution": ("机构", "institution"),
    "keep": ("保留哪一方（本机或导入）", "which side to keep"), "lawyer": ("承办律师", "lawyer"),
    "limit": ("最多显示几条", "at most this many rows"), "living_situation": ("生活状况", "living situation"),
    "login": ("登录名", "login name"), "matter": ("援助事项", "matter"), "method": ("回访方式", "method"),
    "mine": ("只列我负责的", "mine only"), "minors": ("只列未成年人", "minors only"),
    "nationality": ("国籍（如 CN）", "nationality (e.g. CN)"), "needs": ("发现的需求", "needs found"),
    "new_password_file": ("从文件读取新密码", "read the new password from a file"),
    "next": ("下次回访日期", "next visit date"), "note": ("说明", "note"),
    "offset": ("从第几条开始", "start at row"), "opened_on": ("立案日期", "opened on"),
    "out": ("输出文件", "output file"), "outcome": ("结果", "outcome"), "overdue": ("只列已逾期的", "overdue only"),
    "pdf": ("PDF 文件", "PDF file"), "place": ("案发地", "place"), "police_case_ref": ("公安案件编号", "police case number"),
    "psychological": ("心理状况", "psychological state"),
    "recovery_key_file": ("从文件读取恢复密钥", "read the recovery key from a file"),
    "referral_date": ("转介日期", "referral date"), "regenerate": ("重新生成（旧的作废）", "make a new one (the old one stops working)"),
    "reminder_days": ("提醒天数", "reminder days"), "request": ("证书申请文件", "certificate request file"),
    "resolve": ("要处理的冲突 ID", "conflict id to resolve"),
    "review": ("要复核的标记 ID", "flag id to review"), "role": ("角色", "role"), "scope": ("同意事项", "consent to"),
    "service_type": ("服务类型", "service type"), "sex": ("性别（F 女 / M 男）", "sex (F / M)"),
    "state": ("安置状况", "placement"),
    "text": ("查找内容：姓名、拼音首字母、档案编号或身份证号后四位", "name, pinyin initials, file number or ID tail"),
    "township": ("所属乡镇", "township"), "urgent_deadline": ("法定期限（紧急时）", "legal deadline (if urgent)"),
    "victim": ("档案 ID", "file id"), "visit": ("待办回访 ID", "planned visit id"), "visitors": ("回访人员", "visitors"),
    "waiting": ("只列等待答复的", "waiting for an answer only"), "willing": ("本人是否愿意", "does the person wish it"),
    "year": ("年份", "year"), "reason": ("原因", "reason"), "list": ("要看的工作清单", "which work list"),
    "sort": ("排序依据", "sort by"), "desc": ("从新到旧（降序）", "newest first"), "asc": ("从旧到新（升序）", "oldest first"),
    "fingerprint": ("对方证书的指纹", "the peer certificate's fingerprint"),
}
HELP_EN.update({zh: en for zh, en in OPTION_HELP.values()})


def default_help(dest: str) -> str | None:
    words = OPTION_HELP.get(dest)
    if words is None:
        from fanguai_desk.domain.labels import FIELD_WORDS  # here: ``--version`` never loads the domain

        words = FIELD_WORDS.get(dest)
    return words[0] if words else None
