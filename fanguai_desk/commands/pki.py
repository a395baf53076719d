"""CLI: the county certificate authority, enrolment, certificates and revocation lists.

On the supervisor's laptop (the county CA)::

    fanguai-desk ca init --name 某县民政局数字证书中心 --org 某县民政局   # CA password: FANGUAI_CA_PASSWORD,
    fanguai-desk ca export-cert --out county.crt [--der]                  #   --ca-password-file F, or a prompt
    fanguai-desk ca export-p12 --out county-ca.p12                         # offline safe copy (still encrypted)
    fanguai-desk ca issue REQUEST --out CERTS --township 青龙镇 [--days 730]   (* for a county supervisor)
    fanguai-desk ca list
    fanguai-desk ca revoke SERIAL… --out CRL
    fanguai-desk ca crl --out CRL                                          # a fresh CRL (before the old expires)

On every laptop, for the signed-in user::

    fanguai-desk enrol --out REQUEST [--name 中文名] [--replace]
    fanguai-desk install CERTS
    fanguai-desk install-crl CRL
    fanguai-desk cert show
    fanguai-desk cert export-encryption --out sup.crt                      # what townships export to
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from fanguai_desk.commands.common import CliError, emit, open_desk, read_secret_file
from fanguai_desk.commands.common import local_time as _local_time
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.errors import NotFound
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.pki.binding import binding_of
from fanguai_desk.pki.ca import load_crl
from fanguai_desk.pki.enrolment import EnrolmentRequest, IssuedBundle
from fanguai_desk.store.atomic import atomic_write_bytes

CA_PASSWORD_ENV = "FANGUAI_CA_PASSWORD"
MAX_FILE_BYTES = 1024 * 1024
PURPOSE_LABELS = {"signing": ("签名", "signing"), "encryption": ("加密", "encryption")}


def purpose_label(purpose: str) -> str:
    pair = PURPOSE_LABELS.get(purpose)
    return t(*pair) if pair else purpose


# ----------------------------------------------------------------------------- helpers


def read_input(path: str) -> bytes:
    """A small input file (request, certificate, CRL, PDF); a CliError when it cannot be read."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES * 64:
            raise CliError("文件过大。", "The file is too large.")
        return p.read_bytes()
    except OSError:
        raise CliError(f"无法读取文件：{p.name}", f"Cannot read the file: {p.name}") from None


def write_output(path: str, data: bytes, mode: int = 0o600) -> None:
    """Atomic write (temp file, fsync, rename): a half-written file never replaces a good one."""
    try:
        atomic_write_bytes(Path(path), data, mode)
    except OSError:
        raise CliError("无法写入输出文件（路径不存在、磁盘已满或只读？）。",
                       "Cannot write the output file (missing folder, disk full or read-only?).") from None


def ensure_writable(path: str) -> None:
    """Fail before the work (and before its audit entry) when the output cannot be written."""
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise CliError("输出文件所在的文件夹不存在或不可写。", "The output folder does not exist or is not writable.")


def fingerprint_text(data: bytes) -> str:
    """SHA-256 in groups of four, for comparing by eye or over the phone."""
    digest = hashlib.sha256(data).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def cert_fingerprint_text(cert: x509.Certificate) -> str:
    return fingerprint_text(cert.public_bytes(serialization.Encoding.DER))


def short_fingerprint(data: bytes) -> str:
    """The first 16 hex digits of SHA-256 (a request file's check code; the core's, as the desktop shows it)."""
    from fanguai_desk.services.pki import request_check_code

    return request_check_code(data)


def subject_text(name: x509.Name) -> str:
    def first(oid: x509.ObjectIdentifier) -> str:
        attrs = name.get_attributes_for_oid(oid)
        value = attrs[0].value if attrs else ""
        return value if isinstance(value, str) else value.decode("utf-8", "replace")

    parts = [first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATIONAL_UNIT_NAME), first(NameOID.ORGANIZATION_NAME)]
    return t("，", ", ").join(p for p in parts if p)


def local_time(moment: datetime) -> str:
    return _local_time(moment)


def normalize_serial(text: str) -> str:
    value = text.strip().lower().replace(":", "").replace(" ", "")
    return value[2:] if value.startswith("0x") else value


