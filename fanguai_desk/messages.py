"""User-facing messages for the error codes the core raises: Chinese first, English second.

The core raises ``FanguaiError(code, **params)``; the CLI renders it with :func:`render`, the UI with
``ui/messages.py`` (which feeds the same English source text through Qt's ``tr()`` so the Linguist
file carries the translation).  Placeholders are ``{name}`` and must be identical in both languages
(a test checks this).  Params never carry personal data.
"""

from __future__ import annotations

from fanguai_desk.domain.errors import FanguaiError

#: What a record type is called, in messages that name one (a refused record) and in the audit sentences
#: (services/audit_view.py).  Records of a file name the file after them.
RECORD_WORDS: dict[str, tuple[str, str]] = {
    "victim": ("档案", "file"),
    "followup": ("回访记录", "follow-up record"),
    "service": ("救助服务记录", "service record"),
    "referral": ("法律援助转介", "legal-aid referral"),
    "referral_event": ("转介进展", "referral progress"),
    "placement": ("安置记录", "placement record"),
    "consent": ("同意记录", "consent record"),
    "guardian": ("监护人记录", "guardian record"),
    "buyer_household": ("收买家庭记录", "buyer household record"),
    "attachment": ("附件", "attachment"),
    "case": ("案件", "case"),
    "user": ("用户账户", "user account"),
    "township": ("乡镇", "township"),
    "settings": ("登记库设置", "the registry settings"),
    "registry": ("本登记库", "this registry"),
    "bundle": ("数据交换包", "an exchange bundle"),
    "report": ("报表", "a report"),
    "print": ("打印件", "a printout"),
    "ledger": ("台账", "a ledger"),
    "ca": ("县级证书机构", "the county CA"),
    "crl": ("证书吊销列表", "a revocation list"),
    "review_flag": ("复核标记", "review flag"),
}

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
    "database_missing": ("登记库数据库文件 {file} 不见了。{action}", "The registry database file {file} is missing. {action}"),
    "database_unreadable": ("数据库文件 {file} 无法读取（已损坏或密钥不符）。请从备份恢复。",
                            "The database file {file} cannot be read (damaged or wrong key). Restore from a backup."),
    "slots_corrupt": ("密钥文件 {file} 已损坏，备份副本也不可用（这不是密码错误，不计入错误次数）。数据库本身完好：{action}",
                      "The key file {file} is damaged and its backup copy too (this is not a wrong password and "
                      "does not count as one). The database itself is intact: {action}"),
    "slots_format_unknown": ("密钥文件格式 {found} 无法识别：它可能来自更新版本的程序。",
                             "Key file format {found} is unknown: it may come from a newer version of the program."),
    "rekey_pending": ("上一次换密钥尚未完成。请重新登录一次（会自动完成或撤回），然后再试。",
                      "A previous re-key has not finished. Sign in again (it is finished or rolled back), then retry."),
    "slots_mismatch": ("密钥文件与数据库不属于同一个登记库。", "The key file and the database belong to different registries."),
    "schema_newer": ("该登记库由更新版本的程序创建（结构版本 {found}），请升级本程序后再打开。",
                     "This registry was made by a newer version of the program (schema {found}). Upgrade to open it."),
    # --- access
    "access_denied": ("无权执行此操作。", "You are not allowed to do this."),
    "role_required": ("此操作需要以下角色：{required}。", "This needs one of these roles: {required}."),
    "county_installation_only": (
        "本机是乡镇电脑：导入乡镇数据包、复核冲突和疑似重复、出具回执、县级证书机构，只能在县级电脑（县民政局）上进行。"
        "未做任何更改。",
        "This is a township laptop: importing the townships' bundles, reviewing conflicts and possible duplicates, "
        "writing receipts and the county certificate authority are done only on the county's laptop. Nothing "
        "was changed."),
    "township_installation_only": (
        "本机是县级电脑：向县里导出数据包、接收县里的回执，只能在乡镇电脑上进行。未做任何更改。",
        "This is the county's laptop: exporting bundles to the county and taking in the county's receipt are done "
        "only on a township laptop. Nothing was changed."),
    "other_township": ("只能查看和修改本乡镇的档案。", "You can only see and change files of your own township."),
    "edit_at_origin": ("该记录由另一台电脑（乡镇）建立，只能在那里修改；修改会随下一次导出传来。",
                       "This record was created on another laptop (the township's) and changes there; the change "
                       "arrives with its next export."),
    "review_flag_at_township": ("该复核标记由乡镇提出，只能在乡镇复核关闭；关闭结果会随乡镇的下一个数据包传来。",
                                "This review flag was raised at the township and is closed there; the closure "
                                "arrives with the township's next bundle."),
    "setting_unknown": ("未知的设置项：{setting}。", "Unknown setting: {setting}."),
    "setting_invalid": ("设置项 {setting} 的值无效：应在 {min} 至 {max} 之间（文字为长度）。未保存。",
                        "Invalid value for setting {setting}: it must be between {min} and {max} (for text: its "
                        "length). Nothing was saved."),
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
    "date_before_1900": ("字段 {field} 的日期不能早于1900年。", "Field {field} cannot be before 1900."),
    "rescue_before_birth": ("解救日期不能早于出生日期。", "The rescue date cannot be before the birth date."),
    "estimated_year_contradicts_id": ("估计出生年份 {estimated_year} 与身份证号码中的出生年份 {id_year} 不一致。",
                                      "The estimated birth year {estimated_year} contradicts the ID number's birth "
                                      "year {id_year}."),
    "text_control_characters": ("字段 {field} 含有控制字符或文字方向控制符，不能保存。",
                                "Field {field} contains control characters or text-direction controls; it "
                                "cannot be saved."),
    "township_code_collision": ("该导出包中的乡镇编码 {township_code} 已被本机另一个乡镇使用：档案编号将在全县重复。请先为其中一个乡镇更换编码。",
                                "The bundle's township code {township_code} is used by another township here: file numbers "
                                "would repeat county-wide. Give one of the townships another code first."),
    "township_code_format": ("乡镇编码 {township_code} 无效：应为以县级编码开头的6至9位数字。",
                             "Township code {township_code} is invalid: 6 to 9 digits starting with the county code."),
    "buyer_as_guardian": ("不得登记：收买家庭的成员不能成为被解救儿童的监护人（不得由收买家庭继续抚养）。",
                          "Refused: a member of the buying household cannot become the rescued child's "
                          "guardian (a child must not be left with the buying family)."),
    "buyer_as_consent_giver": ("不得登记：收买家庭的成员不能代被解救儿童作出同意。",
                               "Refused: a member of the buying household cannot give consent for the rescued "
                               "child."),
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
    "school_service_not_school_age": ("回归学校服务适用于义务教育适龄儿童（{min_age}至{max_age}周岁）；服务日期时本人为 {age} 岁。",
                                      "Return to school is for children of compulsory-education age "
                                      "({min_age} to {max_age}); the person is {age} on the service date."),
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
    # --- a file's whole life (issue 13)
    "file_not_closed": ("该档案未结案，无需重新开启。", "This file is not closed; there is nothing to reopen."),
    "reason_too_short": ("“{field}”须写明实际理由：至少 {min} 个汉字、字母或数字，不能只有标点符号。",
                         "“{field}” needs a real reason: at least {min} letters or digits, not punctuation only."),
    "transfer_same_township": ("档案已属于该乡镇。", "The file already belongs to that township."),
    "caseworker_not_in_township": ("所选工作人员不是该乡镇的在职民政干部。",
                                   "The chosen person is not an active caseworker of that township."),
    "delete_not_here": ("只能在建档的电脑上删除误建的档案。",
                        "A file entered by mistake can only be deleted on the laptop where it was created."),
    "delete_window_passed": ("误建档案只能在建档后 {days} 天内删除；之后请以适当理由结案。",
                             "A file entered by mistake can only be deleted within {days} days of its creation; "
                             "close it with a reason instead."),
    "visit_planned_in_past": ("计划回访日期 {planned_date} 早于今天。{action}",
                              "The planned visit date {planned_date} is in the past. {action}"),
    "transfer_untrusted_county": ("该证书或移交包来自未受信任的县。请先向对方县民政局核对其证书机构证书的 SHA-256 指纹，"
                                  "再由管理员添加为受信任的县{action}。",
                                  "This certificate or transfer comes from a county that is not trusted. Check the "
                                  "SHA-256 fingerprint of that county's CA certificate with them, then have an "
                                  "administrator trust it{action}."),
    "peer_ca_fingerprint_mismatch": ("证书机构证书的指纹为 {fingerprint}，与所填指纹不符：未添加。请与对方县核对。",
                                     "The CA certificate's fingerprint is {fingerprint}, not the one given: not "
                                     "trusted. Check with that county."),
    "peer_ca_not_ca": ("该文件不是证书机构证书。", "This file is not a CA certificate."),
    "peer_ca_is_own": ("这是本县的证书机构，无需另行信任。", "This is this county's own CA; it is trusted already."),
    "peer_ca_unknown": ("没有该指纹的受信任县。", "No trusted county has this fingerprint."),
    "referral_materials_not_requested": ("该转介未处于“待补充材料”状态。",
                                         "This referral is not waiting for materials."),
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
    "count_negative": ("统计数不能为负数。", "A count cannot be negative."),
    "report_columns_mismatch": ("报表各列与表头不一致。", "The report's columns do not match its header."),
    "pdf_unreadable": ("PDF 文件无法读取或已损坏。", "The PDF cannot be read or is damaged."),
    # --- exchange (export / import bundles)
    "bundle_malformed": ("文件不是有效的数据交换包（已截断、为空或格式错误）。",
                         "The file is not a valid exchange bundle (truncated, empty or malformed)."),
    "bundle_altered": ("数据包已被改动或签名无效，已拒绝导入。", "The bundle was altered or its signature is invalid; refused."),
    "bundle_not_for_this_township": (
        "该数据包不是发给本机用户的档案移交包，无法打开。本机是乡镇电脑：各乡镇导出的数据包只能在县级电脑（县民政局）上导入。未做任何更改。",
        "This bundle is not a file transfer addressed to a user of this laptop. This is a township laptop: the "
        "townships' bundles are imported only on the county's laptop. Nothing was changed."),
    "bundle_not_for_us": ("该数据包不是发给本机督导的，无法打开。", "This bundle is not addressed to this supervisor."),
    "author_untrusted": ("数据包作者的证书不是本县证书机构（或已信任的外县证书机构）签发的，已拒绝。",
                         "The author's certificate was not issued by the county CA (or a trusted peer county's "
                         "CA); refused."),
    "author_revoked": ("数据包作者的证书已被吊销，已拒绝。", "The author's certificate has been revoked; refused."),
    "author_expired": ("数据包作者的证书已过期，已拒绝。", "The author's certificate has expired; refused."),
    "author_not_yet_valid": ("数据包作者的证书尚未生效，已拒绝。", "The author's certificate is not valid yet; refused."),
    "recipient_untrusted": ("接收方证书不是本县证书机构签发的，不能向其导出。",
                            "The recipient's certificate is not from the county CA; cannot export to it."),
    "recipient_revoked": ("接收方证书已被吊销，不能向其导出。", "The recipient's certificate is revoked; cannot export to it."),
    "recipient_expired": ("接收方证书已过期，不能向其导出。", "The recipient's certificate has expired; cannot export to it."),
    "recipient_not_yet_valid": ("接收方证书尚未生效。", "The recipient's certificate is not valid yet."),
    "bundle_replayed": ("该数据包（第 {sequence} 号）已经导入过或早于已导入的数据包，拒绝重复导入。",
                        "This bundle (no. {sequence}) was already imported or is older than one that was; refused."),
    "bundle_gap": ("缺少该乡镇电脑（{laptop}）此前的 {missing} 个数据包（第 {sequences} 号，变更 {changes}）。"
                   "请先导入它们；{action}也可选择“仍然导入”，稍后再补。",
                   "{missing} earlier bundle(s) from laptop {laptop} are missing (no. {sequences}, changes "
                   "{changes}). Import them first; {action} or import anyway and fill the gap later."),
    "resend_unknown": ("本机没有发给该督导的第 {sequence} 号数据包（或它不含档案变更），无法重新生成。{action}",
                       "No bundle no. {sequence} with record changes was sent to this supervisor from this "
                       "laptop (in its current epoch). {action}"),
    "receipt_invalid": ("这不是一份可读的督导回执（文件已损坏，或不是回执）。什么也没有改变。",
                        "This is not a readable receipt from the supervisor (the file is damaged or is not a "
                        "receipt). Nothing was changed."),
    "receipt_version": ("这份回执来自更新版本的程序，请先升级本程序。什么也没有改变。",
                        "This receipt comes from a newer program; upgrade first. Nothing was changed."),
    "receipt_no_certificate": ("本机还没有加密证书，无法生成回执：请先在“证书”页安装本机的证书。",
                               "This laptop has no encryption certificate yet, so it cannot write a receipt: "
                               "install its certificate on the Certificates page first."),
    "receipt_not_ours": ("这份回执不是本机导出数据所发往的督导签发的。什么也没有改变。",
                         "This receipt is not from a supervisor this laptop exports to. Nothing was changed."),
    "bundle_schema_newer": ("数据包来自更新版本的程序（结构版本 {found}），请先升级本程序。",
                            "The bundle comes from a newer program (schema {found}); upgrade first."),
    "import_disk_space": ("导入需要约 {needed_mb} MB 可用磁盘空间（数据库写入日志和登记库的增长），登记库所在磁盘只剩 "
                          "{free_mb} MB。什么也没有写入；请先腾出空间再导入。",
                          "The import needs about {needed_mb} MB of free disk (the database's write-ahead log and its "
                          "growth); the registry's disk has {free_mb} MB. Nothing was written; free some space and "
                          "import again."),
    "import_disk_need": ("导入约需 {needed_mb} MB 可用磁盘空间（数据库写入日志和登记库的增长），登记库所在磁盘现有 "
                         "{free_mb} MB。",
                         "The import needs about {needed_mb} MB of free disk (the database's write-ahead log and its "
                         "growth); the registry's disk has {free_mb} MB."),
    "bundle_set_part": ("这是一个分卷数据包的第 {part} 卷（共 {total} 卷），不能单独导入。请选择同一文件夹中不带 .partNNN 的"
                        "那个文件（分卷清单），并把所有分卷放在它旁边。",
                        "This is part {part} of a bundle set of {total} parts and cannot be imported on its own. "
                        "Choose the file without .partNNN in the same folder (the set's list) with every part "
                        "beside it."),
    "bundle_set_needs_files": ("这是分卷数据包的清单：请从文件导入，并把所有分卷放在它旁边。",
                               "This is the list of a bundle set: import it from its file, with every part beside it."),
    "bundle_set_incomplete": ("分卷数据包不完整：缺少第 {parts} 卷（共 {total} 卷：{files}）。整套数据包未导入，"
                              "什么也没有写入。请把所有分卷复制到清单文件旁边后再导入。",
                              "The bundle set is incomplete: part(s) {parts} of {total} are missing ({files}). "
                              "Nothing was imported. Copy every part beside the list file and import again."),
    "import_helper_failed": ("导入中断：读取数据包的辅助进程意外退出（可能是内存不足）。什么也没有写入；请关闭其他程序后再导入。",
                             "The import stopped: the helper process reading the bundle ended unexpectedly (perhaps "
                             "out of memory). Nothing was written; close other programs and import again."),
    "bundle_set_mismatch": ("分卷数据包第 {part} 卷（共 {total} 卷，{file}）与签名清单不符（被替换、截断、改动、"
                            "顺序错乱或来自另一次导出）。整套数据包被拒绝，什么也没有写入。请重新复制该导出的全部文件。",
                            "Part {part} of {total} ({file}) does not match the set's signed list (replaced, "
                            "truncated, altered, out of order or from another export). The whole set is refused and "
                            "nothing was written. Copy all files of that export again."),
    "bundle_part_too_large": ("数据包第 {part} 卷（共 {total} 卷）解压后约 {mb} MB，超过本机每卷接受的上限 {limit_mb} MB，"
                              "已拒绝，什么也没有写入。请让发送方用本程序的当前版本重新导出。",
                              "Part {part} of {total} of the bundle inflates to about {mb} MB, more than the "
                              "{limit_mb} MB this laptop accepts in one part. Refused; nothing was written. Ask the "
                              "sender to export again with the current version of this program."),
    "export_file_too_large": ("有一份档案的记录（连同所选的附件）解压后约 {mb} MB，超过一个数据包分卷允许的 {limit_mb} MB，"
                              "未导出。请不带附件导出，或把该档案的大附件另行移交。",
                              "One file's records (with its attachments, if chosen) inflate to about {mb} MB, more than the "
                              "{limit_mb} MB one part of a bundle may carry. Nothing was exported. Export without "
                              "attachments, or hand that file's large attachments over separately."),
    "bundle_format_unknown": ("无法识别的数据包格式版本：{found}。", "Unknown bundle format version: {found}."),
    "bundle_schema_mismatch": ("数据包中的记录结构与本程序不符（{record_type}）。",
                               "A record in the bundle does not match this program's schema ({record_type})."),
    "bundle_rule_violation": ("数据包中有记录违反规定（{record_type}），整个数据包被拒绝：{rule_text}",
                              "A record in the bundle breaks a rule ({record_type}); the whole bundle is refused: "
                              "{rule_text}"),
    "bundle_incomplete": ("数据包引用了本机没有的档案，请先导入更早的数据包。",
                          "The bundle refers to files this laptop does not have; import earlier bundles first."),
    "bundle_unreadable": ("无法读取数据包文件。", "Cannot read the bundle file."),
    "no_trusted_ca": ("尚未安装县级证书机构证书。", "The county CA certificate is not installed."),
    # --- trust (issue 12: docs/security-model.md)
    "bundle_not_authorised": ("数据包中有一条记录（{record_type}{record_ref}）签名人无权发送：{reason}。"
                              "整个数据包被拒绝，未写入任何内容。",
                              "A record in the bundle ({record_type}{record_ref}) is not the signer's to send: "
                              "{reason}. The whole bundle is refused and nothing was written."),
    # why (``reason`` of bundle_not_authorised, exchange/authorisation.py): shown in its place
    "refusal_reason_certificate_unbound": ("签名证书没有绑定乡镇和角色", "the signing certificate names no township and role"),
    "refusal_reason_author_not_signer": ("作者与签名人不是同一人", "its author is not the signer"),
    "refusal_reason_other_township": ("它属于其他乡镇", "it belongs to another township"),
    "refusal_reason_author_not_township": ("它由该乡镇以外的人员录入", "it was entered by someone outside that township"),
    "refusal_reason_installation_not_signer": ("它来自另一台电脑", "it comes from another laptop"),
    "refusal_reason_other_installation": ("它是在另一台电脑上打印或标记的", "it was printed or flagged on another laptop"),
    "refusal_reason_file_not_in_bundle": ("它所属的档案不在本机", "its file is not on this laptop"),
    "bundle_signer_not_signing": ("数据包是用加密证书签名的；只有签名证书可以签名，已拒绝。",
                                  "The bundle was signed with an encryption certificate; only a signing "
                                  "certificate may sign. Refused."),
    "bundle_too_large": ("数据包解压后超过允许的大小（{limit_mb} MB），已拒绝。",
                         "The bundle inflates beyond the allowed size ({limit_mb} MB); refused."),
    "binding_not_confirmed": ("请确认申请人所属乡镇：{action}", "Confirm the applicant's township: {action}"),
    "database_empty": ("登记库数据库文件 {file} 是空的，但密钥文件还在：程序不会用空库替换它。{action}",
                       "The registry database file {file} is empty while the key slots remain: it is never "
                       "replaced by an empty registry. {action}"),
    # --- keys and certificates (services/pki.py)
    "keys_not_enrolled": ("尚未生成本人的密钥，请先在“证书”中申请证书。", "You have no keys yet: enrol for a certificate first."),
    "certificate_not_installed": ("尚未安装本人的证书，不能签名或导出。", "Your certificate is not installed; cannot sign or export."),
    "crl_not_from_ca": ("吊销列表不是本县证书机构签发的。", "The revocation list was not issued by the county CA."),
    "ca_exists": ("本机已有县级证书机构。", "This laptop already holds the county CA."),
    "ca_missing": ("本机没有县级证书机构。", "This laptop does not hold the county CA."),
    "serial_invalid": ("证书序列号格式错误。", "Invalid certificate serial number."),
    "certificate_unknown": ("本证书机构未签发过该证书。", "This CA did not issue that certificate."),
    # --- generic
    "rule_violation": ("违反规定，操作被拒绝。", "Refused by a rule."),
    "registry_error": ("登记库无法使用。", "The registry cannot be used."),
    "unlock_failed": ("无法解锁。", "Cannot unlock."),
    "error": ("操作失败。", "The operation failed."),
    # --- maintenance: single writer, disk, corruption, backups, purge, recovery, doctor
    "registry_in_use": ("该登记库已在另一个程序窗口中打开（{dir}）。请先关闭那个窗口；如只需查看，可选择以只读方式打开。",
                        "This registry is open in another window of the program ({dir}). Close that window "
                        "first, or open it read-only to look only."),
    "read_only_media": ("数据目录 {dir} 所在的磁盘或U盘是只读的，不能保存。请复制到可写的磁盘，或以只读方式打开。",
                        "The data folder {dir} is on a read-only disk or USB stick, so nothing can be saved. "
                        "Copy it to a writable disk, or open it read-only."),
    "read_only": ("登记库以只读方式打开，不能保存更改；刚才的操作没有保存。",
                  "The registry is open read-only; nothing can be saved and the last change was not saved."),
    "registry_rolled_back_behind": (
        "数据库比本机记录的最新状态旧：缺少 {missing} 条审计记录（应到第 {recorded} 条，现在只到第 {found} 条）。"
        "可能有人把旧的 registry.db 拷了回来，或者 registry.db-wal 文件丢了。为免在旧副本上继续工作、丢失较新的记录，"
        "登记库没有以可写方式打开。请把最新的 registry.db（连同同名的 -wal 文件）放回 {dir}；找不到时，从最新的备份恢复。"
        "{action}",
        "The database is older than the latest state recorded on this computer: {missing} audit entries are "
        "missing (the record reaches entry {recorded}, the database only {found}). An older registry.db may have "
        "been copied back, or the registry.db-wal file was lost. The registry was not opened for writing, so that "
        "no work is done on an old copy and newer records lost. Put the newest registry.db (with its -wal file) "
        "back into {dir}; if it cannot be found, restore the newest backup. {action}"),
    "registry_rolled_back_diverged": (
        "数据库不是本机记录的最新状态：第 {recorded} 条审计记录与记录不符（数据库现到第 {found} 条）。这是一个旧副本，"
        "之后又被写入过；较新的记录不在其中。登记库没有以可写方式打开。请把最新的 registry.db（连同 -wal 文件）放回 {dir}，"
        "或从最新的备份恢复。{action}",
        "The database is not the latest state recorded on this computer: audit entry {recorded} differs from the "
        "record (the database now reaches entry {found}). It is an older copy that has been written to since; "
        "newer records are not in it. The registry was not opened for writing. Put the newest registry.db (with "
        "its -wal file) back into {dir}, or restore the newest backup. {action}"),
    "audit_head_missing": (
        "审计记录头文件 audit-head.json 不见了（{dir}）：本次无法确认数据库是不是最新的。已重新建立，并记入审计日志。"
        "如果不是您删除的，请报告管理员。",
        "The audit head file audit-head.json is missing ({dir}): this time it cannot be confirmed that the database "
        "is the latest. It was made again and the sign-in audit entry records it. If you did not remove it, tell "
        "your administrator."),
    "audit_head_invalid": (
        "审计记录头文件 audit-head.json 已损坏或不是用本登记库的密钥写的（{dir}）：不予采信，已按当前数据库重写，"
        "并记入审计日志。如果没有人动过它，请报告管理员。",
        "The audit head file audit-head.json is damaged or was not written with this registry's key ({dir}): it "
        "is not believed, it was rewritten from the current database, and the sign-in audit entry records it. If "
        "nobody touched it, tell your administrator."),
    "disk_full_read_only": (
        "磁盘已满：登记库已以只读方式打开——可以查看和打印（不签名），不能保存。查看记录暂存在预留空间，"
        "空间恢复后的下一次登录时写入审计日志。请在 {dir} 所在的磁盘上腾出至少 {need_mb} MB 空间，然后重新登录。",
        "The disk is full: the registry is open read-only — you can look and print (unsigned) but not save. What you "
        "view is noted in reserved space and enters the audit log at the next sign-in once there is space. Free at "
        "least {need_mb} MB on the disk of {dir}, then sign in again."),
    "registry_busy": ("登记库正忙：另一项操作正在写入，等了几秒仍未结束。刚才的操作没有保存，登记库保持原样；请稍后重试。",
                      "The registry is busy: another operation is writing and did not finish within a few seconds. "
                      "The last change was not saved and the registry is as it was; try again in a moment."),
    "disk_full": ("磁盘已满：刚才的操作没有保存，登记库保持原样。请腾出磁盘空间后重试。",
                  "The disk is full: the last change was not saved and the registry is as it was. Free some "
                  "space and try again."),
    "disk_io_error": ("读写磁盘出错：刚才的操作没有保存。请检查磁盘或U盘后重试；如反复出现，{action}",
                      "The disk could not be read or written: the last change was not saved. Check the disk and "
                      "try again; if it keeps happening, {action}"),
    "database_corrupt": ("数据库文件 {file} 已损坏（有数据页校验失败），为避免只打开一部分数据，程序不会打开它。{action}",
                         "The database file {file} is damaged (pages fail their checks). It is not opened, so that "
                         "nothing is shown half-missing. {action}"),
    "registry_incomplete": ("目录 {dir} 中的登记库在创建过程中被中断，无法使用（其中没有任何数据）。请重新初始化。",
                            "The registry in {dir} was interrupted while being created and cannot be used (it "
                            "holds no data). Initialise it again."),
    "slots_missing": ("找不到密钥文件 {file} 及其副本，数据库无法打开。{action}",
                      "The key file {file} and its copy are missing, so the database cannot be opened. {action}"),
    "schema_needs_upgrade": ("该登记库（结构版本 {found}）需要先升级，只读方式无法打开。请以正常方式打开一次。",
                             "This registry (schema {found}) must be upgraded first, which a read-only open cannot "
                             "do. Open it normally once."),
    "migration_failed": ("登记库结构升级（{found} → {supported}）未通过一致性检查，已撤销，登记库保持原样。请联系技术支持。",
                         "Upgrading the registry's schema ({found} → {supported}) failed its consistency check and "
                         "was undone; the registry is as it was. Contact support."),
    "backup_missing": ("找不到备份文件 {file}。", "The backup file {file} does not exist."),
    "backup_unreadable": ("{file} 不是本程序的备份文件，或已严重损坏。", "{file} is not a backup of this program, or is badly damaged."),
    "backup_format_unknown": ("备份文件 {file} 的格式（{found}）无法识别：它可能来自更新版本的程序。",
                              "The backup {file} has an unknown format ({found}): it may come from a newer version."),
    "backup_newer": ("备份文件 {file} 由更新版本的程序制作（结构版本 {found}），本身并未损坏。请先升级本程序，再验证或恢复。",
                     "The backup {file} was made by a newer version of the program (schema {found}); it is not "
                     "damaged. Upgrade this program first, then verify or restore it."),
    "backup_damaged": ("备份文件 {file} 已损坏（{member} 校验失败），不能用于恢复。请换用另一份备份。",
                       "The backup {file} is damaged ({member} fails its check) and cannot be restored. Use "
                       "another backup."),
    "restore_target_not_empty": ("恢复目标 {dir} 不是空目录。为免覆盖现有数据，请指定一个新的空目录。",
                                 "The restore target {dir} is not empty. To overwrite nothing, give a new, empty folder."),
    "purge_not_due": ("档案 {file_number} 尚不能删除：只有已结案且保存期限（{until}）已到的档案才能永久删除"
                      "（本机时钟和本次登录前登记库记录到的最晚时间都须已过该日期）。",
                      "File {file_number} cannot be purged yet: only closed files whose retention date ({until}) "
                      "has passed can be (by this computer's clock and by the latest time the registry recorded "
                      "before this sign-in)."),
    "purge_clock_unconfirmed": ("本机时钟（{now} UTC）比登记库此前记录到的最晚时间（{seen} UTC）晚了一天以上。"
                                "请先核对电脑日期时间是否正确，{action}未删除任何档案。",
                                "This computer's clock ({now} UTC) is more than a day ahead of the latest time the "
                                "registry recorded before ({seen} UTC). Check the computer's date and time, then "
                                "{action} Nothing was deleted."),
    "clock_behind": ("注意：本机时钟（{now} UTC）早于登记库已记录到的时间（{seen} UTC），电脑时钟可能有误。"
                     "请核对并更正日期时间；此情况已记入审计日志。",
                     "Warning: this computer's clock ({now} UTC) is behind a time the registry has already "
                     "recorded ({seen} UTC); the clock may be wrong. Check and correct the date and time; this "
                     "was recorded in the audit log."),
    "clock_jumped": ("注意：本机时钟（{now} UTC）比上次使用（{seen} UTC）晚了一天以上。如果日期不对，请更正；"
                     "永久删除档案前需要再次确认时钟。",
                     "Note: this computer's clock ({now} UTC) is more than a day ahead of the last use "
                     "({seen} UTC). If the date is wrong, correct it; purging files will ask you to confirm "
                     "the clock."),
    "recovery_key_format": ("恢复密钥应为 {length} 个字母或数字（可含空格或短横线）。",
                            "A recovery key has {length} letters or digits (spaces and dashes are ignored)."),
    "recovery_key_typo": ("恢复密钥有输入错误（校验位不符），请逐组核对后重新输入。",
                          "The recovery key has a typo (its check characters do not match). Check each group and "
                          "type it again."),
    "recovery_admin_unknown": ("没有这位在职的管理员。", "There is no active administrator with that name."),
    "recovery_admin_ambiguous": ("有多位管理员，{action}", "There are several administrators: {action}"),
    "purge_reason_retention_expired": ("保存期限已届满（个人信息保护法第四十七条）", "Retention period has ended (PIPL art. 47)"),
    "purge_reason_purpose_achieved": ("处理目的已实现或不再必要（个人信息保护法第四十七条）",
                                      "Purpose achieved or no longer needed (PIPL art. 47)"),
    "purge_reason_consent_withdrawn": ("个人撤回同意（个人信息保护法第四十七条）", "Consent withdrawn (PIPL art. 47)"),
    "purge_reason_other_legal": ("法律、行政法规规定的其他情形（个人信息保护法第四十七条）",
                                 "Other case set by law or regulation (PIPL art. 47)"),
    "doctor_status_ok": ("体检结果：正常", "Check-up: all good"),
    "doctor_status_warn": ("体检结果：可以使用，但有需要处理的事项", "Check-up: usable, with things to attend to"),
    "doctor_status_fail": ("体检结果：发现严重问题，请从备份恢复", "Check-up: serious problems found; restore from a backup"),
    "doctor_status_disk_full": ("体检结果：磁盘已满——请腾出空间（登记库本身完好，不要从备份恢复）",
                                "Check-up: disk full — free some space (the registry itself is intact; do not "
                                "restore a backup)"),
    "doctor_disk_full": ("磁盘已满（只剩 {free_mb} MB）：请腾出至少 {need_mb} MB 空间。这不是数据损坏，不要从备份恢复；"
                         "空间腾出后一切照常。",
                         "Disk full ({free_mb} MB left): free at least {need_mb} MB. This is not damage: do not "
                         "restore a backup; once there is space everything works as before."),
    "doctor_leftovers": ("{count} 个中断的操作留下的临时文件或备份草稿（均为加密数据）：下次以可写方式登录时自动清除。",
                         "{count} temporary files or backup drafts left by interrupted operations (all encrypted): "
                         "they are removed at the next sign-in that can write."),
    "doctor_check_failed": ("检查“{check}”无法完成（{error}）。请从备份恢复，或联系技术支持。",
                            "The check “{check}” could not be done ({error}). Restore from a backup or contact support."),
    "doctor_slots_file_missing": ("密钥文件 {file} 不存在（另一份仍可用）。", "Key file {file} is missing (the other copy is usable)."),
    "doctor_slots_file_damaged": ("密钥文件 {file} 已损坏（另一份仍可用，下次打开时自动修复）。",
                                  "Key file {file} is damaged (the other copy is usable; it is repaired at the next open)."),
    "doctor_slots_unusable": ("密钥文件 {file} 及其副本都不可用。{action}",
                              "Key file {file} and its copy are both unusable. {action}"),
    "doctor_slots_differ": ("密钥文件与其副本不一致（上次保存被中断）。再次修改任一密码即可恢复一致。",
                            "The key file and its copy differ (a save was interrupted). Changing any password makes them agree again."),
    "doctor_slots_ok": ("密钥文件完好：用户密钥 {slots} 个，恢复密钥 {recovery} 个。",
                        "Key file intact: {slots} user slots, {recovery} recovery slot(s)."),
    "doctor_recovery_ok": ("已设置恢复密钥。", "A recovery key is set."),
    "doctor_recovery_missing": ("没有恢复密钥：管理员密码丢失将无法找回。{action}",
                                "No recovery key: a lost administrator password could not be recovered. {action}"),
    "doctor_cipher_ok": ("加密校验通过：每个数据页都完好。", "Encryption check passed: every page is intact."),
    "doctor_cipher_failed": ("加密校验失败：{pages} 个数据页已损坏或被篡改。请从备份恢复。",
                             "Encryption check failed: {pages} page(s) are damaged or tampered with. Restore from a backup."),
    "doctor_integrity_ok": ("数据库结构完整。", "Database structure is intact."),
    "doctor_integrity_failed": ("数据库结构检查发现 {problems} 处问题。请从备份恢复。",
                                "The database structure check found {problems} problem(s). Restore from a backup."),
    "doctor_schema_ok": ("数据结构版本 {revision}（最新）。", "Schema revision {revision} (current)."),
    "doctor_schema_older": ("数据结构版本 {found}，低于本程序的 {head}：下次正常打开时会自动升级。",
                            "Schema revision {found} is older than this program's {head}: it is upgraded at the next normal open."),
    "doctor_schema_newer": ("数据结构版本 {found} 比本程序（{head}）新，请升级程序。",
                            "Schema revision {found} is newer than this program's ({head}). Upgrade the program."),
    "doctor_state_ok": ("维护状态一致：{files} 份档案的当前安置状况、计划回访、最近联系和就学情况与其记录相符。",
                        "Maintained state consistent: the current placement, planned and last visits, last contact "
                        "and schooling of {files} files match their records."),
    "doctor_state_drift": ("{files} 份档案的维护状态与其记录不符（字段：{columns}；缺少或已改动的触发器：{triggers}）。"
                           "工作台的统计可能有误。{action}",
                           "The maintained state of {files} files differs from their records (columns: {columns}; "
                           "missing or altered triggers: {triggers}). Dashboard counts may be wrong. {action}"),
    "doctor_state_repaired": ("已重新计算维护状态：{files} 份档案已更正，触发器已恢复。",
                              "Maintained state recomputed: {files} files corrected, triggers restored."),
    "doctor_head_ok": ("数据库是本机记录的最新状态（审计记录头第 {recorded} 条）。",
                       "The database is the latest state recorded on this computer (audit head at entry {recorded})."),
    "doctor_head_untracked": ("审计记录头文件尚未建立：下次以可写方式登录时建立。",
                              "The audit head file does not exist yet: it is made at the next writable sign-in."),
    "doctor_head_missing": ("审计记录头文件 audit-head.json 不见了：无法确认数据库是不是最新的。下次登录时会重建；"
                            "如果不是您删除的，请报告。",
                            "The audit head file audit-head.json is missing: it cannot be confirmed that the "
                            "database is the latest. It is made again at the next sign-in; if you did not remove "
                            "it, report it."),
    "doctor_head_invalid": ("审计记录头文件 audit-head.json 已损坏或不是用本登记库的密钥写的：不予采信。"
                            "下次登录时按当前数据库重写；如果没有人动过它，请报告。",
                            "The audit head file audit-head.json is damaged or not written with this registry's "
                            "key: it is not believed. It is rewritten at the next sign-in; if nobody touched it, "
                            "report it."),
    "doctor_rolled_back_behind": (
        "数据库比本机记录的最新状态旧：缺少 {missing} 条审计记录（应到第 {recorded} 条，现只到第 {found} 条）。"
        "恢复办法：把最新的 registry.db（连同 -wal 文件）放回数据目录；找不到时从最新备份恢复。{action}",
        "The database is older than the latest state recorded on this computer: {missing} audit entries missing "
        "(the record reaches entry {recorded}, the database {found}). To recover: put the newest registry.db "
        "(with its -wal file) back into the data folder; if it cannot be found, restore the newest backup. "
        "{action}"),
    "doctor_rolled_back_diverged": (
        "数据库是旧副本、之后又被写入过：第 {recorded} 条审计记录与本机记录不符。恢复办法：把最新的 registry.db"
        "（连同 -wal 文件）放回数据目录，或从最新备份恢复。{action}",
        "The database is an older copy written to since: audit entry {recorded} differs from the record on this "
        "computer. To recover: put the newest registry.db (with its -wal file) back into the data folder, or "
        "restore the newest backup. {action}"),
    "doctor_audit_ok": ("审计日志完整：{entries} 条，哈希链校验通过。", "Audit log intact: {entries} entries, hash chain verified."),
    "doctor_audit_broken": ("审计日志从第 {seq} 条起校验失败（{problem}）：可能被篡改。请保留现状并报告。",
                            "The audit log fails its check from entry {seq} ({problem}): it may have been tampered "
                            "with. Keep things as they are and report it."),
    "doctor_registry_mismatch": ("数据库与密钥文件不属于同一个登记库。", "The database and the key file belong to different registries."),
    "doctor_backup_never": ("从未备份。请立即备份（建议每 {limit} 天一次）。", "Never backed up. Make a backup now (every {limit} days is advised)."),
    "doctor_backup_overdue": ("上次备份在 {days} 天前，超过了 {limit} 天的提醒期限。请立即备份。",
                              "The last backup was {days} days ago, more than the {limit}-day reminder. Back up now."),
    "doctor_backup_ok": ("上次备份在 {days} 天前（提醒期限 {limit} 天）。", "Last backup {days} days ago (reminder after {limit} days)."),
    "doctor_users_without_slot": ("有 {count} 位在职用户没有密钥，无法登录：请管理员为其重设密码。",
                                  "{count} active user(s) have no key slot and cannot sign in: an administrator should reset their password."),
    "doctor_orphan_slots": ("密钥文件中有 {count} 个不属于任何用户的密钥（可能是添加用户时被中断）。",
                            "{count} key slot(s) belong to no user (perhaps an interrupted user creation)."),
    "doctor_disk_ok": ("磁盘剩余空间 {free_mb} MB。", "{free_mb} MB free on the disk."),
    "doctor_disk_low": ("磁盘剩余空间只有 {free_mb} MB，请尽快腾出空间。", "Only {free_mb} MB free on the disk: free some space soon."),
    "doctor_files": ("数据库 {db_mb} MB，日志文件 {wal_mb} MB。", "Database {db_mb} MB, write-ahead log {wal_mb} MB."),
    "doctor_found_problems": ("体检发现严重问题（见上），请按提示处理。", "The check-up found serious problems (see above)."),
    "doctor_in_use": ("登记库正在另一个程序窗口中使用。", "The registry is in use in another window of the program."),
    # --- county CA, certificates and signed reports (commands/pki.py, services/reports.py, services/statistics.py)
    "crl_older": ("该吊销列表比本机已安装的更旧，未安装（安装旧列表会使已吊销的证书重新有效）。",
                  "This revocation list is older than the one installed; not installed (it would un-revoke certificates)."),
    "trusted_ca_missing": ("本机尚未安装县级证书机构证书：请先安装县民政局签发的证书文件。",
                           "The county CA certificate is not installed here: install the certificate file from the county first."),
    "signing_certificate_revoked": ("您的签名证书已被吊销，不能签名。{action}",
                                    "Your signing certificate has been revoked; you cannot sign. {action}"),
    "year_invalid": ("统计年度应在 {min} 至 {max} 年之间。", "The year must be between {min} and {max}."),
    "statistics_unprotectable": ("统计表中有 {cells} 个隐匿的数值无法得到充分保护，未生成报表。请联系技术支持。",
                                 "{cells} hidden values of the statistics could not be fully protected: no "
                                 "report was made. Please contact support."),
    "report_output_missing": ("没有指定输出文件：{action}", "No output file was given: {action}"),
    "period_invalid": ("统计期间无效：起始年度应在 {min} 至 {max} 年之间，不晚于截止年度，且不超过 {span} 年。",
                       "Invalid period: the first year must be between {min} and {max}, not after the last year, "
                       "and the period at most {span} years."),
    "ca_name_invalid": ("证书机构名称不能为空，且不超过 {max_length} 个字。",
                        "The CA name must not be empty and at most {max_length} characters."),
    "organization_invalid": ("单位名称不能为空，且不超过 {max_length} 个字。",
                             "The organization must not be empty and at most {max_length} characters."),
    "county_invalid": ("县（区）名称不能为空，且不超过 {max_length} 个字。",
                       "The county name must not be empty and at most {max_length} characters."),
    "township_invalid": ("乡镇名称不能为空，且不超过 {max_length} 个字。",
                         "The township name must not be empty and at most {max_length} characters."),
    "common_name_invalid": ("证书上的姓名不能为空，且不超过 {max_length} 个字。",
                            "The name on the certificate must not be empty and at most {max_length} characters."),
    # --- attachments, ledger import, paper verification (issue 18)
    "attachment_too_large": ("附件过大（{size_mb} MB）：每个附件不得超过 {max_mb} MB。请降低扫描分辨率或分成几份后再添加。",
                             "The attachment is too large ({size_mb} MB): at most {max_mb} MB per file. Scan at a "
                             "lower resolution or split it, then add it again."),
    "attachment_empty": ("文件是空的，不能作为附件。", "The file is empty and cannot be attached."),
    "attachment_type_unsupported": ("只能添加 PDF、JPEG、PNG 或 TIFF 文件（按文件内容判断，不看扩展名）。",
                                    "Only PDF, JPEG, PNG or TIFF files can be attached (judged by content, not "
                                    "by the file name)."),
    "attachment_pdf_unreadable": ("该 PDF 无法读取（已损坏或设有密码），不能作为附件。",
                                  "This PDF cannot be read (damaged or password-protected); it cannot be attached."),
    "attachment_source_unreadable": ("无法读取要添加的文件。", "The file to attach cannot be read."),
    "attachment_damaged": ("附件内容校验失败（已损坏），请从备份恢复。",
                           "The attachment failed its integrity check (damaged); restore it from a backup."),
    "attachment_external_not_confirmed": ("用其他程序打开附件前须先确认提示。",
                                          "Confirm the warning before opening an attachment in another program."),
    "ledger_unreadable": ("台账文件无法读取（仅支持 .xlsx 和 .csv，CSV 须为 UTF-8 或 GB18030 编码）。",
                          "The ledger cannot be read (only .xlsx and .csv; CSV in UTF-8 or GB18030)."),
    "ledger_too_many_rows": ("台账超过 {max} 行，请分成几份导入。", "The ledger has more than {max} rows; import it in parts."),
    "ledger_empty": ("台账中没有找到表头或数据行。", "No header row or data rows were found in the ledger."),
    "ledger_name_column_missing": ("台账缺少“姓名”列（或未对应到姓名），无法导入。",
                                   "The ledger has no name column (or none is mapped to the name); cannot import."),
    "ledger_mapping_invalid": ("列对应文件无效：{detail}", "The column mapping file is invalid: {detail}"),
    "ledger_rows_invalid": ("台账有 {count} 行有错误，整份台账未导入（未建立任何档案）。请更正后重新导入。",
                            "{count} rows of the ledger have errors; nothing was imported (no file was created). "
                            "Correct them and import again."),
    "ledger_cell_number_id": ("身份证号被存成了数字（{cell}），末位或后几位可能已丢失：请把该列设为文本后重新填写。",
                              "The ID number was stored as a number ({cell}); its last digits may be lost: format "
                              "the column as text and enter it again."),
    "ledger_cell_date": ("日期无法识别（{cell}），请写成 2024-03-15 或 2024年3月15日。",
                         "The date cannot be read ({cell}); write it as 2024-03-15 or 2024年3月15日."),
    "ledger_cell_sex": ("性别无法识别（{cell}），请填写“男”或“女”。", "The sex cannot be read ({cell}); enter 男 or 女."),
    "ledger_township_unknown": ("乡镇“{township}”在本登记库中不存在（{cell}）。",
                                "Township {township} does not exist in this registry ({cell})."),
    "ledger_duplicate_in_sheet": ("与台账第 {other} 行是同一人（身份证号相同）。",
                                  "Same person as row {other} of the ledger (same ID number)."),
    "paper_code_invalid": ("核验码格式不正确（应如 FG1-ABCDEFGH-2-ABCDEFGH）。",
                           "The check code is malformed (it looks like FG1-ABCDEFGH-2-ABCDEFGH)."),
    "paper_image_no_code": ("图片中没有找到本系统打印的二维码。请拍得更清楚一些，或直接输入页脚的核验码。",
                            "No QR code of this program was found in the image. Take a clearer picture, or type "
                            "the check code from the page footer."),
    "paper_code_collision": ("打印编号重复（极少发生），请重新打印。", "The print id collided (very rare); print again."),
    "paper_image_unreadable": ("图片文件无法读取。", "The image file cannot be read."),
    # --- progress stages of long operations (fanguai_desk/progress.py): shown beside a progress bar
    "export_records": ("正在收集记录", "Collecting records"),
    "export_attachments": ("正在收集附件", "Collecting attachments"),
    "export_parts": ("正在逐卷导出（收集、签名、加密、写入）", "Exporting part by part (collect, sign, encrypt, write)"),
    "export_sign": ("正在签名并加密", "Signing and encrypting"),
    "export_write": ("正在写入文件", "Writing the file"),
    "import_open": ("正在解密并核对签名", "Decrypting and checking the signature"),
    "import_parts": ("正在逐卷解密、核对并合并", "Decrypting, checking and merging part by part"),
    "import_merge": ("正在合并记录", "Merging records"),
    "import_check": ("正在核对档案与重复", "Checking files and duplicates"),
    "import_save": ("正在保存", "Saving"),
    "backup_snapshot": ("正在复制数据库", "Copying the database"),
    "backup_write": ("正在写入加密备份", "Writing the encrypted backup"),
    "restore_extract": ("正在读取并核对备份", "Reading and checking the backup"),
    "restore_unlock": ("正在验证密码", "Checking the password"),
    "restore_check": ("正在检查恢复的数据库", "Checking the restored database"),
    "restore_finish": ("正在完成恢复", "Finishing the restore"),
    "purge_collect": ("正在查找要删除的记录", "Finding the records to delete"),
    "purge_delete": ("正在删除", "Deleting"),
    "purge_wal": ("正在清除残留数据", "Clearing leftover data"),
}


