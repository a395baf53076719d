"""CLI: printed reports (signed PDFs) and their verification.

    fanguai-desk report followup --visit ID --out F.pdf [--full-name] [--unsigned] [--purpose 存档]
    fanguai-desk report file --victim ID --out F.pdf [--full-name] [--unsigned] [--purpose 移交] [--handover-to 单位]
    fanguai-desk report annual --year Y [--out F.pdf] [--xlsx F.xlsx] [--unsigned]
    fanguai-desk report period --from Y1 --to Y2 [--out F.pdf] [--xlsx F.xlsx] [--unsigned]
    fanguai-desk verify F.pdf [--ca county.crt] [--crl F]…

Reports are signed with the user's certificate unless ``--unsigned``; names and ID numbers are masked
unless ``--full-name`` (recorded in the audit log).  ``verify --ca`` needs no registry and no password;
without ``--ca`` the registry's trusted county CA and installed CRLs are used.  ``verify`` exits 1 when the
signature is not valid.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from fanguai_desk.commands.common import emit, local_time, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.commands.pki import ensure_writable, read_input, write_output

KIND_TITLES = {"followup": ("回访记录表", "follow-up record"), "file": ("专门档案摘要", "file summary"),
               "annual": ("年度工作情况统计表", "annual statistics"),
               "period": ("阶段工作情况统计表", "period statistics")}

VERDICTS = {
    "valid": ("有效：文件未被改动，签名人证书由县级证书机构签发且未被吊销。",
              "Valid: the file is unchanged, and the signer's certificate was issued by the county CA and is not "
              "revoked."),
    "tampered": ("无效：签名后文件内容已被改动，或签名已损坏。",
                 "Not valid: the file was changed after signing, or the signature is damaged."),
    "revoked": ("无效：签名人的证书已被县级证书机构吊销。", "Not valid: the county CA revoked the signer's certificate."),
    "crl_outdated": ("无法确认：已安装的证书吊销列表已过期，请安装县民政局最新的吊销列表后再验证。",
                     "Cannot tell: the installed revocation list is out of date. Install the county's latest "
                     "revocation list and verify again."),
    "certificate_expired": ("无效：签名人的证书已过期。", "Not valid: the signer's certificate has expired."),
    "certificate_not_yet_valid": ("无效：签名人的证书尚未生效（请检查电脑时间）。",
                                  "Not valid: the signer's certificate is not valid yet (check the computer's "
                                  "clock)."),
    "untrusted": ("不可信：签名完好，但签名人证书不是由本县证书机构签发的。",
                  "Not trusted: the signature is intact, but the signer's certificate was not issued by this "
                  "county's CA."),
    "modified_after_signing": ("签名本身有效，但签名之后文件又被追加了内容。",
                               "The signature itself is valid, but content was added to the file after signing."),
    "unsigned": ("该 PDF 没有数字签名。", "This PDF has no digital signature."),
    "not_signing_certificate": ("无效：该签名使用的是加密证书，只有签名证书可以签名。",
                                "Not valid: it was signed with an encryption certificate; only signing "
                                "certificates may sign."),
}


def _kind(name: str) -> str:
    return t(*KIND_TITLES[name])


def _verdict(code: str) -> str:
    pair = VERDICTS.get(code)
    return t(*pair) if pair else code


def cmd_stat_report(args: argparse.Namespace) -> None:
    """annual / period: the signed PDF (``--out``) and/or the spreadsheet (``--xlsx``) of the same tables."""

    if not args.out and not args.xlsx:
        from fanguai_desk.domain.errors import ValidationError

        raise ValidationError("report_output_missing")
    for path in (args.out, args.xlsx):
        if path:
            ensure_writable(path)
    sign = not args.unsigned
    written: dict[str, int] = {}
    desk = open_desk(args)
    try:
        service = desk.reports
        if args.report_cmd == "annual":
            view = service.annual_view(args.year)
        else:
            view = service.period_view(args.first, args.last)
        if args.out:
            pdf = service.stat_pdf(view, sign=sign)
            write_output(args.out, pdf)
            written[args.out] = len(pdf)
        if args.xlsx:
            data = service.workbook(view)
            write_output(args.xlsx, data)
            written[args.xlsx] = len(data)
    finally:
        desk.close()
    emit(args, {"report": args.report_cmd, "out": args.out, "xlsx": args.xlsx, "bytes": written,
                "signed": sign and bool(args.out), "primary_suppressed": len(view.book.primary),
                "complementary_suppressed": len(view.book.complementary)},
         lambda: [t(f"已生成{_kind(args.report_cmd)}（{'已签名' if sign else '未签名'}）→ {args.out}",
                    f"{_kind(args.report_cmd).capitalize()} written ({'signed' if sign else 'unsigned'}) "
                    f"→ {args.out}")] * bool(args.out)
         + [t(f"已生成{_kind(args.report_cmd)}电子表格 → {args.xlsx}",
              f"{_kind(args.report_cmd).capitalize()} spreadsheet written → {args.xlsx}")] * bool(args.xlsx)
         + [t(f"小数隐匿：{len(view.book.primary)} 个单元格显示为“<5”，另有 {len(view.book.complementary)} "
              "个单元格互补隐匿（×）。",
              f"Small numbers hidden: {len(view.book.primary)} cell(s) show “<5”, and "
              f"{len(view.book.complementary)} more are hidden to protect them (×).")])


def cmd_report(args: argparse.Namespace) -> None:
    ensure_writable(args.out)
    desk = open_desk(args)
    try:
        service = desk.reports
        sign = not args.unsigned
        if args.report_cmd == "followup":
            pdf = service.followup_record(args.visit, full_name=args.full_name, sign=sign, purpose=args.purpose)
        elif args.report_cmd == "file":
            pdf = service.file_summary(args.victim, full_name=args.full_name, sign=sign, purpose=args.purpose,
                                       handover_to=args.handover_to)
        else:
            raise SystemExit(2)
        write_output(args.out, pdf)
    finally:
        desk.close()
    full = bool(getattr(args, "full_name", False))
    emit(args, {"report": args.report_cmd, "out": args.out, "bytes": len(pdf), "signed": sign, "full_name": full},
         lambda: [t(f"已生成{_kind(args.report_cmd)}（{'已签名' if sign else '未签名'}"
                    f"{'，显示完整姓名，已记入审计日志' if full else ''}）→ {args.out}",
                    f"{_kind(args.report_cmd).capitalize()} written ({'signed' if sign else 'unsigned'}"
                    f"{', with full names, recorded in the audit log' if full else ''}) → {args.out}")])


def _local(moment: datetime | None) -> str:
    return local_time(moment, seconds=True) if moment else "—"


def cmd_verify(args: argparse.Namespace) -> None:
    pdf = read_input(args.pdf)
    extra_crls = [read_input(path) for path in args.crl or ()]
    from fanguai_desk.reports.verify import verify_pdf
    from fanguai_desk.services.pki import load_certificate

    if args.ca:
        result = verify_pdf(pdf, [load_certificate(read_input(args.ca))], extra_crls)
    else:
        desk = open_desk(args)
        try:
            pki = desk.pki
            ca = pki.trusted_ca()
            result = verify_pdf(pdf, [ca] if ca is not None else [], [*pki.crls(), *extra_crls])
        finally:
            desk.close()
    data: dict[str, Any] = {"file": args.pdf, **vars(result)}

    def lines() -> list[str]:
        if not result.signed:
            return [_verdict("unsigned")]
        return [
            t(f"签名人：{result.signer or '（无法识别）'}", f"Signer: {result.signer or '(not recognised)'}"),
            t(f"签名时间：{_local(result.signed_at)}（签名人电脑时间，离线签名无时间戳）",
              f"Signed at: {_local(result.signed_at)} (the signer's computer clock; offline signatures have no "
              "time stamp)"),
            t(f"文件完整：{'是，签名后未被改动' if result.intact else '否，已被改动（篡改）'}",
              f"File intact: {'yes, unchanged since signing' if result.intact else 'no, it was changed (tampered)'}"),
            t(f"证书可信：{'是（县级证书机构签发）' if result.trusted else '否'}",
              f"Certificate trusted: {'yes (issued by the county CA)' if result.trusted else 'no'}"),
            t(f"证书吊销：{'已吊销' if result.revoked else '未吊销'}",
              f"Certificate revoked: {'yes' if result.revoked else 'no'}"),
            t("结论：", "Verdict: ") + _verdict(result.summary_code),
        ]

    emit(args, data, lines)
    if result.summary_code != "valid":
        raise SystemExit(1)


PAPER_STATUS = {
    "genuine": ("真实：本页是登记库签发的签名打印件。", "Genuine: this page is a signed print made by the registry."),
    "unknown": ("无法确认：本登记库没有这份打印件的记录（可能是伪造的，或由尚未导入的其他电脑打印）。",
                "Cannot tell: this registry has no record of this print (it may be forged, or printed on another "
                "laptop whose data has not been imported yet)."),
    "forged": ("不真实：核验码与打印记录不符（页码或核验码被改动，或为伪造）。",
               "Not genuine: the check code does not match the print record (page number or code altered, or "
               "forged)."),
}
REPORT_TITLES = {"followup_record": ("回访记录表", "Follow-up record"), "file_summary": ("专门档案摘要", "File summary"),
                 "annual": ("年度工作情况统计表", "Annual statistics")}


def cmd_verify_paper(args: argparse.Namespace) -> None:
    from fanguai_desk.reports.signing import beijing_text

    if (args.code is None) == (args.image is None):
        from fanguai_desk.commands.common import CliError

        raise CliError("请给出核验码，或用 --image 指定扫描件/照片。", "Give a code, or a scan/photo with --image.")
    image = read_input(args.image) if args.image else None
    desk = open_desk(args)
    try:
        service = desk.paper
        verdict = service.verify_image(image) if image is not None else service.verify(args.code)
    finally:
        desk.close()

    def beijing_time(moment: datetime) -> str:
        return t(beijing_text(moment), beijing_text(moment).replace(" 北京时间", " Beijing time"))

    def lines() -> list[str]:
        out = [t(f"核验码：{verdict.code}", f"Check code: {verdict.code}"),
               t("结论：", "Verdict: ") + t(*PAPER_STATUS[verdict.status])]
        if verdict.genuine:
            title = REPORT_TITLES.get(verdict.report or "")
            when = beijing_time(verdict.signed_at) if verdict.signed_at else "—"
            out += [
                t("文件：", "Document: ") + (t(*title) if title else str(verdict.report))
                + (t(f"（档案编号 {verdict.file_number}）", f" (file {verdict.file_number})") if verdict.file_number
                   else ""),
                t(f"页码：第 {verdict.page} 页 共 {verdict.pages} 页", f"Page: {verdict.page} of {verdict.pages}"),
                t("签名人：", "Signer: ") + (verdict.signer_name or "—"),
                t(f"签名时间：{when}", f"Signed at: {when}"),
                t(f"签名证书指纹（SHA-256）：{verdict.signer_fingerprint}",
                  f"Signing certificate fingerprint (SHA-256): {verdict.signer_fingerprint}"),
                t(f"签名 PDF 的 SHA-256：{verdict.pdf_sha256}", f"SHA-256 of the signed PDF: {verdict.pdf_sha256}"),
            ]
            if verdict.superseded_by:
                later = beijing_time(verdict.superseded_at) if verdict.superseded_at else ""
                out.append(t(f"注意：该记录之后又签发了新的打印件（{verdict.superseded_by}，{later}），本件已被取代。",
                             f"Note: a newer signed print of this record was made later ({verdict.superseded_by}, "
                             f"{later}); this one is superseded."))
            else:
                out.append(t("这是该记录最新的签名打印件。", "This is the latest signed print of this record."))
        return out

    emit(args, verdict, lines)
    if not verdict.genuine:
        raise SystemExit(1)


def register(sub: Any) -> None:
    r = sub.add_parser("report", help="打印报表（PDF，默认数字签名）").add_subparsers(dest="report_cmd", required=True)
    rf = r.add_parser("followup", help="回访记录表")
    rf.add_argument("--visit", required=True, help="回访记录 ID")
    rv = r.add_parser("file", help="专门档案摘要（移交用）")
    rv.add_argument("--victim", required=True, help="档案 ID")
    rv.add_argument("--handover-to", help="接收单位（人）")
    for p in (rf, rv):
        p.add_argument("--full-name", action="store_true", help="显示完整姓名和身份信息（记入审计日志）")
        p.add_argument("--purpose", help="打印用途（默认：回访记录“存档”，档案摘要“移交”）")
    for p in (rf, rv):
        p.add_argument("--out", required=True)
        p.add_argument("--unsigned", action="store_true", help="不签名（无证书时的草稿）")
        p.set_defaults(func=cmd_report)
    ra = r.add_parser("annual", help="年度工作情况统计表（无姓名、无证件号；小数隐匿，见 docs/statistics.md）")
    ra.add_argument("--year", type=int, required=True)
    rp = r.add_parser("period", help="阶段工作情况统计表（每年一行及趋势图，用于阶段性评估和终期评估）")
    rp.add_argument("--from", dest="first", type=int, required=True, help="起始年度，如 2021")
    rp.add_argument("--to", dest="last", type=int, required=True, help="截止年度，如 2025 或 2030")
    for p in (ra, rp):
        p.add_argument("--out", help="PDF 文件（默认数字签名）")
        p.add_argument("--xlsx", help="同样的统计表，电子表格（.xlsx，每表一页）")
        p.add_argument("--unsigned", action="store_true", help="不签名（无证书时的草稿）")
        p.set_defaults(func=cmd_stat_report)

    v = sub.add_parser("verify", help="验证 PDF 的数字签名")
    v.add_argument("pdf")
    v.add_argument("--ca", help="县级证书机构证书文件（指定后无需登记库和密码）")
    v.add_argument("--crl", action="append", help="证书吊销列表文件（可重复）")
    v.set_defaults(func=cmd_verify)

    vp = sub.add_parser("verify-paper", help="核验纸质打印件（页脚核验码或二维码照片）")
    vp.add_argument("code", nargs="?", help="页脚的核验码，如 FG1-ABCDEFGH-2-ABCDEFGH")
    vp.add_argument("--image", help="扫描件或照片（PNG、JPEG、TIFF），自动识别二维码")
    vp.set_defaults(func=cmd_verify_paper)
