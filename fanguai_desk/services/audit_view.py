"""The audit log as sentences a caseworker reads: who, when, which file (by its number), what.

    2026年11月30日 16:40　王社工 记录了回访（档案 5101-2026-0001）。
    2026-11-30 16:40  王社工 recorded a follow-up visit (file 5101-2026-0001).

The log itself stores codes and record ids only (``store/audit.py``); this module is the one place that turns
them into words, in Chinese or English, for the audit page, a file's audit tab and ``audit list`` alike.
Every action, operation, record type and detail key the services write has its words here; a test walks a
registry where each of them happened and fails on any code left untranslated.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from fanguai_desk.domain.enums import (
    AuditAction,
    ClosureReason,
    ConsentScope,
    Installation,
    PlacementState,
    PurgeReason,
    ReferralStatus,
    Role,
    ServiceType,
)
from fanguai_desk.domain.labels import FIELD_WORDS, label, label_en
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.messages import RECORD_WORDS
from fanguai_desk.store import audit
from fanguai_desk.store.clock import local_time
from fanguai_desk.store.models import AuditEntry, User, Victim

if TYPE_CHECKING:
    from fanguai_desk.services.unit_of_work import UnitOfWork

Words = tuple[str, str]  # (zh, en)

ACTIONS: dict[AuditAction, Words] = {
    AuditAction.CREATE: ("新建了", "created"),
    AuditAction.UPDATE: ("修改了", "changed"),
    AuditAction.DELETE: ("删除了", "deleted"),
    AuditAction.READ: ("查看了", "viewed"),
    AuditAction.REVEAL: ("显示了完整姓名和身份证号：", "revealed the full name and ID number of"),
    AuditAction.PRINT: ("打印了", "printed"),
    AuditAction.EXPORT: ("导出了", "exported"),
    AuditAction.IMPORT: ("导入了", "imported"),
    AuditAction.LOGIN: ("登录", "signed in"),
    AuditAction.LOGIN_FAILED: ("登录失败", "failed to sign in"),
    AuditAction.LOGOUT: ("退出登录", "signed out"),
    AuditAction.USER_ADMIN: ("管理了用户", "administered the user"),
    AuditAction.CONSENT_OVERRIDE: ("在未取得同意的情况下办理了", "proceeded without consent with"),
    AuditAction.PURGE: ("彻底删除了", "purged"),
    AuditAction.BACKUP: ("备份了", "backed up"),
    AuditAction.RESTORE: ("恢复了", "restored"),
    AuditAction.KEY_ADMIN: ("管理了密钥：", "administered keys:"),
    AuditAction.DEMO: ("生成了演示数据：", "generated demo data in"),
}

#: ``op`` codes: what was done, more precisely than the action (replaces the action's verb).
OPERATIONS: dict[str, Words] = {
    "add": ("添加了用户", "added the user"),
    "remove": ("停用了用户", "deactivated the user"),
    "passwd": ("修改了自己的密码", "changed their own password"),
    "reset": ("重设了用户的密码", "reset the password of the user"),
    "enrol": ("生成了证书申请", "made a certificate request"),
    "install_certificates": ("安装了县级证书机构签发的证书", "installed the certificates issued by the county CA"),
    "install_crl": ("安装了证书吊销列表", "installed a certificate revocation list"),
    "ca_init": ("创建了县级证书机构", "created the county certificate authority"),
    "issue": ("签发了证书", "issued certificates"),
    "revoke": ("吊销了证书", "revoked certificates"),
    "crl": ("发布了证书吊销列表", "published a certificate revocation list"),
    "recover": ("用恢复密钥重设了管理员密码", "reset the administrator password with the recovery key"),
    "recovery_key": ("重新生成了恢复密钥", "made a new recovery key"),
    "rekey": ("用新密钥重新加密了", "re-encrypted with a new key"),
    "slots_restored": ("从备份恢复了密钥槽", "restored the key slots from a backup"),
    "plan": ("安排了回访", "planned a follow-up visit"),
    "record": ("记录了回访", "recorded a follow-up visit"),
    "cancel": ("取消了回访", "cancelled a follow-up visit"),
    "close": ("结束了档案", "closed the file"),
    "reopen": ("重新启用了档案", "reopened the file"),
    "withdraw": ("记录了撤回同意", "recorded the withdrawal of consent"),
    "resolve_conflict": ("处理了数据冲突：", "resolved a data conflict in"),
    "duplicate_review": ("复核了疑似重复档案：", "reviewed a possible duplicate:"),
}

#: What a record type is called (one table, in ``messages.py``, shared with the messages that name one).
RECORDS: dict[str, Words] = RECORD_WORDS

PURPOSES: dict[str, Words] = {
    "view": ("在档案中查看", "viewing the file"),
    "cli_show": ("命令行查看", "command-line view"),
    "verify_paper": ("核验纸质打印件", "checking a printout"),
    "open_external": ("用其他程序打开", "opening in another program"),
}

REPORTS: dict[str, Words] = {
    "followup_record": ("回访记录表", "follow-up record"),
    "file_summary": ("专门档案摘要", "file summary"),
    "annual": ("年度工作情况统计表", "annual statistics"),
    "period": ("期间统计表", "period statistics"),
}

FIELDS = FIELD_WORDS  # the one table of field names, domain/labels.py

BUNDLE_KINDS: dict[str, Words] = {"full": ("完整数据", "full data"), "files": ("档案数据", "files"),
                                  "statistics": ("统计数据", "statistics"), "stats": ("统计数据", "statistics")}

PAPER_RESULTS: dict[str, Words] = {"valid": ("真实有效", "genuine"), "unknown": ("查无此件", "unknown"),
                                   "revoked": ("证书已吊销", "certificate revoked"),
                                   "mismatch": ("内容不符", "content differs")}

DEMO_COUNTS: dict[str, Words] = {
    "townships": ("乡镇", "townships"), "cases": ("案件", "cases"), "victims": ("档案", "files"),
    "followups": ("回访", "visits"), "services": ("服务", "services"), "referrals": ("转介", "referrals"),
    "placements": ("安置", "placements"), "consents": ("同意", "consents"),
}


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as read by a person; ``sentence`` includes the time and the actor."""

    seq: int
    at: datetime
    who: str
    action: AuditAction
    sentence: str
    record_id: str | None
    file_victim_id: str | None  # the file to open for this entry, if any