def stage_text(stage: str, lang: str = "zh_CN") -> str:
    """The words for a progress stage (fanguai_desk/progress.py) in the user's language; the code if unknown."""
    pair = MESSAGES.get(stage)
    if pair is None:
        return stage
    return pair[1] if lang.startswith("en") else pair[0]


#: What to do, in each front end's own words.  A message with an ``{action}`` placeholder states the facts; the
#: command line fills in the command to type (``cli``), the desktop app the menu, page or button to use (``gui``)
#: — never a command.  An action may use the message's own parameters.  code: {front: (zh_CN, en)}
_RESTORE_GUI = ("请联系管理员从最近的备份恢复登记库。", "Ask your administrator to restore the registry from the latest backup.")
_RESTORE_CLI = ("请用 restore 从备份恢复。", "Restore it from a backup with `restore`.")
_SLOTS_GUI = ("请联系管理员从最近的备份取回密钥文件（只取回密钥文件，数据库保持不动）。",
              "ask your administrator to take the key file back from the latest backup (the key file only; the "
              "database stays as it is).")
_CATCH_UP_GUI = ("请在本机“数据交换 → 导出”中勾选“补发督导尚未确认收到的全部变更”后再导出。",
                 "On this laptop, tick “Also resend everything the supervisor has not confirmed” under Data exchange "
                 "→ Export, then export.")
