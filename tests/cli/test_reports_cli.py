"""The county CA, enrolment, signed reports and ``verify`` through the command line (``main(argv)``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.services.test_reports import (
    CA_PASSWORD,
    CHEAP_PKCS12_ROUNDS,
    ReportRegistries,
    build_report_registries,
    one_byte_changed,
)

SUP_PASSWORD = "Wang-pass-2026!x"


@pytest.fixture(scope="session")
def registries(tmp_path_factory: pytest.TempPathFactory) -> ReportRegistries:
    root = tmp_path_factory.getbasetemp() / "report-registries"
    root.mkdir(exist_ok=True)
    return build_report_registries(root)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # verify exits 1 on an invalid signature
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def ok_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, "--json", *argv)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_county_ca_enrolment_signed_report_verify_and_revocation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sup, town = ["--data", str(tmp_path / "sup")], ["--data", str(tmp_path / "town")]
    files = tmp_path / "usb"
    files.mkdir()
    monkeypatch.setenv("FANGUAI_CA_PASSWORD", CA_PASSWORD)
    monkeypatch.setattr("fanguai_desk.pki.ca.PKCS12_KDF_ROUNDS", CHEAP_PKCS12_ROUNDS)  # like the cheap Argon2id

    # supervisor's laptop: the county CA
    monkeypatch.setenv("FANGUAI_PASSWORD", SUP_PASSWORD)
    assert run(capsys, *sup, "init", "--county", "--admin", "wangdu", "--township", "县民政局", "--county-name", "示例县")[0] == 0
    code, out, err = run(capsys, *sup, "ca", "init", "--name", "示例县民政局数字证书中心", "--org", "示例县民政局")
    assert code == 0, err
    fingerprint = re.search(r"证书指纹（SHA-256）：([0-9A-F ]+)", out)
    assert fingerprint
    assert run(capsys, *sup, "ca", "export-cert", "--out", str(files / "county.crt"))[0] == 0
    assert run(capsys, *sup, "ca", "export-p12", "--out", str(files / "county-ca.p12"))[0] == 0
    assert (files / "county.crt").read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    assert b"PRIVATE KEY" not in (files / "county-ca.p12").read_bytes()

    # township laptop: a file, a visit, enrolment
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    assert run(capsys, *town, "init", "--admin", "admin", "--township", "青龙镇")[0] == 0
    vid = ok_json(capsys, *town, "victim", "add", "--name", "张三华", "--sex", "F", "--birth-date", "2011-03-04")["id"]
    fid = ok_json(capsys, *town, "followup", "record", "--victim", str(vid), "--date", "2026-01-03", "--method",
                  "home_visit", "--living-situation", "与祖母同住，生活稳定")["id"]
    request = ok_json(capsys, *town, "enrol", "--out", str(files / "admin.req"), "--name", "赵社工")
    monkeypatch.setenv("FANGUAI_PASSWORD", SUP_PASSWORD)
    issued = ok_json(capsys, *sup, "ca", "issue", str(files / "admin.req"), "--out", str(files / "admin.certs"),
                     "--township", "青龙镇")
    assert issued["request_check_code"] == request["request_check_code"]
    serial = issued["serials"]["signing"]  # type: ignore[index]
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    code, out, err = run(capsys, *town, "install", str(files / "admin.certs"))
    assert code == 0 and fingerprint.group(1).strip() in out, err
    shown = ok_json(capsys, *town, "cert", "show")
    assert len(shown["certificates"]) == 2  # type: ignore[arg-type]
    code, _out, err = run(capsys, *town, "enrol", "--out", str(files / "again.req"))
    assert code == 1 and "--replace" in err and not (files / "again.req").exists()

    # a signed follow-up record, verified with the CA certificate only (no registry, no password)
    pdf = files / "fu.pdf"
    code, out, err = run(capsys, *town, "report", "followup", "--visit", str(fid), "--out", str(pdf))
    assert code == 0 and "已签名" in out, err
    monkeypatch.delenv("FANGUAI_PASSWORD")
    code, out, _ = run(capsys, "verify", str(pdf), "--ca", str(files / "county.crt"))
    assert code == 0 and "签名人：赵社工" in out and "结论：有效" in out
    tampered = files / "tampered.pdf"
    tampered.write_bytes(one_byte_changed(pdf.read_bytes()))
    code, out, _ = run(capsys, "verify", str(tampered), "--ca", str(files / "county.crt"))
    assert code == 1 and "已被改动" in out

    # revocation: the CA publishes a CRL, the township installs it, verify reports the signer revoked
    monkeypatch.setenv("FANGUAI_PASSWORD", SUP_PASSWORD)
    code, out, err = run(capsys, *sup, "ca", "revoke", str(serial), "--out", str(files / "county.crl"))
    assert code == 0 and "已吊销 1 张证书" in out, err
    listed = run(capsys, *sup, "ca", "list")[1]
    assert "已吊销" in listed
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    assert run(capsys, *town, "install-crl", str(files / "county.crl"))[0] == 0
    verdict = ok_json_exit1(capsys, *town, "verify", str(pdf))
    assert verdict["revoked"] is True and verdict["summary_code"] == "revoked"
    code, out, _ = run(capsys, "verify", str(pdf), "--ca", str(files / "county.crt"), "--crl",
                       str(files / "county.crl"))
    assert code == 1 and "证书吊销：已吊销" in out
    code, _out, err = run(capsys, *town, "report", "followup", "--visit", str(fid), "--out", str(files / "x.pdf"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "吊销" in err
    assert not (files / "x.pdf").exists()


def ok_json_exit1(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, _err = run(capsys, "--json", *argv)
    assert code == 1
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(("kind", "args"), [("followup", ("--visit", "{visit}")), ("file", ("--victim", "{victim}")),
                                            ("annual", ("--year", "2025")),
                                            ("period", ("--from", "2021", "--to", "2025"))])
def test_each_report_command_writes_a_signed_pdf_that_verifies(
        kind: str, args: tuple[str, str], registries: ReportRegistries, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    town = ["--data", str(registries.copy("town", tmp_path)), "--user", "cw1"]
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    ca = tmp_path / "county.crt"
    ca.write_bytes(registries.ca_pem)
    pdf = tmp_path / f"{kind}.pdf"
    values = [a.format(visit=registries.visit_id, victim=registries.victim_id) for a in args]
    result = ok_json(capsys, *town, "report", kind, *values, "--out", str(pdf))
    assert result["signed"] is True and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only
    verdict = ok_json(capsys, "verify", str(pdf), "--ca", str(ca))
    assert (verdict["intact"], verdict["trusted"], verdict["revoked"]) == (True, True, False)
    assert verdict["signer"] == "李晓梅"
    unsigned = tmp_path / f"{kind}-draft.pdf"
    code, out, _ = run(capsys, *town, "report", kind, *values, "--out", str(unsigned), "--unsigned")
    assert code == 0 and "未签名" in out
    code, out, _ = run(capsys, *town, "verify", str(unsigned))
    assert code == 1 and "没有数字签名" in out


def test_annual_and_period_spreadsheets_hold_the_protected_tables(
        registries: ReportRegistries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from openpyxl import load_workbook

    town = ["--data", str(registries.copy("town", tmp_path)), "--user", "cw1"]
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    xlsx, pdf = tmp_path / "a.xlsx", tmp_path / "a.pdf"
    result = ok_json(capsys, *town, "report", "annual", "--year", "2025", "--xlsx", str(xlsx), "--out", str(pdf))
    assert result["signed"] is True and result["primary_suppressed"] >= 1
    wb = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert wb.sheetnames[0] == "说明" and len(wb.sheetnames) >= 10
    sheet = wb[wb.sheetnames[2]]  # 二 年末在档人员：按性别
    assert sheet["A2"].value == "乡镇（街道）" and "女" in [c.value for c in sheet[2]]
    printed = {str(c.value) for ws in wb.worksheets[1:] for row in ws.iter_rows(min_row=3) for c in row[1:]}
    assert "<5" in printed
    assert not any(v.isdigit() and 0 < int(v) < 5 for v in printed)
    period = tmp_path / "p.xlsx"
    code, out, _ = run(capsys, *town, "report", "period", "--from", "2021", "--to", "2030", "--xlsx", str(period))
    assert code == 0 and "电子表格" in out and period.exists()
    wb = load_workbook(io.BytesIO(period.read_bytes()))
    assert wb[wb.sheetnames[1]]["A3"].value == "2021年"
    code, _out, err = run(capsys, *town, "report", "annual", "--year", "2025")
    assert code == 1 and "--out" in err  # nothing asked for: refused


def test_report_errors_are_one_line_and_leave_no_file(
        registries: ReportRegistries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(registries.copy("town", tmp_path))]
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    out = tmp_path / "out.pdf"
    cases = [
        (["--user", "cw1", "report", "followup", "--visit", registries.other_visit_id], "找不到"),  # other township
        (["--user", "cw1", "report", "file", "--victim", registries.other_victim_id, "--full-name"], "找不到"),
        (["--user", "cw2", "report", "followup", "--visit", registries.visit_id], "密钥"),  # no certificate
        (["--user", "cw1", "report", "annual", "--year", "1800"], "年度"),
        (["--user", "cw1", "report", "period", "--from", "2025", "--to", "2021"], "统计期间"),
    ]
    for argv, words in cases:
        code, _stdout, err = run(capsys, *data, *argv, "--out", str(out))
        assert code == 1, argv
        assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert not out.exists()
    code, _stdout, err = run(capsys, *data, "--user", "cw1", "report", "followup", "--visit", registries.visit_id,
                             "--out", str(tmp_path / "missing" / "dir" / "x.pdf"))
    assert code == 1 and "文件夹" in err
    code, _stdout, err = run(capsys, *data, "--lang", "en", "--user", "cw2", "report", "file", "--victim",
                             registries.victim_id, "--out", str(out))
    assert code == 1 and "enrol" in err
    code, _stdout, err = run(capsys, "verify", str(tmp_path / "nothing.pdf"), "--ca", str(tmp_path / "nothing.crt"))
    assert code == 1 and "无法读取" in err


def test_ca_commands_refuse_a_wrong_password_and_non_ca_users(
        registries: ReportRegistries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    sup = ["--data", str(registries.copy("sup", tmp_path))]
    town = ["--data", str(registries.copy("town", tmp_path))]
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("FANGUAI_CA_PASSWORD", "not the CA password")
    code, _out, err = run(capsys, *sup, "ca", "crl", "--out", str(tmp_path / "c.crl"))
    assert code == 1 and "证书机构的密码错误" in err and not (tmp_path / "c.crl").exists()
    monkeypatch.delenv("FANGUAI_CA_PASSWORD")
    pw = tmp_path / "ca-password"
    pw.write_text(CA_PASSWORD + "\n", "utf-8")
    code, out, err = run(capsys, *sup, "ca", "crl", "--out", str(tmp_path / "c.crl"), "--ca-password-file", str(pw))
    assert code == 0 and "0 张已吊销证书" in out, err
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    code, _out, err = run(capsys, *town, "--user", "cw1", "ca", "list")
    assert code == 1 and "本机是乡镇电脑" in err  # a township laptop: nobody there is the county authority
    code, _out, err = run(capsys, *town, "--user", "cw1", "install-crl", str(tmp_path / "c.crl"))
    assert code == 0, err
    shown = ok_json(capsys, *town, "--user", "cw1", "cert", "show")
    assert shown["crl"] and shown["trusted_ca"]
    code, _out, _err = run(capsys, *town, "--user", "cw1", "cert", "export-encryption", "--out",
                           str(tmp_path / "enc.crt"))
    assert code == 0 and (tmp_path / "enc.crt").read_bytes().startswith(b"-----BEGIN CERTIFICATE")
