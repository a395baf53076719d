"""Delivery that does not depend on the wall clock (issue 19): every scenario ends with the county holding
exactly what the township holds, record for record.

The clock is moved the way libfaketime would move it for the whole program: ``store.clock``'s
``datetime`` is replaced, so every stamp (``updated_at``, tombstones, audit, headers) uses the wrong time.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fanguai_desk.exchange.envelope import ExchangeError, fingerprint, sign_only
from fanguai_desk.exchange.exporter import EXPORT_ORDER
from fanguai_desk.exchange.receipts import encode_receipt, receipt_content
from fanguai_desk.messages import render
from fanguai_desk.services.pki import load_certificate
from fanguai_desk.store import clock
from fanguai_desk.store.backup import restore_backup
from fanguai_desk.store.models import ChangeJournal, SentBundle
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import Templates, first_victim, open_desk, table_rows
from tests.exchange.conftest import export_outcome as export
from tests.exchange.conftest import import_bundle as import_
from tests.helpers import assert_only_refusal_audited, content_fingerprint


@contextlib.contextmanager
def clock_off_by(delta: timedelta) -> Iterator[None]:
    """The laptop's clock wrong by ``delta``: through ``clock.wall_clock``, the one reading of the clock that every
    stamp and every "today" goes through (store/clock.py)."""
    original = clock.wall_clock
    clock.wall_clock = lambda: original() + delta
    try:
        yield
    finally:
        clock.wall_clock = original


def assert_county_equals_township(sup: Path, town: Path) -> None:
    theirs, ours = table_rows(town, townships=False), table_rows(sup, townships=False)
    for record_type in theirs:
        assert ours[record_type] == theirs[record_type], record_type


def add_visit_and_file(path: Path, alias: str) -> tuple[str, str]:
    vid = first_victim(path)
    d = open_desk(path)
    try:
        # today as the code reads it (the local day): the UTC date is yesterday's in the morning east of UTC,
        # and plan() refuses a day in the past
        visit = d.followups.plan(vid, clock.local_today().isoformat())
        new, _ = d.victims.register({"alias": alias, "estimated_birth_year": 1999})
        return visit, new
    finally:
        d.close()


def test_clock_ahead_then_corrected_loses_nothing(templates: Templates, sup: Path, town: Path) -> None:
    with clock_off_by(timedelta(days=30)):
        d = open_desk(town)
        d.victims.edit(first_victim(town), {"ethnicity": "羌族"})
        d.close()
        import_(sup, export(town, templates.sup_cert).bundle)
    _visit, _new = add_visit_and_file(town, "时钟纠正后")  # stamped a month *before* the last export
    out = export(town, templates.sup_cert)
    assert out.counts["followup"] >= 1 and out.counts["victim"] >= 1
    import_(sup, out.bundle)
    assert_county_equals_township(sup, town)


def test_clock_behind_while_working_loses_nothing(templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    with clock_off_by(timedelta(days=-400)):
        add_visit_and_file(town, "时钟落后")
        d = open_desk(town)
        d.victims.edit(first_victim(town), {"ethnicity": "藏族"})
        d.close()
    import_(sup, export(town, templates.sup_cert).bundle)  # exported with the clock fixed
    assert_county_equals_township(sup, town)


def test_lost_bundle_is_named_and_resent(templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    add_visit_and_file(town, "丢失的U盘")
    lost = export(town, templates.sup_cert)
    assert lost.sequence == 2
    d = open_desk(town)
    d.victims.edit(first_victim(town), {"ethnicity": "回族"})
    d.close()
    third_out = export(town, templates.sup_cert)
    third = third_out.bundle
    d = open_desk(sup)
    before = content_fingerprint(d)
    with pytest.raises(ExchangeError) as err:
        d.exchange.import_bundle(third)
    assert_only_refusal_audited(d, before, "bundle_gap")
    d.close()
    assert err.value.code == "bundle_gap"
    assert err.value.params["sequences"] == "2" and err.value.params["first"] == "2"
    assert err.value.params["changes"] == f"{lost.changes_from + 1}–{lost.changes_to}"
    import_(sup, third, accept_gap=True)
    resent = export(town, templates.sup_cert, resend=2)
    assert resent.sequence == 4 and resent.scope == "resend"
    assert (resent.changes_from, resent.changes_to) == (lost.changes_from, lost.changes_to)
    assert import_(sup, resent.bundle).preview.gap == 0
    assert_county_equals_township(sup, town)
    d = open_desk(sup)
    status = d.exchange.status()
    d.close()
    (held,) = status.received
    assert held.missing_changes == [] and held.held_through == third_out.changes_to


def test_resend_of_an_unknown_number_is_refused(templates: Templates, town: Path) -> None:
    export(town, templates.sup_cert)
    d = open_desk(town)
    before = content_fingerprint(d)
    with pytest.raises(ExchangeError) as err:
        d.exchange.export(templates.sup_cert, resend=7)
    assert err.value.code == "resend_unknown"
    assert content_fingerprint(d) == before
    d.close()


def test_receipt_then_catch_up_and_digest_comparison(templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    visit, new = add_visit_and_file(town, "回执之前")
    export(town, templates.sup_cert)  # lost on the way
    d = open_desk(sup)
    receipt = d.exchange.receipt()
    d.close()
    d = open_desk(town)
    svc = d.exchange
    outcome = svc.import_receipt(receipt)
    status = svc.status()
    d.close()
    (peer,) = status.peers
    assert peer.acked_through == outcome.acked_through and peer.acked_through < peer.sent_through
    missing = {rid for _t, rid in peer.missing_at_county}
    assert {visit, new} <= missing
    assert peer.changed_since_acked >= 2 and peer.changed_since_sent == 0
    catch_up = export(town, templates.sup_cert, catch_up=True)
    assert catch_up.scope == "catch_up" and catch_up.changes_from == outcome.acked_through
    assert import_(sup, catch_up.bundle).preview.gap == 0
    assert_county_equals_township(sup, town)
    d = open_desk(sup)
    receipt = d.exchange.receipt()
    d.close()
    d = open_desk(town)
    svc = d.exchange
    svc.import_receipt(receipt)
    (peer,) = svc.status().peers
    d.close()
    assert peer.missing_at_county == [] and peer.outdated_at_county == [] and peer.changed_since_acked == 0


def test_receipt_signed_by_someone_else_is_refused(templates: Templates, sup: Path, town: Path,
                                                   tmp_path: Path) -> None:
    export(town, templates.sup_cert)
    # A colleague with a county certificate (not the supervisor) writes a receipt claiming all is held.
    d = open_desk(sup)
    with d.read() as s:
        content = receipt_content(s, [fingerprint(load_certificate(templates.sup_cert))], clock.utcnow())
    d.close()
    d = open_desk(templates.copy("town_b", tmp_path))
    material = d.pki.signing_material()
    d.close()
    data = sign_only(encode_receipt(content), material.key, material.cert)
    d = open_desk(town)
    before = content_fingerprint(d)
    with pytest.raises(ExchangeError) as err:
        d.exchange.import_receipt(data)
    assert err.value.code == "receipt_not_ours"
    assert "督导" in render(err.value) and "not from a supervisor" in render(err.value, "en")
    with pytest.raises(ExchangeError):
        d.exchange.import_receipt(data[:-20] + b"AAAA\n")
    assert content_fingerprint(d) == before
    d.close()


def test_restored_township_gets_a_new_epoch(templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    d = open_desk(town)
    backup = d.maintenance.backup(tmp_path / "town.fgbak").path
    d.close()
    add_visit_and_file(town, "恢复前")
    second = export(town, templates.sup_cert)
    assert second.sequence == 2
    import_(sup, second.bundle)
    restored = tmp_path / "restored"
    restore_backup(backup, restored, "admin", ADMIN_PASSWORD)
    _visit, new = add_visit_and_file(restored, "恢复后新建")
    after = export(restored, templates.sup_cert)
    assert after.sequence == 1  # numbers start again in the new epoch: never a replay of the lost laptop's
    outcome = import_(sup, after.bundle)
    assert outcome.preview.gap == 0 and outcome.report.added.get("victim") == 1
    ours, theirs = table_rows(sup, townships=False), table_rows(restored, townships=False)
    for record_type, rows in theirs.items():
        for rid, values in rows.items():
            assert ours[record_type][rid] == values, (record_type, rid)
    assert new in ours["victim"]


def test_export_killed_after_writing_its_file_never_reuses_the_number(templates: Templates, sup: Path,
                                                                      town: Path, tmp_path: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    add_visit_and_file(town, "导出被中断")
    stray = tmp_path / "stray.p7m"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from fanguai_desk.services.desk import Desk\n"
        "from fanguai_desk.services.exchange import ExchangeService\n"
        f"d = Desk.unlock(Path({str(town)!r}), 'admin', {ADMIN_PASSWORD!r})\n"
        "def write(b):\n"
        f"    Path({str(stray)!r}).write_bytes(b)\n"
        "    os._exit(9)\n"
        f"d.exchange.export(Path({str(tmp_path / 'sup.crt')!r}).read_bytes(), write=write)\n"
    )
    (tmp_path / "sup.crt").write_bytes(templates.sup_cert)
    proc = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert proc.returncode == 9 and stray.exists()
    retry = export(town, templates.sup_cert)
    assert retry.sequence == 3  # number 2 was handed out to the stray file and is never used again
    d = open_desk(town)
    with d.read() as s:
        states = dict(s.execute(select(SentBundle.sequence, SentBundle.state)).tuples().all())
        assert s.scalar(select(func.count()).select_from(ChangeJournal)) > 0
    d.close()
    assert states[2] == "reserved" and states[3] == "written"
    import_(sup, stray.read_bytes())  # the stray one arrives first: both are accepted
    assert import_(sup, retry.bundle).preview.gap == 0
    assert_county_equals_township(sup, town)


def test_cli_lost_bundle_round(templates: Templates, sup: Path, town: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole recovery from the command line: gap named → receipt → ack → catch-up → status clean."""
    from fanguai_desk.cli import main

    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    cert = tmp_path / "sup.crt"
    cert.write_bytes(templates.sup_cert)

    def run(*argv: str) -> int:
        return main(["--user", "admin", *argv])

    assert run("--data", str(town), "export", "--to", str(cert), "--out", str(tmp_path / "1.p7m")) == 0
    assert run("--data", str(sup), "import", str(tmp_path / "1.p7m")) == 0
    add_visit_and_file(town, "命令行丢包")
    assert run("--data", str(town), "export", "--to", str(cert), "--out", str(tmp_path / "2.p7m")) == 0
    d = open_desk(town)
    d.victims.edit(first_victim(town), {"ethnicity": "彝族"})
    d.close()
    assert run("--data", str(town), "export", "--to", str(cert), "--out", str(tmp_path / "3.p7m")) == 0
    capsys.readouterr()
    assert run("--data", str(sup), "import", str(tmp_path / "3.p7m")) == 1
    err = capsys.readouterr().err
    assert "第 2 号" in err and "export --resend 2" in err
    assert run("--data", str(sup), "import", "--accept-gap", str(tmp_path / "3.p7m")) == 0
    assert run("--data", str(sup), "exchange", "status") == 0
    status = capsys.readouterr().out
    assert "缺少变更" in status and "收自青龙镇的电脑" in status  # the laptop by its township, not its id
    d = open_desk(sup)
    st = d.exchange.status()
    d.close()
    ids = [st.installation_id[:8], *(r.installation_id[:8] for r in st.received), *(r.epoch[:8] for r in st.received)]
    assert not any(i in status for i in ids) and "纪元" not in status, "no raw ids without --details"
    assert run("--data", str(sup), "exchange", "status", "--details") == 0
    assert st.received[0].epoch in capsys.readouterr().out  # the technical view still has them
    assert run("--data", str(sup), "exchange", "receipt", "--out", str(tmp_path / "r.p7s")) == 0
    assert run("--data", str(town), "exchange", "ack", str(tmp_path / "r.p7s")) == 0
    capsys.readouterr()
    assert run("--json", "--data", str(town), "exchange", "status") == 0
    import json

    peer = json.loads(capsys.readouterr().out)["peers"][0]
    assert peer["missing_at_county"], "the lost bundle's records are listed as missing at the county"
    assert run("--data", str(town), "export", "--catch-up", "--to", str(cert), "--out", str(tmp_path / "4.p7m")) == 0
    assert run("--data", str(sup), "import", str(tmp_path / "4.p7m")) == 0
    assert_county_equals_township(sup, town)