def _w(words: Words, lang: str) -> str:
    return words[1] if lang.startswith("en") else words[0]


def _enum(value: StrEnum, lang: str) -> str:
    try:
        return label_en(value) if lang.startswith("en") else label(value)
    except (KeyError, TypeError):
        return ""


def format_when(at: datetime, lang: str) -> str:
    """A stored time (UTC, naive) in the laptop's local time, minutes precision."""
    local = local_time(at)
    if lang.startswith("en"):
        return f"{local:%Y-%m-%d %H:%M}"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _join(items: Sequence[str], lang: str) -> str:
    return ", ".join(items) if lang.startswith("en") else "、".join(items)


def _field_list(names: Any, lang: str) -> str:
    if not isinstance(names, list | tuple):
        return ""
    # A whole-file reveal names its fields by record ("victim.name", "guardians.phone"): the field's words,
    # each once (a reveal listed as "其他 7 项" told the reader nothing).
    bases = [n.rsplit(".", 1)[-1] if isinstance(n, str) else None for n in names]
    known = list(dict.fromkeys(_w(FIELDS[b], lang) for b in bases if b is not None and b in FIELDS))
    unknown = sum(1 for b in bases if b is None or b not in FIELDS)
    if unknown:
        known.append(f"{unknown} other field(s)" if lang.startswith("en") else f"其他 {unknown} 项")
    return _join(known, lang)


def _counts(counts: Any, lang: str) -> str:
    if not isinstance(counts, Mapping):
        return ""
    parts = []
    for key, n in counts.items():
        noun = RECORDS.get(str(key))
        if noun is not None and isinstance(n, int):
            parts.append(f"{_w(noun, lang)} {n}")
    return _join(parts, lang)


