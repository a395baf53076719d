"""Chinese labels for every enum value, for the CLI and the reports (the UI translates with ``tr()``).

The English label is the enum member's name, title-cased (``VOCATIONAL_TRAINING`` → "Vocational Training").
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from fanguai_desk.domain.clocks import DueState
from fanguai_desk.domain.enums import (
    AuditAction,
    ClosureReason,
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpMethod,
    FollowUpStatus,
    IdentityStatus,
    Installation,
    PlacementState,
    PurgeReason,
    ReferralMatter,
    ReferralStatus,
    Role,
    ServiceStatus,
    ServiceType,
    Sex,
)

__all__ = [
    "AUDIT_ACTION_LABELS",
    "CLOSURE_REASON_LABELS",
    "CONSENT_GIVER_LABELS",
    "CONSENT_SCOPE_LABELS",
    "DUE_STATE_LABELS",
    "FILE_STATUS_LABELS",
    "FOLLOW_UP_METHOD_LABELS",
    "FOLLOW_UP_STATUS_LABELS",
    "IDENTITY_STATUS_LABELS",
    "INSTALLATION_LABELS",
    "LABELS",
    "PLACEMENT_STATE_LABELS",
    "REFERRAL_MATTER_LABELS",
    "REFERRAL_STATUS_LABELS",
    "ROLE_LABELS",
    "SERVICE_STATUS_LABELS",
    "SERVICE_TYPE_LABELS",
    "SEX_LABELS",
    "label",
    "label_en",
]

ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.CASEWORKER: "乡镇民政干部",
    Role.SUPERVISOR: "县级民政督导",
}

INSTALLATION_LABELS: dict[Installation, str] = {
    Installation.TOWNSHIP: "乡镇电脑",
    Installation.COUNTY: "县级电脑",
}

SEX_LABELS: dict[Sex, str] = {
    Sex.FEMALE: "女",
    Sex.MALE: "男",
    Sex.UNKNOWN: "不详",
}

IDENTITY_STATUS_LABELS: dict[IdentityStatus, str] = {
    IdentityStatus.KNOWN: "身份已查明",
    IdentityStatus.UNKNOWN: "身份信息不明确",
}

FILE_STATUS_LABELS: dict[FileStatus, str] = {
    FileStatus.OPEN: "在档",
    FileStatus.CLOSED: "已结档",
}

CLOSURE_REASON_LABELS: dict[ClosureReason, str] = {
    ClosureReason.RETURNED_HOME: "回归家庭且生活稳定",
    ClosureReason.REPATRIATED: "安全送返（境外）",
    ClosureReason.TRANSFERRED: "转出至其他地区",
    ClosureReason.DEATH: "死亡",
    ClosureReason.MERGED_DUPLICATE: "并入重复档案",
    ClosureReason.OTHER: "其他（须说明）",
    ClosureReason.FORMAL: "正式结档（旧）",
}

SERVICE_TYPE_LABELS: dict[ServiceType, str] = {
    ServiceType.TEMPORARY_ASSISTANCE: "临时性帮扶救助",
    ServiceType.FAMILY_TRACING: "寻亲",
    ServiceType.HUKOU_REGISTRATION: "落户",
    ServiceType.MEDICAL: "医疗救治和心理疏导",
    ServiceType.REHABILITATION: "康复",
    ServiceType.RETURN_TO_SCHOOL: "回归学校",
    ServiceType.VOCATIONAL_TRAINING: "技能培训和就业",
    ServiceType.RETURN_TO_FAMILY: "回归家庭和社区",
    ServiceType.CONTINUING_SUPPORT: "持续帮扶",
    ServiceType.SOCIAL_ASSISTANCE: "纳入社会救助",
    ServiceType.LEGAL_AID: "法律援助",
}

SERVICE_STATUS_LABELS: dict[ServiceStatus, str] = {
    ServiceStatus.PLANNED: "计划中",
    ServiceStatus.IN_PROGRESS: "进行中",
    ServiceStatus.DONE: "已完成",
    ServiceStatus.CANCELLED: "已取消",
}

FOLLOW_UP_METHOD_LABELS: dict[FollowUpMethod, str] = {
    FollowUpMethod.HOME_VISIT: "入户走访",
    FollowUpMethod.PHONE: "电话回访",
    FollowUpMethod.SCHOOL: "学校回访",
    FollowUpMethod.WORKPLACE: "工作单位回访",
    FollowUpMethod.OTHER: "其他方式",
}

FOLLOW_UP_STATUS_LABELS: dict[FollowUpStatus, str] = {
    FollowUpStatus.PLANNED: "待回访",
    FollowUpStatus.DONE: "已回访",
    FollowUpStatus.CANCELLED: "已取消",
}

REFERRAL_MATTER_LABELS: dict[ReferralMatter, str] = {
    ReferralMatter.COMPENSATION: "赔偿",
    ReferralMatter.CUSTODY: "抚养和监护",
    ReferralMatter.CIVIL_RIGHTS: "民事权益",
    ReferralMatter.CRIMINAL_INCIDENTAL_CIVIL: "刑事附带民事诉讼",
    ReferralMatter.HUKOU: "户籍",
    ReferralMatter.OTHER: "其他事项",
}

REFERRAL_STATUS_LABELS: dict[ReferralStatus, str] = {
    ReferralStatus.REFERRED: "已转介",
    ReferralStatus.ACCEPTED: "已受理",
    ReferralStatus.DECLINED: "不予援助",
    ReferralStatus.LAWYER_ASSIGNED: "已指派律师",
    ReferralStatus.CONCLUDED: "已办结",
    ReferralStatus.REVOKED: "已撤回",
    ReferralStatus.MATERIALS_REQUESTED: "待补充材料",
    ReferralStatus.TERMINATED: "已终止援助",
    ReferralStatus.OBJECTED: "已提出异议",
}

PLACEMENT_STATE_LABELS: dict[PlacementState, str] = {
    PlacementState.TEMPORARY_SHELTER: "救助管理机构临时安置",
    PlacementState.FAMILY_TRACING: "寻亲中",
    PlacementState.RETURNED_TO_BIRTH_PARENTS: "送还亲生父母",
    PlacementState.WELFARE_INSTITUTION: "儿童福利机构或未成年人救助保护机构安置",
    PlacementState.RETURNED_HOME: "返乡（回归家庭和社区）",
    PlacementState.WORKING_ELSEWHERE: "异地就业",
    PlacementState.HUKOU_REGISTERED: "已落户",
    PlacementState.REPATRIATED: "外籍受害人已安全送返",
    PlacementState.FAMILY_CARE: "亲属或家庭寄养",
}

CONSENT_SCOPE_LABELS: dict[ConsentScope, str] = {
    ConsentScope.REFERRAL: "转介",
    ConsentScope.SHARING: "信息共享",
    ConsentScope.STATISTICS: "纳入统计",
}

CONSENT_GIVER_LABELS: dict[ConsentGiver, str] = {
    ConsentGiver.SELF: "本人",
    ConsentGiver.GUARDIAN: "监护人",
}

AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.CREATE: "新建",
    AuditAction.UPDATE: "修改",
    AuditAction.DELETE: "删除",
    AuditAction.READ: "查阅",
    AuditAction.REVEAL: "查看完整信息",
    AuditAction.PRINT: "打印",
    AuditAction.EXPORT: "导出",
    AuditAction.IMPORT: "导入",
    AuditAction.LOGIN: "登录",
    AuditAction.LOGIN_FAILED: "登录失败",
    AuditAction.LOGOUT: "退出登录",
    AuditAction.USER_ADMIN: "用户管理",
    AuditAction.CONSENT_OVERRIDE: "未经同意的例外处理",
    AuditAction.PURGE: "到期销毁",
    AuditAction.BACKUP: "备份",
    AuditAction.RESTORE: "恢复",
    AuditAction.KEY_ADMIN: "密钥管理",
    AuditAction.DEMO: "演示数据",
}

PURGE_REASON_LABELS: dict[PurgeReason, str] = {  # 个人信息保护法 第四十七条
    PurgeReason.RETENTION_EXPIRED: "保存期限已届满",
    PurgeReason.PURPOSE_ACHIEVED: "处理目的已实现",
    PurgeReason.CONSENT_WITHDRAWN: "本人撤回同意",
    PurgeReason.OTHER_LEGAL: "法律法规规定的其他情形",
}

DUE_STATE_LABELS: dict[DueState, str] = {
    DueState.DONE: "已完成",
    DueState.OVERDUE: "已逾期",
    DueState.DUE_SOON: "即将到期",
    DueState.SCHEDULED: "已排期",
    DueState.CANCELLED: "已取消",
    DueState.NONE: "未排期",
}

#: A record field's name in words (zh, en): the audit sentences, the exchange conflicts and the CLI's option help.
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "name"), "alias": ("化名", "alias"), "hidden_name": ("列表中隐藏姓名", "hide name"),
    "sex": ("性别", "sex"), "birth_date": ("出生日期", "date of birth"),
    "estimated_birth_year": ("估计出生年份", "estimated birth year"), "id_number": ("身份证号", "ID number"),
    "identity_status": ("身份状况", "identity"), "identified_on": ("身份查明日期", "identified on"),
    "township": ("乡镇", "township"), "case_id": ("案件", "case"), "caseworker_id": ("责任社工", "caseworker"),
    "ethnicity": ("民族", "ethnicity"), "nationality": ("国籍", "nationality"),
    "household_registration": ("户籍地", "household registration"), "current_residence": ("现住址", "residence"),
    "phone": ("电话", "phone"), "disability": ("残疾情况", "disability"),
    "disability_grade": ("残疾等级", "disability grade"), "rescue_date": ("解救日期", "rescue date"),
    "rescue_unit": ("解救单位", "rescuing unit"), "arrived_at_institution_on": ("入院日期", "arrival date"),
    "attention_flag": ("关注标记", "attention flag"), "attention_message": ("关注说明", "attention message"),
    "notes": ("备注", "notes"), "guardians": ("监护人", "guardians"), "buyer_households": ("收买家庭", "buyer households"),
    "service_type": ("服务类型", "service"), "responsible_unit": ("责任单位", "responsible unit"),
    "cooperating_units": ("配合单位", "cooperating units"), "start_date": ("开始日期", "start date"),
    "due_date": ("期限", "due date"), "end_date": ("结束日期", "end date"), "status": ("状态", "status"),
    "willing": ("本人意愿", "wishes"), "county_name": ("县名", "county"), "county_code": ("县代码", "county code"),
    "retention_years": ("保存年限", "retention"), "referral_wait_days": ("转介等待天数", "referral wait"),
    "idle_lock_minutes": ("闲置锁定时间", "idle lock"), "backup_reminder_days": ("备份提醒天数", "backup reminder"),
    "attachment_max_mb": ("附件大小上限", "attachment size limit"),
}

#: Every label table, by enum class.
LABELS: dict[type[StrEnum], Mapping[Any, str]] = {
    Role: ROLE_LABELS,
    Installation: INSTALLATION_LABELS,
    Sex: SEX_LABELS,
    IdentityStatus: IDENTITY_STATUS_LABELS,
    FileStatus: FILE_STATUS_LABELS,
    ClosureReason: CLOSURE_REASON_LABELS,
    ServiceType: SERVICE_TYPE_LABELS,
    ServiceStatus: SERVICE_STATUS_LABELS,
    FollowUpMethod: FOLLOW_UP_METHOD_LABELS,
    FollowUpStatus: FOLLOW_UP_STATUS_LABELS,
    ReferralMatter: REFERRAL_MATTER_LABELS,
    ReferralStatus: REFERRAL_STATUS_LABELS,
    PlacementState: PLACEMENT_STATE_LABELS,
    ConsentScope: CONSENT_SCOPE_LABELS,
    ConsentGiver: CONSENT_GIVER_LABELS,
    AuditAction: AUDIT_ACTION_LABELS,
    DueState: DUE_STATE_LABELS,
    PurgeReason: PURGE_REASON_LABELS,
}


def label(value: StrEnum) -> str:
    """The zh_CN label of an enum value (the English label for an enum without a table)."""
    table = LABELS.get(type(value))
    if table is None:
        return label_en(value)
    return table[value]


#: English wording where the member's name is not words a reader would use (the one copy: the audit
#: sentences, the CLI and the Qt source texts all take it from here).
LABELS_EN: dict[type[StrEnum], Mapping[Any, str]] = {
    Installation: {Installation.TOWNSHIP: "Township laptop", Installation.COUNTY: "County laptop"},
    PurgeReason: {  # 个人信息保护法 第四十七条
        PurgeReason.RETENTION_EXPIRED: "Retention period ended",
        PurgeReason.PURPOSE_ACHIEVED: "Purpose achieved",
        PurgeReason.CONSENT_WITHDRAWN: "Consent withdrawn",
        PurgeReason.OTHER_LEGAL: "Other legal grounds",
    },
}


def label_en(value: StrEnum) -> str:
    """The English label: from ``LABELS_EN`` where written there, else the member's name, title-cased
    (``ServiceType.VOCATIONAL_TRAINING`` → "Vocational Training")."""
    table = LABELS_EN.get(type(value))
    if table is not None and value in table:
        return table[value]
    return value.name.replace("_", " ").title()