def test_upgrade_numbers_existing_records_and_reinstalls_triggers(templates: Templates, sup: Path,
                                                                  town: Path) -> None:
    """A registry from before numbered delivery: every record gets a change number, the triggers are there
    (and are put back if a table rebuild dropped one), and the first export is a full one the county merges."""
    from alembic import command

    from fanguai_desk.store.journal import install_triggers, missing_triggers
    from fanguai_desk.store.schema import alembic_config

    import_(sup, export(town, templates.sup_cert).bundle)
    d = open_desk(town)
    with d.registry.engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0008")
    d.close()
    add_visit_and_file(town, "升级前")  # the schema is upgraded again at this unlock
    d = open_desk(town)
    with d.registry.engine.connect() as conn, conn.begin():
        assert missing_triggers(conn) == []
        conn.exec_driver_sql("DROP TRIGGER trg_journal_victims_update")  # as a batch-mode table rebuild would
        assert missing_triggers(conn) == ["trg_journal_victims_update"]
        install_triggers(conn)
        assert missing_triggers(conn) == []
    with d.read() as s:
        journal = s.scalar(select(func.count(func.distinct(ChangeJournal.record_id))))
        n = sum(s.scalar(select(func.count()).select_from(m)) or 0 for m in EXPORT_ORDER)
        assert journal == n
    d.close()
    out = export(town, templates.sup_cert)
    assert out.scope == "full" and out.sequence == 1
    import_(sup, out.bundle)
    assert_county_equals_township(sup, town)