def _details(action: AuditAction, detail: Mapping[str, Any], lang: str) -> list[str]:
    en = lang.startswith("en")
    out: list[str] = []
    if action is not AuditAction.LOGIN_FAILED and detail.get("fields"):
        text = _field_list(detail["fields"], lang)
        if text:
            out.append(("fields: " if en else "项目：") + text)
    purpose = detail.get("purpose")
    if isinstance(purpose, str) and purpose:
        if purpose.startswith("print:"):
            kind = REPORTS.get(purpose.removeprefix("print:"))
            text = _w(kind, lang) if kind else ""
            out.append(("purpose: printing " if en else "用途：打印") + text)
        elif purpose in PURPOSES:
            out.append(("purpose: " if en else "用途：") + _w(PURPOSES[purpose], lang))
        elif not purpose.isascii():  # the user's own words (a report's purpose, in Chinese)
            out.append(("purpose: " if en else "用途：") + purpose)
    report = detail.get("report")
    if isinstance(report, str):
        base = report.removesuffix("_xlsx")
        if base in REPORTS:
            text = _w(REPORTS[base], lang)
            out.append(text + ((" (spreadsheet)" if en else "（电子表格）") if report.endswith("_xlsx") else ""))
    if detail.get("signed") is True:
        out.append("signed" if en else "已数字签名")
    elif detail.get("signed") is False:
        out.append("unsigned" if en else "未签名")
    if detail.get("full_name") is True:
        out.append("with full names" if en else "含完整姓名")
    if "counts" in detail:
        text = _counts(detail["counts"], lang)
        if text:
            out.append(text)
    seq = detail.get("sequence")
    if isinstance(seq, int):
        out.append(f"no. {seq}" if en else f"第 {seq} 号")
    kind = detail.get("kind")
    if isinstance(kind, str) and kind in BUNDLE_KINDS:
        out.append(_w(BUNDLE_KINDS[kind], lang))
    status = detail.get("status")
    if isinstance(status, str):
        with contextlib.suppress(ValueError):
            out.append(("status: " if en else "状态：") + _enum(ReferralStatus(status), lang))
    reason = detail.get("reason")
    if isinstance(reason, str):
        if reason in set(PurgeReason):  # the wording of domain/labels.py, the one copy
            out.append(("grounds: " if en else "依据：") + _enum(PurgeReason(reason), lang))
        else:
            with contextlib.suppress(ValueError):
                out.append(("reason: " if en else "原因：") + _enum(ClosureReason(reason), lang))
    role = detail.get("role")
    if isinstance(role, str):
        with contextlib.suppress(ValueError):
            out.append(("role: " if en else "角色：") + _enum(Role(role), lang))
    installation = detail.get("installation")
    if isinstance(installation, str):
        with contextlib.suppress(ValueError):
            out.append(("this laptop: " if en else "本机：") + _enum(Installation(installation), lang))
    size = detail.get("size")
    if isinstance(size, int):
        out.append(f"{size / 1024 / 1024:.1f} MB")
    result = detail.get("result")
    if isinstance(result, str) and result in PAPER_RESULTS:
        out.append(("result: " if en else "结果：") + _w(PAPER_RESULTS[result], lang))
    rows, created = detail.get("rows"), detail.get("created")
    if isinstance(rows, int):
        out.append(f"{rows} rows" if en else f"共 {rows} 行")
    if isinstance(created, int):
        out.append(f"{created} files created" if en else f"新建档案 {created} 份")
    for key, enum_cls, words in (("service_type", ServiceType, ("服务：", "service: ")),
                                 ("state", PlacementState, ("安置：", "placement: ")),
                                 ("scope", ConsentScope, ("同意事项：", "consent to: "))):
        value = detail.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                out.append(_w(words, lang) + _enum(enum_cls(value), lang))
    if action is AuditAction.DEMO:
        parts = [f"{_w(DEMO_COUNTS[k], lang)} {v}" for k, v in detail.items() if k in DEMO_COUNTS and isinstance(v, int)]
        if parts:
            out.append(_join(parts, lang))
    for key, words in (("added", ("新增 {n} 条", "{n} added")), ("updated", ("更新 {n} 条", "{n} updated")),
                       ("conflicts", ("冲突 {n} 处", "{n} conflicts")), ("records", ("含记录 {n} 条", "{n} records"))):
        value = detail.get(key)
        if isinstance(value, int):
            out.append(_w(words, lang).format(n=value))
    if isinstance(detail.get("refused"), str):
        out.append("refused" if en else "已拒绝导入")
    first, last = detail.get("first"), detail.get("last")
    if isinstance(first, int) and isinstance(last, int):
        out.append(f"{first}–{last}" if en else f"{first}—{last} 年")
    return out