def ca_password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """The CA password: FANGUAI_CA_PASSWORD, --ca-password-file, or a prompt (twice when creating)."""
    if os.environ.get(CA_PASSWORD_ENV):
        return os.environ[CA_PASSWORD_ENV]
    if getattr(args, "ca_password_file", None):
        return read_secret_file(args.ca_password_file)
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(t("证书机构密码: ", "CA password: "))
        if confirm and getpass.getpass(t("再次输入证书机构密码: ", "CA password again: ")) != first:
            raise CliError("两次输入的密码不一致。", "The passwords do not match.")
        return first
    raise CliError(f"需要证书机构密码：请设置环境变量 {CA_PASSWORD_ENV}、使用 --ca-password-file，或在终端中运行。",
                   f"The CA password is needed: set {CA_PASSWORD_ENV}, use --ca-password-file, or run in a terminal.")


def _trusted_ca_or_fail(pki: Any) -> x509.Certificate:
    ca: x509.Certificate | None = pki.trusted_ca()
    if ca is None:
        raise NotFound("trusted_ca_missing")
    return ca


# ----------------------------------------------------------------------------- ca (supervisor laptop)


def cmd_ca(args: argparse.Namespace) -> None:
    if getattr(args, "out", None):
        ensure_writable(args.out)
    desk = open_desk(args)
    try:
        pki = desk.pki
        # Who may, on which laptop, before the CA password is asked: a township laptop (or a user without the
        # role) is refused with its reason, not after typing a password it never needed.
        if args.ca_cmd in ("init", "issue", "revoke", "crl"):
            desk.uow.require(Permission.COUNTY_CA)
            password = ca_password(args, confirm=args.ca_cmd == "init")
        else:
            password = ""
        if args.ca_cmd == "init":
            cert = pki.ca_init(args.name, args.org, password)
            fp = cert_fingerprint_text(cert)
            emit(args, {"subject": cert.subject.rfc4514_string(), "fingerprint_sha256": fp.replace(" ", ""),
                        "not_after": cert.not_valid_after_utc},
                 lambda: [t(f"已创建县级证书机构：{subject_text(cert.subject)}",
                            f"County certificate authority created: {subject_text(cert.subject)}"),
                          t(f"有效期至：{local_time(cert.not_valid_after_utc)}",
                            f"Valid until: {local_time(cert.not_valid_after_utc)}"),
                          t(f"证书指纹（SHA-256）：{fp}", f"Certificate fingerprint (SHA-256): {fp}"),
                          t("请把该指纹抄写下来，发证时请各乡镇核对。证书机构私钥已用证书机构密码加密保存在本登记库中。",
                            "Write this fingerprint down: townships compare it when their certificates are issued. "
                            "The CA's private key is stored in this registry, encrypted with the CA password."),
                          t("下一步：ca export-cert --out county.crt；ca export-p12 --out county-ca.p12（存入离线介质）。",
                            "Next: ca export-cert --out county.crt; ca export-p12 --out county-ca.p12 "
                            "(keep it on offline media).")])
        elif args.ca_cmd == "issue":
            request = read_input(args.request)
            subject = EnrolmentRequest.from_file_bytes(request).subject()
            bundle = pki.ca_issue(request, password, args.days, confirm_township=args.township)
            issued = IssuedBundle.from_file_bytes(bundle)
            bound = binding_of(issued.signing_cert)
            write_output(args.out, bundle, 0o644)
            new_serials = {"signing": format(issued.signing_cert.serial_number, "x"),
                           "encryption": format(issued.encryption_cert.serial_number, "x")}
            emit(args, {"subject": subject.rfc4514_string(), "request_check_code": short_fingerprint(request),
                        "township": bound.township_name if bound else None, "role": bound.role if bound else None,
                        "serials": new_serials, "not_after": issued.signing_cert.not_valid_after_utc,
                        "out": args.out},
                 lambda: [t(f"已为 {subject_text(subject)} 签发证书 → {args.out}",
                            f"Certificates issued for {subject_text(subject)} → {args.out}"),
                          t(f"申请文件校验码：{short_fingerprint(request)}（请与申请人电脑上显示的一致）",
                            f"Request check code: {short_fingerprint(request)} (it must match the one shown on "
                            "the applicant's computer)"),
                          t(f"证书绑定：{bound.label() if bound else '（无）'}",
                            f"Bound to: {bound.label() if bound else '(none)'}"),
                          t(f"签名证书序列号：{new_serials['signing']}",
                            f"Signing certificate serial: {new_serials['signing']}"),
                          t(f"加密证书序列号：{new_serials['encryption']}",
                            f"Encryption certificate serial: {new_serials['encryption']}"),
                          t(f"有效期至：{local_time(issued.signing_cert.not_valid_after_utc)}",
                            f"Valid until: {local_time(issued.signing_cert.not_valid_after_utc)}")])
        elif args.ca_cmd == "list":
            rows = pki.issued()
            emit(args, rows, lambda: [
                f"{r.serial:<40} {purpose_label(r.purpose)}  "
                f"{subject_text(x509.Name.from_rfc4514_string(r.subject))}  {t('至', 'until')} {r.not_after:%Y-%m-%d}"
                + (t(f"  【已吊销 {r.revoked_at:%Y-%m-%d}】", f"  [revoked {r.revoked_at:%Y-%m-%d}]")
                   if r.revoked_at else "") for r in rows]
                 or [t("（尚未签发证书）", "(no certificates issued yet)")])
        elif args.ca_cmd in ("revoke", "crl"):
            serials = [normalize_serial(x) for x in args.serial] if args.ca_cmd == "revoke" else []
            crl_bytes = pki.ca_revoke(serials, password) if serials else pki.ca_crl(password)
            write_output(args.out, crl_bytes, 0o644)
            crl = x509.load_der_x509_crl(crl_bytes)
            revoked = len(list(crl))
            next_update = crl.next_update_utc
            emit(args, {"out": args.out, "revoked_total": revoked, "revoked_now": serials,
                        "next_update": next_update},
                 lambda: ([t(f"已吊销 {len(serials)} 张证书。", f"{len(serials)} certificate(s) revoked.")]
                          if serials else []) + [
                     t(f"已生成证书吊销列表（共 {revoked} 张已吊销证书）→ {args.out}",
                       f"Revocation list written ({revoked} revoked certificate(s) in all) → {args.out}"),
                     t(f"下次更新期限：{local_time(next_update) if next_update else '—'}；请在此之前重新生成（ca crl）。",
                       f"Next update due: {local_time(next_update) if next_update else '—'}; make a new one before "
                       "then (ca crl)."),
                     t("请把该文件带到每一台电脑上安装：fanguai-desk install-crl ",
                       "Take this file to every computer and install it: fanguai-desk install-crl ")
                     + Path(args.out).name])
        elif args.ca_cmd == "export-cert":
            cert = _trusted_ca_or_fail(pki)
            encoding = serialization.Encoding.DER if args.der else serialization.Encoding.PEM
            write_output(args.out, cert.public_bytes(encoding), 0o644)
            fp = cert_fingerprint_text(cert)
            emit(args, {"out": args.out, "fingerprint_sha256": fp.replace(" ", "")},
                 lambda: [t(f"已导出县级证书机构证书 → {args.out}", f"County CA certificate exported → {args.out}"),
                          t(f"证书指纹（SHA-256）：{fp}", f"Certificate fingerprint (SHA-256): {fp}")])
        elif args.ca_cmd == "export-p12":
            data = pki.ca_pkcs12()
            write_output(args.out, data, 0o600)
            emit(args, {"out": args.out},
                 lambda: [t(f"已导出证书机构备份（PKCS#12，仍由证书机构密码加密）→ {args.out}",
                            f"CA backup exported (PKCS#12, still encrypted with the CA password) → {args.out}"),
                          t("请存入离线介质并妥善保管；证书机构密码请另行密封保存。",
                            "Keep it on offline media in a safe place; seal the CA password separately.")])
    finally:
        desk.close()


