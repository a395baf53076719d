"""User-facing messages for the error codes the core raises: Chinese first, English second.

The core raises ``FanguaiError(code, **params)``; the CLI renders it with :func:`render`, the UI with
``ui/messages.py`` (which feeds the same English source text through Qt's ``tr()`` so the Linguist
file carries the translation).  Placeholders are ``{name}`` and must be identical in both languages
(a test checks this).  Params never carry personal data.
"""

from __future__ import annotations

from fanguai_desk.domain.errors import FanguaiError

# code: (zh_CN, en)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- unlock / registry
    "wrong_credentials": ("用户名或密码错误。", "Wrong user name or password."),
    "unlock_throttled": ("密码错误次数过多，请 {seconds} 秒后再试。",
                         "Too many wrong passwords. Try again in {seconds} s."),
    "user_inactive": ("该用户已停用。", "This user has been deactivated."),
    "registry_missing": ("该目录中没有登记库。请先初始化，或选择正确的数据目录。",
                         "There is no registry in this folder. Initialise one or choose the right data folder."),
    "registry_exists": ("该目录中已有登记库，不能重复创建。", "A registry already exists in this folder."),
    "database_missing": ("登记库数据库文件 {file} 不见了。请从备份恢复。",
                         "The registry database file {file} is missing. Restore it from a backup."),
    "database_unreadable": ("数据库文件 {file} 无法读取（已损坏或密钥不符）。请从备份恢复。",
                            "The database file {file} cannot be read (damaged or wrong key). Restore from a backup."),
    "slots_corrupt": ("密钥文件 {file} 已损坏，备份副本也不可用。请从备份恢复登记库。",
                      "The key file {file} is damaged and its backup copy too. Restore the registry from a backup."),
    "slots_format_unknown": ("密钥文件格式 {found} 无法识别：它可能来自更新版本的程序。",
                             "Key file format {found} is unknown: it may come from a newer version of the program."),
    "slots_mismatch": ("密钥文件与数据库不属于同一个登记库。", "The key file and the database belong to different registries."),
    "schema_newer": ("该登记库由更新版本的程序创建（结构版本 {found}），请升级本程序后再打开。",
                     "This registry was made by a newer version of the program (schema {found}). Upgrade to open it."),
    # --- access
    "access_denied": ("无权执行此操作。", "You are not allowed to do this."),
    "role_required": ("此操作需要以下角色：{required}。", "This needs one of these roles: {required}."),
    "other_township": ("只能查看和修改本乡镇的档案。", "You can only see and change files of your own township."),
    "setting_unknown": ("未知的设置项：{setting}。", "Unknown setting: {setting}."),
    "cannot_remove_self": ("不能删除当前登录的用户。", "You cannot remove the user you are signed in as."),
    "use_change_own_password": ("请使用“修改密码”更改自己的密码。", "Use “change password” for your own password."),
    "last_admin": ("不能停用最后一位管理员。", "The last administrator cannot be removed."),
    "file_closed": ("该档案已结案，请先重新开启。", "This file is closed; reopen it first."),
    # --- not found / conflicts
    "not_found": ("找不到该记录。", "Record not found."),
    "victim_not_found": ("找不到该档案（或无权查看）。", "File not found (or not yours to see)."),
    "record_not_found": ("找不到该记录（或无权查看）。", "Record not found (or not yours to see)."),
    "case_not_found": ("找不到该案件（或无权查看）。", "Case not found (or not yours to see)."),
    "case_unknown": ("所填案件不存在。", "The case given does not exist."),
    "user_not_found": ("找不到该用户。", "User not found."),
    "concurrent_change": ("该记录已被他人（或另一窗口）修改，请重新打开后再修改。",
                          "This record was changed elsewhere (another window or user). Reopen it and edit again."),
    # --- input
    "invalid_input": ("输入有误。", "Invalid input."),
    "unknown_field": ("不认识的字段：{field}。", "Unknown field: {field}."),
    "field_required": ("必须填写：{field}。", "Required: {field}."),
    "field_type": ("字段 {field} 的格式不对（应为 {expected}）。", "Field {field} has the wrong type (expected {expected})."),
    "field_too_long": ("字段 {field} 太长（最多 {max} 字）。", "Field {field} is too long (at most {max} characters)."),
    "enum_value": ("字段 {field} 的取值无效，可选：{allowed}。", "Invalid value for {field}; allowed: {allowed}."),
    "date_format": ("字段 {field} 的日期格式应为 年-月-日（如 2026-11-22）。",
                    "Field {field} must be a date like 2026-11-22."),
    "date_in_future": ("字段 {field} 的日期不能晚于今天。", "Field {field} cannot be in the future."),
    "birth_date_future": ("出生日期不能晚于今天。", "The birth date cannot be in the future."),
    "estimated_birth_year_range": ("估计出生年份不合理。", "The estimated birth year is not plausible."),
    "end_before_start": ("结束日期不能早于开始日期。", "The end date cannot be before the start date."),
    "name_or_alias_required": ("请填写姓名；身份不明时至少填写一个化名（别名）。",
                               "Enter a name, or at least an alias when the identity is unknown."),
    "township_unknown": ("所填乡镇不存在。", "Unknown township."),
    "file_number_taken": ("档案编号已被使用。", "This file number is already in use."),
    "file_number_format": ("档案编号格式应如 510101-2026-0001。", "A file number looks like 510101-2026-0001."),
    "login_invalid": ("用户名无效。", "Invalid user name."),
    "login_taken": ("该用户名已存在。", "This user name is taken."),
    "caseworker_needs_township": ("乡镇工作人员必须指定所属乡镇。", "A caseworker must belong to a township."),
    "unknown_role": ("未知的角色。", "Unknown role."),
    "password_too_short": ("密码至少需要 {min} 个字符。", "The password needs at least {min} characters."),
    "password_too_common": ("密码太常见，容易被猜到。", "This password is too common and easy to guess."),
    "password_contains_login": ("密码不能包含用户名。", "The password must not contain the user name."),
    "password_too_simple": ("密码至少要包含两类字符（字母、数字、符号或汉字）。",
                            "Use at least two kinds of characters (letters, digits, symbols, Chinese)."),
    # --- ID numbers (GB 11643-1999)
    "id_number_format": ("身份证号码应为18位（最后一位可为X）。", "An ID number has 18 characters (the last may be X)."),
    "id_number_checksum": ("身份证号码校验位不正确，请核对。", "The ID number's check character is wrong; please check it."),
    "id_number_birth_date": ("身份证号码中的出生日期无效。", "The birth date inside the ID number is not valid."),
    "id_number_birth_mismatch": ("身份证号码中的出生日期与档案填写的出生日期不一致。",
                                 "The birth date in the ID number differs from the file's birth date."),
    "id_number_sex_mismatch": ("身份证号码中的性别与档案填写的性别不一致。",
                               "The sex encoded in the ID number differs from the file's sex."),
    "duplicate_id_number": ("该身份证号码已在档案 {file_number} 中登记，请勿重复建档。",
                            "This ID number is already on file {file_number}; do not file the person twice."),
    # --- the plans' rules
    "dna_data": ("不得录入DNA数据（字段：{field}）。依据反拐行动计划：禁止除公安机关以外的任何组织或者个人收集"
                 "被拐卖儿童、父母和疑似被拐卖人员的DNA数据信息。",
                 "DNA data may not be recorded (field: {field}). The anti-trafficking action plans forbid anyone "
                 "but the police from collecting DNA data of trafficked children, parents and suspected victims."),
    "training_under_16": ("技能培训和就业服务只提供给16周岁以上的被拐卖受害人；服务日期时本人为 {age} 岁。",
                          "Vocational training and employment are only for victims aged 16 or over; the person "
                          "is {age} on the service date."),
    "training_age_unknown": ("无法确定本人年龄，不能安排技能培训和就业服务（仅限16周岁以上）。请先填写出生日期或估计出生年份。",
                             "The person's age is unknown, so training (16 and over only) cannot be arranged. "
                             "Enter a birth date or estimated birth year first."),
    "training_willingness_required": ("技能培训和就业服务须记录本人有培训意愿。",
                                      "Training needs the person's recorded willingness."),
    "school_service_not_school_age": ("回归学校服务适用于适龄儿童，本人已成年。",
                                      "Return to school is for school-age children; this person is an adult."),
    "minor_with_buyer_household": ("不得安置：被解救儿童不得由收买家庭继续抚养。该安置与档案中登记的收买家庭相符。",
                                   "Refused: a rescued child must not be left with the buying family, and this "
                                   "placement matches the buyer household on file."),
    "referral_consent_required": ("转介法律援助需要本人（未成年人须监护人）的同意记录，或填写理由明确越过同意（将记入审计日志）。",
                                  "A legal-aid referral needs the person's consent (a guardian's for a minor) "
                                  "on file, or an explicit override with a reason (kept in the audit log)."),
    "minor_consent_needs_guardian": ("未成年人的同意须由监护人作出。", "For a minor, consent is given by the guardian."),
    "referral_transition": ("转介状态不能从“{from_status}”改为“{to_status}”。",
                            "A referral cannot go from {from_status} to {to_status}."),
    "date_before_referral": ("日期不能早于转介日期。", "The date cannot be before the referral date."),
    "decline_needs_reason": ("不予法律援助的决定须写明理由（法律援助法第四十三条）。",
                             "A refusal must be written with its reasons (Legal Aid Law art. 43)."),
    "followup_not_planned": ("该回访不是待办状态。", "This visit is not planned (already done or cancelled)."),
    "visit_in_future": ("回访日期不能晚于今天。", "A visit cannot be recorded in the future."),
    "next_visit_before_visit": ("下次回访日期必须晚于本次回访日期。", "The next visit must be after this visit."),
    # --- PKI / reports
    "private_key_locked": ("私钥无法解开（密钥不符）。", "The private key cannot be unlocked (wrong key)."),
    "private_key_not_rsa": ("私钥类型不受支持。", "Unsupported private key type."),
    "private_key_secret_empty": ("保护私钥的密钥不能为空。", "The key protecting the private key is empty."),
    "ca_password": ("县级证书机构的密码错误。", "Wrong password for the county certificate authority."),
    "ca_password_empty": ("证书机构密码不能为空。", "The certificate authority's password cannot be empty."),
    "ca_expired": ("县级证书机构证书已过期。", "The county CA certificate has expired."),
    "ca_file_invalid": ("证书机构文件无法读取。", "The certificate authority file cannot be read."),
    "certificate_expired": ("证书已过期。", "The certificate has expired."),
    "certificate_not_yet_valid": ("证书尚未生效。", "The certificate is not valid yet."),
    "certificate_file_invalid": ("证书文件无法读取。", "The certificate file cannot be read."),
    "certificate_key_mismatch": ("证书与本机保存的密钥不匹配。", "The certificate does not match this laptop's key."),
    "certificate_not_from_ca": ("证书不是由本县证书机构签发的。", "The certificate was not issued by the county CA."),
    "certificate_usage_mismatch": ("证书用途不符（签名/加密）。", "The certificate's usage (signing/encryption) is wrong."),
    "crl_unreadable": ("吊销列表文件无法读取。", "The revocation list file cannot be read."),
    "csr_unreadable": ("证书申请文件无法读取。", "The certificate request file cannot be read."),
    "csr_signature_invalid": ("证书申请文件的签名无效。", "The certificate request's signature is invalid."),
    "csr_subject_invalid": ("证书申请中的名称无效。", "The certificate request's subject is invalid."),
    "csr_key_unsupported": ("证书申请中的密钥类型不受支持。", "The key type in the request is not supported."),
    "csr_usage_mismatch": ("证书申请的用途不符。", "The certificate request has the wrong usage."),
    "enrolment_file_invalid": ("申请文件无法读取。", "The enrolment file cannot be read."),
    "enrolment_same_key": ("签名和加密必须使用不同的密钥。", "Signing and encryption must use different keys."),
    "validity_invalid": ("有效期无效。", "Invalid validity period."),
    "naive_datetime": ("时间缺少时区。", "A time without a time zone was given."),
    "signature_box_invalid": ("签名框位置无效。", "Invalid signature box."),
    "signature_field_already_signed": ("该签名域已签名。", "This signature field is already signed."),
    "pdf_unreadable": ("PDF 文件无法读取或已损坏。", "The PDF cannot be read or is damaged."),
    # --- generic
    "rule_violation": ("违反规定，操作被拒绝。", "Refused by a rule."),
    "registry_error": ("登记库无法使用。", "The registry cannot be used."),
    "unlock_failed": ("无法解锁。", "Cannot unlock."),
    "error": ("操作失败。", "The operation failed."),
}


def render(error: FanguaiError, lang: str = "zh_CN") -> str:
    """The error as one line in the user's language.  Unknown codes fall back to the class's generic text."""
    zh, en = MESSAGES.get(error.code) or MESSAGES.get(type(error).code) or MESSAGES["error"]
    template = en if lang.startswith("en") else zh
    try:
        return template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        return template
