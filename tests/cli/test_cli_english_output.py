"""``--lang en`` reaches the output of the pki, report, exchange, maintenance, attachment and ledger commands:
run through ``main(argv)`` on real registries, none of their output (stdout and stderr, success and refusal)
holds a Chinese character except the user's own data; without ``--lang`` the same commands answer in Chinese.

The registries here are made with Latin names (townships, people, the CA), so every Chinese character left in
English output is the program's own text; the ledger's column headers are the spreadsheet's (user data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from fanguai_desk.commands.lang import set_language
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_attachments import png_bytes
from tests.services.test_reports import CA_PASSWORD, CHEAP_PKCS12_ROUNDS

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
LEDGER_HEADERS = ("姓名", "性别", "出生日期", "解救日期")  # the spreadsheet's own words: user data


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.seen: dict[str, int] = {}

    def run(self, *argv: str, expect: int = 0) -> str:
        self.capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            set_language("zh_CN")
        out, err = self.capsys.readouterr()
        assert code == expect, (argv, out, err)
        return out + err

    def en(self, group: str, *argv: str, expect: int = 0) -> str:
        text = self.run(*argv, "--lang", "en", expect=expect)
        assert text.strip(), argv
        shown = text
        for word in LEDGER_HEADERS:
            shown = shown.replace(word, "")
        assert not CJK.search(shown), (argv, [line for line in shown.splitlines() if CJK.search(line)])
        self.seen[group] = self.seen.get(group, 0) + 1
        return text

    def js(self, *argv: str) -> dict[str, object]:
        out = self.run("--json", *argv)
        data = json.loads(out)
        assert isinstance(data, dict)
        return data

    def as_user(self, password: str) -> None:
        self.monkeypatch.setenv("FANGUAI_PASSWORD", password)


SUP_PASSWORD = "Wang-pass-2026!x"


def test_every_command_of_the_six_groups_answers_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FANGUAI_CA_PASSWORD", CA_PASSWORD)
    monkeypatch.setattr("fanguai_desk.pki.ca.PKCS12_KDF_ROUNDS", CHEAP_PKCS12_ROUNDS)
    cli = Cli(capsys, monkeypatch)
    sup, town = ["--data", str(tmp_path / "sup")], ["--data", str(tmp_path / "town")]
    usb = tmp_path / "usb"
    usb.mkdir()

    # --- pki: the county CA on the supervisor's laptop, enrolment on both
    cli.as_user(SUP_PASSWORD)
    cli.run(*sup, "init", "--county", "--admin", "supervisor", "--township", "County Bureau", "--county-name", "Example County",
            "--township-code", "510100")
    out = cli.en("pki", *sup, "ca", "init", "--name", "Example County CA", "--org", "Example County")
    assert "Certificate fingerprint" in out
    cli.en("pki", *sup, "ca", "export-cert", "--out", str(usb / "county.crt"))
    cli.en("pki", *sup, "ca", "export-p12", "--out", str(usb / "county.p12"))
    cli.en("pki", *sup, "enrol", "--out", str(usb / "sup.req"), "--name", "Wang Du")
    cli.en("pki", *sup, "ca", "issue", str(usb / "sup.req"), "--out", str(usb / "sup.certs"),
           "--township", "County Bureau")
    cli.en("pki", *sup, "install", str(usb / "sup.certs"))
    cli.en("pki", *sup, "cert", "export-encryption", "--out", str(usb / "sup.crt"))

    cli.as_user(ADMIN_PASSWORD)
    cli.run(*town, "init", "--admin", "admin", "--township", "Qinglong", "--county-name", "Example County",
            "--township-code", "510101")
    vid = str(cli.js(*town, "victim", "add", "--name", "Zhang Sanhua", "--sex", "F", "--birth-date", "2011-03-04")["id"])
    fid = str(cli.js(*town, "followup", "record", "--victim", vid, "--date", "2026-01-03", "--method", "home_visit",
                     "--living-situation", "Lives with her grandmother")["id"])
    out = cli.en("pki", *town, "enrol", "--out", str(usb / "town.req"), "--name", "Zhao Shegong")
    assert "Request check code" in out
    cli.as_user(SUP_PASSWORD)
    issued = cli.en("pki", *sup, "ca", "issue", str(usb / "town.req"), "--out", str(usb / "town.certs"),
                    "--township", "Qinglong")
    serial = re.search(r"Signing certificate serial: ([0-9a-f]+)", issued)
    assert serial
    cli.en("pki", *sup, "ca", "list")
    cli.as_user(ADMIN_PASSWORD)
    assert "CA fingerprint" in cli.en("pki", *town, "install", str(usb / "town.certs"))
    cli.en("pki", *town, "cert", "show")
    cli.en("pki", *town, "enrol", "--out", str(usb / "again.req"), expect=1)  # refused: already enrolled

    # --- attachments
    (usb / "scan.png").write_bytes(png_bytes("english-test"))
    added = cli.js(*town, "attachment", "add", vid, str(usb / "scan.png"), "--title", "scan")
    cli.en("attachments", *town, "attachment", "list", vid)
    cli.en("attachments", *town, "attachment", "export", str(added["id"]), "--out", str(usb / "out.png"))
    cli.en("attachments", *town, "attachment", "add", vid, str(usb / "scan.png"), "--title", "again")
    cli.en("attachments", *town, "attachment", "remove", str(added["id"]))
    cli.en("attachments", *town, "attachment", "list", "no-such-file", expect=1)

    # --- reports
    cli.en("reports", *town, "report", "followup", "--visit", fid, "--out", str(usb / "fu.pdf"))
    cli.en("reports", *town, "report", "file", "--victim", vid, "--out", str(usb / "file.pdf"), "--full-name")
    cli.en("reports", *town, "report", "annual", "--year", "2026", "--out", str(usb / "y.pdf"), "--xlsx",
           str(usb / "y.xlsx"))
    assert "Verdict: Valid" in cli.en("reports", "verify", str(usb / "fu.pdf"), "--ca", str(usb / "county.crt"))
    cli.en("reports", *town, "verify", str(usb / "fu.pdf"))
    cli.en("reports", *town, "verify-paper", "FG1-ABCDEFGH-2-ABCDEFGH", expect=1)

    # --- ledger
    (usb / "bad.csv").write_text("姓名,性别,出生日期\nLi Hua,F,2099-01-01\n", encoding="utf-8")
    cli.en("ledger", *town, "ledger", "import", str(usb / "bad.csv"), expect=1)
    (usb / "good.csv").write_text("姓名,性别,出生日期,解救日期\nLi Hua,F,2010-05-06,2025-01-02\n"
                                  "Zhang Sanhua,F,2011-03-04,2025-02-03\n", encoding="utf-8")
    cli.en("ledger", *town, "ledger", "import", str(usb / "good.csv"), "--dry-run")
    cli.en("ledger", *town, "ledger", "import", str(usb / "good.csv"))

    # --- exchange: township exports, supervisor imports, receipt back
    cli.en("exchange", *town, "export", "--to", str(usb / "sup.crt"), "--out", str(usb / "b1.p7m"))
    cli.en("exchange", *town, "exchange", "status", "--details")
    cli.as_user(SUP_PASSWORD)
    cli.en("exchange", *sup, "import", str(usb / "b1.p7m"), "--dry-run")
    out = cli.en("exchange", *sup, "import", str(usb / "b1.p7m"))
    assert "Imported bundle no. 1" in out
    cli.en("exchange", *sup, "import", str(usb / "b1.p7m"), expect=1)  # refused: already imported
    cli.en("exchange", *sup, "conflicts")
    cli.en("exchange", *sup, "duplicates")
    cli.en("exchange", *sup, "exchange", "status")
    cli.en("exchange", *sup, "exchange", "receipt", "--out", str(usb / "receipt.p7s"))
    cli.as_user(ADMIN_PASSWORD)
    cli.en("exchange", *town, "exchange", "ack", str(usb / "receipt.p7s"))

    # --- pki: revocation
    cli.as_user(SUP_PASSWORD)
    cli.en("pki", *sup, "ca", "revoke", serial.group(1), "--out", str(usb / "county.crl"))
    cli.en("pki", *sup, "ca", "crl", "--out", str(usb / "county2.crl"))
    cli.en("pki", *sup, "ca", "list")
    cli.as_user(ADMIN_PASSWORD)
    cli.en("pki", *town, "install-crl", str(usb / "county.crl"))
    cli.en("reports", *town, "verify", str(usb / "fu.pdf"), expect=1)  # the signer is revoked now

    # --- maintenance
    cli.en("maintenance", *town, "doctor")
    cli.en("maintenance", *town, "backup", "--out", str(usb / "t.fgbak"))
    cli.en("maintenance", *town, "backup", "verify", str(usb / "t.fgbak"))
    cli.en("maintenance", *town, "backup", "settings", "--keep", "4")
    cli.en("maintenance", *town, "backup")
    cli.en("maintenance", *town, "backup", "list")
    cli.en("maintenance", "--data", str(tmp_path / "restored"), "restore", str(usb / "t.fgbak"))
    cli.en("maintenance", "--data", str(tmp_path / "restored"), "restore", str(usb / "t.fgbak"), expect=1)
    cli.en("maintenance", *town, "purge", "list")
    cli.en("maintenance", *town, "purge", "run", vid, "--reason", "retention_expired")
    cli.en("maintenance", *town, "purge", "run", vid, "--reason", "retention_expired", "--confirm", expect=1)
    assert "New recovery key" in cli.en("maintenance", *town, "recovery-key", "--regenerate")

    assert set(cli.seen) == {"pki", "attachments", "reports", "ledger", "exchange", "maintenance"}

    # --- and Chinese by default
    for argv in ((*town, "cert", "show"), (*town, "purge", "list"), (*town, "backup", "list"),
                 (*town, "exchange", "status"), ("verify", str(usb / "file.pdf"), "--ca", str(usb / "county.crt")),
                 (*town, "ledger", "import", str(usb / "good.csv"), "--dry-run")):
        text = cli.run(*argv)
        for word in LEDGER_HEADERS:
            text = text.replace(word, "")
        assert CJK.search(text), argv