# ----------------------------------------------------------------------------- the user's own keys


def cmd_enrol(args: argparse.Namespace) -> None:
    ensure_writable(args.out)
    desk = open_desk(args)
    try:
        pki = desk.pki
        if pki.my_certificates() and not args.replace:
            raise CliError("您已安装证书。重新申请会替换现有密钥，旧证书随之作废；确需重新申请请加 --replace。",
                           "You already have certificates. Enrolling again replaces your keys and voids them; "
                           "add --replace if you mean it.")
        request = pki.enrol(args.name)
        write_output(args.out, request, 0o644)
        subject = EnrolmentRequest.from_file_bytes(request).subject()
        code = short_fingerprint(request)
        emit(args, {"out": args.out, "subject": subject.rfc4514_string(), "request_check_code": code},
             lambda: [t(f"已生成证书申请文件 → {args.out}", f"Certificate request written → {args.out}"),
                      t(f"申请人：{subject_text(subject)}", f"Applicant: {subject_text(subject)}"),
                      t(f"申请文件校验码：{code}（发证时请督导核对）",
                        f"Request check code: {code} (the supervisor compares it when issuing)"),
                      t("私钥已加密保存在本登记库中，不在申请文件里。请将申请文件交县民政局签发证书，"
                        "然后运行 fanguai-desk install 证书文件。",
                        "The private key stays encrypted in this registry, not in the request. Take the request to "
                        "the county civil-affairs bureau to be issued, then run fanguai-desk install CERTS.")])
    finally:
        desk.close()


