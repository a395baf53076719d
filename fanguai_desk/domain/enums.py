"""The registry's controlled vocabularies.

Values are stable ASCII codes: they are stored in the database and travel in export bundles, so
renaming a value is a schema change.  Human labels (Chinese first) live in ``labels.py``.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # manages users, keys, backups; sees every file
    CASEWORKER = "caseworker"  # township civil-affairs worker: own township only
    SUPERVISOR = "supervisor"  # county: sees imported files of every township


class Installation(StrEnum):
    """What this registry is in the exchange: decided once, when the registry is created (store/installation.py)."""

    TOWNSHIP = "township"  # a township laptop: registers files, exports them to the county, takes in receipts
    COUNTY = "county"  # the county's laptop: imports the townships' bundles, reviews, writes receipts, county CA


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class IdentityStatus(StrEnum):
    KNOWN = "known"
    UNKNOWN = "unknown"  # 身份信息不明确 (000 §13, 003 第十八条(二))


class FileStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ClosureReason(StrEnum):
    """Why a file was closed (结案).  ``domain/lifecycle.py`` says which need a note."""

    RETURNED_HOME = "returned_home"  # 回归家庭且生活稳定
    REPATRIATED = "repatriated"  # 安全送返（境外）
    TRANSFERRED = "transferred"  # 转出至其他地区
    DEATH = "death"  # 死亡
    MERGED_DUPLICATE = "merged_duplicate"  # 并入重复档案
    OTHER = "other"  # 其他（须说明）
    FORMAL = "formal"  # files closed before issue 13 (正式结档): kept readable, no longer offered


class ServiceType(StrEnum):
    TEMPORARY_ASSISTANCE = "temporary_assistance"  # 临时性帮扶救助
    FAMILY_TRACING = "family_tracing"  # 寻亲
    HUKOU_REGISTRATION = "hukou_registration"  # 落户
    MEDICAL = "medical"  # 医疗、心理疏导、残疾等级评定
    REHABILITATION = "rehabilitation"  # 康复
    RETURN_TO_SCHOOL = "return_to_school"  # 回归学校
    VOCATIONAL_TRAINING = "vocational_training"  # 技能培训和就业 (16 周岁以上)
    RETURN_TO_FAMILY = "return_to_family"  # 回归家庭和社区
    CONTINUING_SUPPORT = "continuing_support"  # 持续帮扶
    SOCIAL_ASSISTANCE = "social_assistance"  # 纳入社会救助范围
    LEGAL_AID = "legal_aid"  # 法律援助


class ServiceStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class FollowUpMethod(StrEnum):
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    SCHOOL = "school"
    WORKPLACE = "workplace"
    OTHER = "other"


class FollowUpStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class ReferralMatter(StrEnum):
    COMPENSATION = "compensation"  # 赔偿
    CUSTODY = "custody"  # 抚养/监护
    CIVIL_RIGHTS = "civil_rights"  # 民事权益
    CRIMINAL_INCIDENTAL_CIVIL = "criminal_incidental_civil"  # 刑事附带民事诉讼
    HUKOU = "hukou"  # 户籍
    OTHER = "other"


class ReferralStatus(StrEnum):
    REFERRED = "referred"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAWYER_ASSIGNED = "lawyer_assigned"
    CONCLUDED = "concluded"
    REVOKED = "revoked"
    MATERIALS_REQUESTED = "materials_requested"  # 补充材料 (法律援助法 第四十三条第二款): decision clock paused
    TERMINATED = "terminated"  # 终止法律援助 (法律援助法 第四十八条)
    OBJECTED = "objected"  # 异议 to the 司法行政部门 against a refusal or termination (法律援助法 第四十九条)


class PlacementState(StrEnum):
    TEMPORARY_SHELTER = "temporary_shelter"  # 救助管理机构临时安置
    FAMILY_TRACING = "family_tracing"  # 寻亲中
    RETURNED_TO_BIRTH_PARENTS = "returned_to_birth_parents"  # 送还其亲生父母
    WELFARE_INSTITUTION = "welfare_institution"  # 儿童福利机构/未成年人救助保护机构
    RETURNED_HOME = "returned_home"  # 返乡 / 回归家庭和社区
    WORKING_ELSEWHERE = "working_elsewhere"  # 异地就业
    HUKOU_REGISTERED = "hukou_registered"  # 已落户
    REPATRIATED = "repatriated"  # 外籍受害人安全送返
    FAMILY_CARE = "family_care"  # 亲属/家庭寄养 (household named on the record)


class ConsentScope(StrEnum):
    REFERRAL = "referral"  # 转介 (legal aid and other services)
    SHARING = "sharing"  # 信息共享 / 披露
    STATISTICS = "statistics"  # counted in statistics


class ConsentGiver(StrEnum):
    SELF = "self"
    GUARDIAN = "guardian"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    READ = "read"
    REVEAL = "reveal"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    USER_ADMIN = "user_admin"
    CONSENT_OVERRIDE = "consent_override"
    PURGE = "purge"
    BACKUP = "backup"
    RESTORE = "restore"
    KEY_ADMIN = "key_admin"
    DEMO = "demo"


class PurgeReason(StrEnum):
    """The grounds of PIPL art. 47 that apply to a file whose retention date has passed."""

    RETENTION_EXPIRED = "retention_expired"  # 保存期限已届满 (47(一)2)
    PURPOSE_ACHIEVED = "purpose_achieved"  # 处理目的已实现或不再必要 (47(一)1)
    CONSENT_WITHDRAWN = "consent_withdrawn"  # 个人撤回同意 (47(一)3)
    OTHER_LEGAL = "other_legal"  # 法律、行政法规规定的其他情形 (47(一)5)