def sentence(*, at: datetime, who: str | None, action: AuditAction, record_type: str | None,
             file_number: str | None, detail: Mapping[str, Any], lang: str) -> str:
    """The whole entry as one sentence; ``file_number`` is the file the entry is about (itself or its record's)."""
    en = lang.startswith("en")
    nobody = ("someone", "有人") if action is AuditAction.LOGIN_FAILED else ("the system", "系统")
    actor = who or (nobody[0] if en else nobody[1])
    op = detail.get("op")
    verb = _w(OPERATIONS[op], lang) if isinstance(op, str) and op in OPERATIONS else _w(ACTIONS[action], lang)
    obj = ""
    covered_by_op = isinstance(op, str) and op in OPERATIONS and op not in ("resolve_conflict", "duplicate_review")
    if record_type == "victim" and file_number:
        obj = f"file {file_number}" if en else f"档案 {file_number}"
        if covered_by_op:
            obj = f"({obj})" if en else f"（{obj}）"
    elif record_type and record_type in RECORDS and not covered_by_op and action not in (
            AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED):
        obj = _w(RECORDS[record_type], lang)
        if file_number:
            obj += f" (file {file_number})" if en else f"（档案 {file_number}）"
    elif file_number:
        obj = f"(file {file_number})" if en else f"（档案 {file_number}）"
    if action is AuditAction.LOGIN_FAILED:
        attempts = detail.get("attempts")
        if isinstance(attempts, int):
            obj = f"{attempts} time(s) (recorded at the next sign-in)" if en else f" {attempts} 次（在下一次成功登录时记录）"
    parts = _details(action, detail, lang)
    when = format_when(at, lang)
    if parts and obj.endswith(")" if en else "）"):  # one bracket: (file 5101-2026-0001; service: …)
        obj = obj[:-1] + ("; " if en else "；") + ("; " if en else "；").join(parts) + obj[-1]
        parts = []
    if en:
        text = f"{when}  {actor} {verb}" + (f" {obj}" if obj else "")
        return text + (f" — {'; '.join(parts)}" if parts else "") + "."
    text = f"{when}　{actor} {verb}{obj}"
    return text + (f"（{'；'.join(parts)}）" if parts else "") + "。"


def audit_lines(desk: UnitOfWork, *, lang: str, limit: int = 200, offset: int = 0,
                record_id: str | None = None) -> list[AuditLine]:
    """The log (or one file's trail), newest first, as sentences; same permissions as the raw entries."""
    rows = audit_entries(desk, limit=limit, offset=offset, record_id=record_id)
    victim_ids = {str(r.detail["victim"]) for r in rows if isinstance(r.detail.get("victim"), str)}
    numbers: dict[str, str] = {}
    if victim_ids:
        with desk.read() as s:
            numbers = dict(s.execute(select(Victim.id, Victim.file_number).where(Victim.id.in_(victim_ids))).tuples().all())
    lines: list[AuditLine] = []
    for r in rows:
        victim_id = r.record_id if r.record_type == "victim" else r.detail.get("victim")
        victim_id = victim_id if isinstance(victim_id, str) else None
        number = r.file_number if r.record_type == "victim" else numbers.get(victim_id or "")
        lines.append(AuditLine(r.seq, r.at, r.user or "", r.action, sentence(
            at=r.at, who=r.user, action=r.action, record_type=r.record_type, file_number=number,
            detail=r.detail, lang=lang), r.record_id, victim_id if number else None))
    return lines


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime  # UTC, naive
    user: str | None  # display name
    action: AuditAction
    record_type: str | None
    record_id: str | None
    file_number: str | None  # when the record is a victim file
    detail: dict[str, object]


def audit_entries(desk: UnitOfWork, *, limit: int = 200, offset: int = 0, record_id: str | None = None) -> list[AuditRow]:
    """Newest first.  The whole log: administrators and supervisors; one file's trail (``record_id``): whoever
    may see the file."""
    if record_id is None:
        desk.require(Permission.AUDIT_READ_ALL)
    stmt = (select(AuditEntry, User.display_name, Victim.file_number)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .outerjoin(Victim, Victim.id == AuditEntry.record_id)
            .order_by(AuditEntry.seq.desc()).offset(offset).limit(limit))
    if record_id is not None:
        with desk.read() as s:
            victim = s.get(Victim, record_id)
        if victim is None:
            desk.require(Permission.AUDIT_READ_ALL)
        else:
            desk.require_township(victim.township_id)
        # The file's own entries and those of its records (visits, referrals…), which name it in ``detail``.
        stmt = stmt.where(or_(AuditEntry.record_id == record_id,
                              AuditEntry.detail.contains(json.dumps({"victim": record_id})[1:-1])))
    rows: list[AuditRow] = []
    with desk.read() as s:
        for e, user, file_number in s.execute(stmt):
            try:
                detail = json.loads(e.detail or "{}")
            except ValueError:
                detail = {}
            rows.append(AuditRow(e.seq, e.at, user, e.action, e.record_type, e.record_id, file_number,
                                 detail if isinstance(detail, dict) else {}))
    return rows


def verify_audit(desk: UnitOfWork) -> audit.ChainVerification:
    """Check the hash chain and the entries' signatures (administrators and supervisors)."""
    desk.require(Permission.AUDIT_VERIFY)
    with desk.read() as s:
        result = audit.verify_chain(s)
        if not result.ok:
            return result
        from fanguai_desk.store.audit_signing import signature_checker

        return audit.verify_signatures(s, signature_checker(s))