def cmd_install(args: argparse.Namespace) -> None:
    data = read_input(args.certs)
    desk = open_desk(args)
    try:
        desk.pki.install(data)
        bundle = IssuedBundle.from_file_bytes(data)
        fp = cert_fingerprint_text(bundle.ca_cert)
        emit(args, {"subject": bundle.signing_cert.subject.rfc4514_string(),
                    "ca_fingerprint_sha256": fp.replace(" ", ""),
                    "not_after": bundle.signing_cert.not_valid_after_utc},
             lambda: [t(f"已安装证书：{subject_text(bundle.signing_cert.subject)}，"
                        f"有效期至 {local_time(bundle.signing_cert.not_valid_after_utc)}",
                        f"Certificates installed: {subject_text(bundle.signing_cert.subject)}, "
                        f"valid until {local_time(bundle.signing_cert.not_valid_after_utc)}"),
                      t(f"县级证书机构：{subject_text(bundle.ca_cert.subject)}",
                        f"County CA: {subject_text(bundle.ca_cert.subject)}"),
                      t(f"证书机构指纹（SHA-256）：{fp}", f"CA fingerprint (SHA-256): {fp}"),
                      t("请核对该指纹与县民政局提供的一致。",
                        "Check by phone that this fingerprint is the one the county bureau gave you.")])
    finally:
        desk.close()


def cmd_install_crl(args: argparse.Namespace) -> None:
    data = read_input(args.crl)
    desk = open_desk(args)
    try:
        desk.pki.install_crl(data)
        crl = load_crl(data)
        revoked = len(list(crl))
        emit(args, {"revoked": revoked, "this_update": crl.last_update_utc, "next_update": crl.next_update_utc},
             lambda: [t(f"已安装证书吊销列表：{revoked} 张已吊销证书，签发于 {local_time(crl.last_update_utc)}，"
                        f"有效至 {local_time(crl.next_update_utc) if crl.next_update_utc else '—'}。",
                        f"Revocation list installed: {revoked} revoked certificate(s), issued "
                        f"{local_time(crl.last_update_utc)}, valid until "
                        f"{local_time(crl.next_update_utc) if crl.next_update_utc else '—'}.")])
    finally:
        desk.close()


def cmd_cert(args: argparse.Namespace) -> None:
    if getattr(args, "out", None):
        ensure_writable(args.out)
    desk = open_desk(args)
    try:
        pki = desk.pki
        if args.cert_cmd == "export-encryption":
            data = pki.export_encryption_certificate()
            write_output(args.out, data, 0o644)
            emit(args, {"out": args.out}, lambda: [
                t(f"已导出本人的加密证书 → {args.out}", f"Your encryption certificate exported → {args.out}"),
                t("各乡镇导出数据时用它作为接收人（export --to）。",
                  "Townships use it as the recipient when they export (export --to).")])
            return
        mine = pki.my_certificates()
        ca = pki.trusted_ca()
        crls = [load_crl(c) for c in pki.crls()]
        data_out: dict[str, Any] = {
            "certificates": mine,
            "trusted_ca": {"subject": ca.subject.rfc4514_string(),
                           "fingerprint_sha256": cert_fingerprint_text(ca).replace(" ", ""),
                           "not_after": ca.not_valid_after_utc} if ca else None,
            "crl": [{"revoked": len(list(c)), "this_update": c.last_update_utc, "next_update": c.next_update_utc}
                    for c in crls],
        }

        def lines() -> Sequence[str]:
            out = [t(f"{purpose_label(c.purpose)}证书：{subject_text(x509.Name.from_rfc4514_string(c.subject))}"
                     f"  序列号 {c.serial}  有效期至 {local_time(c.not_after)}",
                     f"{purpose_label(c.purpose).capitalize()} certificate: "
                     f"{subject_text(x509.Name.from_rfc4514_string(c.subject))}  serial {c.serial}  "
                     f"valid until {local_time(c.not_after)}") for c in mine] \
                or [t("尚未安装本人证书。", "No certificates of yours installed yet.")]
            out.append(t(f"县级证书机构：{subject_text(ca.subject)}  指纹 {cert_fingerprint_text(ca)}",
                         f"County CA: {subject_text(ca.subject)}  fingerprint {cert_fingerprint_text(ca)}") if ca
                       else t("尚未安装县级证书机构证书。", "No county CA certificate installed yet."))
            out += [t(f"吊销列表：{len(list(c))} 张已吊销，有效至 "
                      f"{local_time(c.next_update_utc) if c.next_update_utc else '—'}",
                      f"Revocation list: {len(list(c))} revoked, valid until "
                      f"{local_time(c.next_update_utc) if c.next_update_utc else '—'}") for c in crls] \
                or [t("尚未安装证书吊销列表。", "No revocation list installed yet.")]
            return out

        emit(args, data_out, lines)
    finally:
        desk.close()