_OLDER_CLI = ("确要继续使用这个旧副本，运行 doctor --accept-older（会记入审计日志）；只需查看可加 --read-only。",
              "To go on with this older copy on purpose, run `doctor --accept-older` (it is audited); to only look, "
              "add --read-only.")
_OLDER_GUI = ("确要继续使用这个旧副本，请联系管理员确认（会记入审计日志）。",
              "To go on with this older copy on purpose, ask your administrator to confirm it (it is audited).")
ACTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "registry_rolled_back_behind": {"cli": _OLDER_CLI, "gui": _OLDER_GUI},
    "registry_rolled_back_diverged": {"cli": _OLDER_CLI, "gui": _OLDER_GUI},
    "doctor_rolled_back_behind": {"cli": _OLDER_CLI, "gui": _OLDER_GUI},
    "doctor_rolled_back_diverged": {"cli": _OLDER_CLI, "gui": _OLDER_GUI},
    "doctor_state_drift": {
        "cli": ("请用 doctor --repair 按记录重新计算（管理员），并报告。",
                "Recompute it from the records with `doctor --repair` (administrators), and report it."),
        "gui": ("请联系管理员重新计算维护状态，并报告。",
                "Ask your administrator to recompute the maintained state, and report it.")},
    "database_missing": {"cli": _RESTORE_CLI, "gui": _RESTORE_GUI},
    "database_empty": {"cli": _RESTORE_CLI, "gui": _RESTORE_GUI},
    "database_corrupt": {
        "cli": ("请从备份恢复（fanguai-desk restore），并保留损坏的文件以便检查。",
                "Restore from a backup (fanguai-desk restore) and keep the damaged file for inspection."),
        "gui": ("请联系管理员从备份恢复，并保留损坏的文件以便检查。",
                "Ask your administrator to restore from a backup, and keep the damaged file for inspection.")},
    "slots_corrupt": {
        "cli": ("请用“restore 备份文件 --slots-only --data 数据目录”从最近的备份取回密钥文件。",
                "take the key file back from your latest backup with “restore BACKUP --slots-only --data DIR”."),
        "gui": _SLOTS_GUI},
    "slots_missing": {
        "cli": ("请用任一备份中的密钥文件恢复：fanguai-desk restore 备份文件 --slots-only。",
                "Take the key file from any backup: fanguai-desk restore BACKUP --slots-only."),
        "gui": ("请联系管理员从任一备份取回密钥文件。", "Ask your administrator to take the key file back from any backup.")},
    "doctor_slots_unusable": {
        "cli": ("请用备份中的密钥文件恢复（restore --slots-only）。", "Take them from a backup (restore --slots-only)."),
        "gui": ("请联系管理员从备份取回密钥文件。", "Ask your administrator to take them back from a backup.")},
    "doctor_recovery_missing": {
        "cli": ("请生成恢复密钥（recovery-key --regenerate）。", "Make one (recovery-key --regenerate)."),
        "gui": ("请联系管理员生成恢复密钥并打印保存。", "Ask your administrator to make one and keep it printed.")},
    "disk_io_error": {
        "cli": ("请运行体检（doctor）并考虑从备份恢复。", "run doctor and consider restoring from a backup."),
        "gui": ("请在“设置 / 用户 → 维护与备份”中点“开始体检”，并考虑从备份恢复。",
                "click “Run the check-up” under Settings / users → Maintenance and backups, and consider restoring "
                "from a backup.")},
    "visit_planned_in_past": {
        "cli": ("确认无误请加 --confirm-past。", "If it is right, add --confirm-past."),
        "gui": ("确认无误请在提示框中点“是”。", "If it is right, answer “Yes” when asked.")},
    "purge_clock_unconfirmed": {
        "cli": ("确认后再删除（命令行加 --confirm-clock）。", "confirm with --confirm-clock."),
        "gui": ("确认无误后在删除前的提示框中点“是”。", "answer “Yes” in the question before deleting.")},
    "transfer_untrusted_county": {
        "cli": ("（ca trust-peer）", " (ca trust-peer)"),
        "gui": ("", "")},  # the desktop app has no such step: an administrator does it
    "bundle_gap": {
        "cli": ("如已丢失，请乡镇在其电脑上执行“export --resend {first}”（缺少的编号逐个重新生成）或“export --catch-up”补发，",
                "if lost, ask the township to run “export --resend {first}” (for each missing number) or "
                "“export --catch-up” on its laptop,"),
        "gui": ("如已丢失，请乡镇在其电脑的“数据交换 → 导出”中勾选“补发督导尚未确认收到的全部变更”后再导出，",
                "if lost, ask the township to tick “Also resend everything the supervisor has not confirmed” under "
                "Data exchange → Export on its laptop and export again,")},
    "resend_unknown": {
        "cli": ("请用“export --catch-up”补发。", "Use “export --catch-up” instead."),
        "gui": _CATCH_UP_GUI},
    "binding_not_confirmed": {
        "cli": ("--township 必须与申请文件中的乡镇一致（县级督导填 *）。",
                "--township must name the township in the request (* for a county supervisor)."),
        "gui": ("签发前请在确认框中核对申请文件中的乡镇。", "check the township named in the request when asked before issuing.")},
    "recovery_admin_ambiguous": {
        "cli": ("请用 --admin 指定要重设密码的管理员。", "name the one to reset with --admin."),
        "gui": ("请指明要重设密码的管理员。", "say which one to reset.")},
    "signing_certificate_revoked": {
        "cli": ("请重新申请证书（enrol --replace），或使用 --unsigned 打印草稿。",
                "Enrol again (enrol --replace), or print an unsigned draft (--unsigned)."),
        "gui": ("请在“设置 / 用户 → 证书”中点“申请证书…”重新申请。",
                "Request a new one under Settings / users → Certificates (“Request a certificate…”).")},
    "report_output_missing": {
        "cli": ("请用 --out 指定 PDF 文件，或用 --xlsx 指定电子表格文件（可同时指定）。",
                "give --out for the PDF or --xlsx for the spreadsheet (or both)."),
        "gui": ("请选择保存 PDF 或电子表格的位置。", "choose where to save the PDF or the spreadsheet.")},
}