# ----------------------------------------------------------------------------- parser


def register(sub: Any) -> None:
    ca = sub.add_parser("ca", help="县级证书机构（督导电脑）").add_subparsers(dest="ca_cmd", required=True)
    ci = ca.add_parser("init", help="创建县级证书机构")
    ci.add_argument("--name", required=True, help="证书机构名称，如：某县民政局数字证书中心")
    ci.add_argument("--org", required=True, help="单位，如：某县民政局")
    cs = ca.add_parser("issue", help="按申请文件签发证书")
    cs.add_argument("request")
    cs.add_argument("--out", required=True)
    cs.add_argument("--days", type=int, default=730)
    cs.add_argument("--township", required=True,
                    help="确认申请人所属乡镇（须与申请文件一致；县级督导填 *），写入证书，导入时据此核对数据范围")
    cr = ca.add_parser("revoke", help="吊销证书并生成吊销列表")
    cr.add_argument("serial", nargs="+", help="证书序列号（十六进制，见 ca list）")
    cr.add_argument("--out", required=True)
    cc = ca.add_parser("crl", help="重新生成吊销列表")
    cc.add_argument("--out", required=True)
    ca.add_parser("list", help="已签发的证书")
    ce = ca.add_parser("export-cert", help="导出县级证书机构证书（供各电脑和 Adobe Reader 信任）")
    ce.add_argument("--out", required=True)
    ce.add_argument("--der", action="store_true", help="DER 格式（Windows / Adobe 导入用 .cer）")
    cp = ca.add_parser("export-p12", help="导出证书机构备份（PKCS#12，仍加密）")
    cp.add_argument("--out", required=True)
    for name in ("init", "issue", "revoke", "crl"):
        ca.choices[name].add_argument("--ca-password-file", help=f"从文件读取证书机构密码（或环境变量 {CA_PASSWORD_ENV}）")
    for p in ca.choices.values():
        p.set_defaults(func=cmd_ca)

    e = sub.add_parser("enrol", help="生成本人密钥和证书申请文件")
    e.add_argument("--out", required=True)
    e.add_argument("--name", help="证书上的姓名（默认：用户显示名）")
    e.add_argument("--replace", action="store_true", help="已有证书时仍重新申请（旧密钥和证书作废）")
    e.set_defaults(func=cmd_enrol)

    i = sub.add_parser("install", help="安装县民政局签发的证书文件")
    i.add_argument("certs")
    i.set_defaults(func=cmd_install)

    ic = sub.add_parser("install-crl", help="安装证书吊销列表")
    ic.add_argument("crl")
    ic.set_defaults(func=cmd_install_crl)

    c = sub.add_parser("cert", help="本人证书").add_subparsers(dest="cert_cmd", required=True)
    c.add_parser("show", help="显示本人证书、信任的证书机构和吊销列表")
    cx = c.add_parser("export-encryption", help="导出本人的加密证书（督导提供给各乡镇）")
    cx.add_argument("--out", required=True)
    for p in c.choices.values():
        p.set_defaults(func=cmd_cert)