def fill(template: str, params: dict[str, object]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def action_text(code: str, params: dict[str, object], lang: str = "zh_CN", front: str = "cli") -> str:
    """What to do about ``code`` in one front end's words ("" when the message has no action)."""
    pair = ACTIONS.get(code, {}).get(front)
    if pair is None:
        return ""
    return fill(pair[1] if lang.startswith("en") else pair[0], params)


def render(error: FanguaiError, lang: str = "zh_CN") -> str:
    """The error as one line in the user's language.  Unknown codes fall back to the class's generic text."""
    zh, en = MESSAGES.get(error.code) or MESSAGES.get(type(error).code) or MESSAGES["error"]
    template = en if lang.startswith("en") else zh
    params = dict(error.params)
    params.setdefault("action", action_text(error.code, params, lang, "cli"))
    record_type, reason = params.get("record_type"), params.get("reason")
    if isinstance(record_type, str) and record_type in RECORD_WORDS:  # a record type in words
        params["record_type"] = RECORD_WORDS[record_type][1 if lang.startswith("en") else 0]
    if isinstance(reason, str) and f"refusal_reason_{reason}" in MESSAGES:
        params["reason"] = MESSAGES[f"refusal_reason_{reason}"][1 if lang.startswith("en") else 0]
    # the record's id, for whoever looks into a refused bundle (the desktop app shows the type alone)
    params.setdefault("record_ref", f" {params['record_id']}" if params.get("record_id") else "")
    rule = params.get("rule")
    if isinstance(rule, str):  # a refusal that wraps another rule: show that rule's own words
        inner_zh, inner_en = MESSAGES.get(rule, MESSAGES["rule_violation"])
        inner = inner_en if lang.startswith("en") else inner_zh
        try:
            params.setdefault("rule_text", inner.format(**params))
        except (KeyError, IndexError, ValueError):
            params.setdefault("rule_text", inner)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
