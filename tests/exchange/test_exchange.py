"""Township export → supervisor import: format, verification order, all-or-nothing, merge."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text

from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.services.pki import PkiService
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store import state
from fanguai_desk.store.models import Victim
from tests.exchange.conftest import CA_PASSWORD, Templates, first_victim, open_desk, refused
from tests.exchange.conftest import export_bundle as export
from tests.exchange.conftest import import_bundle as import_
from tests.exchange.conftest import table_rows as rows
from tests.helpers import assert_only_refusal_audited, content_fingerprint


def test_round_trip_preserves_every_field(templates: Templates, sup: Path, town_a: Path) -> None:
    bundle = export(town_a, templates.sup_cert)
    outcome = import_(sup, bundle)
    assert outcome.report.added["victim"] == 60
    theirs, ours = rows(town_a), rows(sup)
    for record_type, records in theirs.items():
        if record_type == "township":
            continue
        assert ours[record_type].keys() >= records.keys(), record_type
        for rid, values in records.items():
            assert ours[record_type][rid] == values, (record_type, rid)


def test_openssl_cms_decrypts_and_verifies_a_bundle(templates: Templates, sup: Path, town_a: Path,
                                                    tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    bundle = export(town_a, templates.sup_cert)
    (tmp_path / "B.p7m").write_bytes(bundle)
    (tmp_path / "sup.crt").write_bytes(templates.sup_cert)
    (tmp_path / "county.crt").write_bytes(templates.county_ca)
    d = open_desk(sup)
    key, _cert = d.pki.encryption_material()
    d.close()
    (tmp_path / "sup.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    proc = subprocess.run(
        "openssl cms -decrypt -recip sup.crt -inkey sup.key -in B.p7m | openssl cms -verify -CAfile county.crt",
        shell=True, cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"Verification successful" in proc.stderr
    import gzip
    import json

    first = json.loads(gzip.decompress(proc.stdout).splitlines()[0])
    assert first["format"] == "fanguai-exchange" and first["kind"] == "records"


def test_any_single_byte_change_is_refused_and_changes_nothing(templates: Templates, sup: Path,
                                                               town_a: Path) -> None:
    d = open_desk(town_a)
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    d.close()
    bundle = export(town_a, templates.sup_cert, victim_ids=[vid])
    rng = random.Random(3)
    header_end = bundle.index(b"\n\n") + 2
    positions = sorted({0, 5, header_end - 3, header_end, header_end + 1, len(bundle) - 1, len(bundle) - 2,
                        *rng.sample(range(len(bundle)), 30)})
    d = open_desk(sup)
    before = content_fingerprint(d)
    svc = d.exchange
    for pos in positions:
        altered = bytearray(bundle)
        altered[pos] ^= 1 << rng.randrange(8)
        with pytest.raises(ExchangeError) as err:
            svc.import_bundle(bytes(altered))
        assert err.value.code in ("bundle_altered", "bundle_malformed"), (pos, err.value.code)
    assert_only_refusal_audited(d, before)
    d.close()


def test_truncated_empty_and_random_files_are_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    bundle = export(town_a, templates.sup_cert)
    refused(sup, bundle[: len(bundle) // 2], "bundle_malformed")
    refused(sup, b"", "bundle_malformed")
    refused(sup, random.Random(1).randbytes(5000), "bundle_malformed")
    refused(sup, b"MIME-Version: 1.0\n" + bundle[18:][: len(bundle) - 400], "bundle_malformed")


def test_bundle_for_another_supervisor_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    refused(sup, export(town_a, templates.sup2_cert), "bundle_not_for_us")


def test_author_from_another_county_is_refused(templates: Templates, sup: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    foreign = templates.copy("foreign", tmp_path)
    d = open_desk(foreign)
    with pytest.raises(ExchangeError) as err:  # an honest foreign laptop will not even address us
        d.exchange.export(templates.sup_cert)
    assert err.value.code == "recipient_untrusted"
    monkeypatch.setattr(PkiService, "trusted_ca", lambda self: None)  # a laptop that skips the check
    bundle = d.exchange.export(templates.sup_cert).bundle
    d.close()
    monkeypatch.undo()
    refused(sup, bundle, "author_untrusted")


def test_revoked_author_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    d = open_desk(town_a)
    serial = next(c.serial for c in d.pki.my_certificates() if c.purpose == "signing")
    d.close()
    bundle = export(town_a, templates.sup_cert)
    s = open_desk(sup)
    s.pki.ca_revoke([serial], CA_PASSWORD)
    s.close()
    refused(sup, bundle, "author_revoked")


def _touch(path: Path, ethnicity: str) -> str:
    vid = first_victim(path)
    d = open_desk(path)
    d.victims.edit(vid, {"ethnicity": ethnicity})
    d.close()
    return vid


def test_replay_and_gap(templates: Templates, sup: Path, town_a: Path) -> None:
    # The demo data is random: a file already recorded as 羌族 would make the second bundle carry no change
    # (and a lost bundle without changes is rightly no gap), so start from a value neither edit uses.
    _touch(town_a, "汉族")
    first = export(town_a, templates.sup_cert)
    _touch(town_a, "羌族")
    second = export(town_a, templates.sup_cert)
    vid = _touch(town_a, "藏族")
    third = export(town_a, templates.sup_cert)
    import_(sup, first)
    refused(sup, first, "bundle_replayed")
    err = refused(sup, third, "bundle_gap")
    assert err.params["missing"] == 1 and err.params["sequences"] == "2"
    assert err.params["first"] == "2" and err.params["laptop"] == "青龙镇"
    outcome = import_(sup, third, accept_gap=True)
    assert outcome.preview.gap == 1
    refused(sup, third, "bundle_replayed")
    # The late bundle still fills the hole (its older versions change nothing the newer one brought).
    import_(sup, second)
    d = open_desk(sup)
    with d.read() as s:
        assert s.get(Victim, vid).ethnicity == "藏族"  # type: ignore[union-attr]
    d.close()


def test_nothing_changed_is_no_gap(templates: Templates, sup: Path, town_a: Path) -> None:
    first = export(town_a, templates.sup_cert)
    export(town_a, templates.sup_cert)  # lost, but it carried no change
    third = export(town_a, templates.sup_cert)
    import_(sup, first)
    assert import_(sup, third).preview.gap == 0


def test_rule_breaking_record_refuses_the_whole_bundle(templates: Templates, sup: Path, town_a: Path) -> None:
    d = open_desk(town_a)
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    with d.tx() as s:  # bypass the services, as a tampered or buggy laptop would
        s.execute(text("UPDATE victims SET notes = 'DNA比对结果：D8S1179 12,14; TH01 9,9.3' WHERE id = :i"),
                  {"i": vid})
    d.close()
    err = refused(sup, export(town_a, templates.sup_cert), "bundle_rule_violation")
    assert err.params["rule"] == "dna_data" and err.params["record_id"] == vid


def test_minor_placed_with_buyer_household_in_a_bundle_is_refused(templates: Templates, sup: Path,
                                                                 town_a: Path) -> None:
    d = open_desk(town_a)
    vid, _ = d.victims.register({"name": "陈小军", "sex": "M", "birth_date": "2018-03-03",
                                 "buyer_households": [{"head_name": "赵某", "address": "白马镇桃源村5组12号"}]})
    pid = d.placements.add(vid, {"state": "temporary_shelter", "start_date": "2026-01-01"})
    with d.tx() as s:
        s.execute(text("UPDATE placements SET state='family_care', address='白马镇桃源村5组12号' WHERE id=:i"),
                  {"i": pid})
    d.close()
    err = refused(sup, export(town_a, templates.sup_cert), "bundle_rule_violation")
    assert err.params["rule"] == "minor_with_buyer_household"


def test_newer_schema_is_refused(templates: Templates, sup: Path, town_a: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    d = open_desk(town_a)
    monkeypatch.setattr(d.registry, "schema_revision", "9999_future")
    bundle = d.exchange.export(templates.sup_cert).bundle
    d.close()
    refused(sup, bundle, "bundle_schema_newer")


def test_dry_run_verifies_and_reports_but_writes_nothing(templates: Templates, sup: Path, town_a: Path) -> None:
    bundle = export(town_a, templates.sup_cert)
    d = open_desk(sup)
    before = content_fingerprint(d)
    preview = d.exchange.preview(bundle)
    assert preview.counts["victim"] == 60
    outcome = d.exchange.import_bundle(bundle, dry_run=True)
    assert outcome.report.added["victim"] == 60 and content_fingerprint(d) == before
    d.close()
    import_(sup, bundle)  # and the real import still works afterwards (no sequence consumed)


def test_incremental_export_sends_only_what_changed(templates: Templates, sup: Path, town_a: Path) -> None:
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    d.victims.edit(vid, {"ethnicity": "羌族"})
    d.close()
    second = export(town_a, templates.sup_cert)
    d = open_desk(sup)
    preview = d.exchange.preview(second)
    d.close()
    assert preview.counts.get("victim") == 1 and preview.counts.get("followup", 0) == 0
    outcome = import_(sup, second)
    assert outcome.report.updated == {"victim": 1}
    d = open_desk(sup)
    with d.read() as s:
        assert s.get(Victim, vid).ethnicity == "羌族"  # type: ignore[union-attr]
    d.close()


def test_same_record_changed_on_both_sides_becomes_a_field_conflict(templates: Templates, sup: Path,
                                                                    town_a: Path) -> None:
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    d.victims.edit(vid, {"ethnicity": "彝族", "disability": "听力残疾"})
    d.close()
    s = open_desk(sup)
    s.victims.edit(vid, {"ethnicity": "藏族"})
    s.close()
    outcome = import_(sup, export(town_a, templates.sup_cert))
    assert outcome.report.conflicts == 1
    s = open_desk(sup)
    svc = s.exchange
    [conflict] = svc.conflicts()
    assert (conflict.field, conflict.local_value, conflict.incoming_value) == ("ethnicity", "藏族", "彝族")
    v = s.victims.open_file(vid, audit_read=False).victim
    assert v.ethnicity == "藏族" and v.disability == "听力残疾"  # local kept, the other side's change applied
    svc.resolve_conflict(conflict.id, "incoming")
    assert s.victims.open_file(vid, audit_read=False).victim.ethnicity == "彝族"
    assert svc.conflicts() == []
    s.close()


def test_same_person_filed_by_two_townships_is_flagged(templates: Templates, sup: Path, town_a: Path,
                                                       tmp_path: Path) -> None:
    town_b = templates.copy("town_b", tmp_path)
    d = open_desk(town_a)
    with d.read() as s:
        v = s.scalars(select(Victim).where(Victim.id_number.is_not(None))).first()
        assert v is not None
        number, name, birth = v.id_number, v.name, v.birth_date
    d.close()
    b = open_desk(town_b)
    b.victims.register({"name": name, "id_number": number})
    b.victims.register({"name": "重名者", "sex": "F", "birth_date": "2001-02-03"})
    b.close()
    a = open_desk(town_a)
    a.victims.register({"name": "重名者", "sex": "F", "birth_date": "2001-02-03"})
    a.close()
    import_(sup, export(town_a, templates.sup_cert))
    outcome = import_(sup, export(town_b, templates.sup_cert))
    reasons = sorted(r for _a, _b, r in outcome.report.duplicate_pairs)
    assert reasons == ["same_id_number", "same_name_birth_sex"]
    assert birth is not None


def test_deletion_travels_as_a_tombstone(templates: Templates, sup: Path, town_a: Path) -> None:
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    vid, _ = d.victims.register({"alias": "误建档案", "estimated_birth_year": 1999})
    d.followups.plan(vid, "2099-01-01")
    d.close()
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    d.lifecycle.delete_mistaken(vid, "重复录入，误建的档案")
    d.close()
    outcome = import_(sup, export(town_a, templates.sup_cert))
    assert outcome.report.deleted >= 1
    s = open_desk(sup)
    with s.read() as ss:
        assert ss.get(Victim, vid) is None
    s.close()


def test_statistics_only_export_has_no_names_or_numbers(templates: Templates, sup: Path, town_a: Path,
                                                        tmp_path: Path) -> None:
    import gzip

    from cryptography.hazmat.primitives.serialization import pkcs7

    d = open_desk(town_a)
    with d.read() as s:
        names = {v.name for v in s.scalars(select(Victim)) if v.name}
        numbers = {v.id_number for v in s.scalars(select(Victim)) if v.id_number}
    d.close()
    bundle = export(town_a, templates.sup_cert, statistics_only=True, year=2026)
    s = open_desk(sup)
    key, cert = s.pki.encryption_material()
    s.close()
    inner = pkcs7.pkcs7_decrypt_smime(bundle, cert, key, [])
    from asn1crypto import cms

    from fanguai_desk.exchange.envelope import SIGNED_HEADER, _strict_mime_body

    der = _strict_mime_body(inner, SIGNED_HEADER, "signature")
    payload = cms.ContentInfo.load(der)["content"]["encap_content_info"]["content"].native
    body = gzip.decompress(payload).decode("utf-8")
    assert '"kind":"statistics"' in body
    for secret in names | numbers:
        assert secret not in body
    assert "coverage_pct" not in body  # no raw rate travels (the tables show rates of printed counts only)
    stats = json.loads(next(line for line in body.splitlines() if '"t":"statistics"' in line))["statistics"]
    (township,) = stats["townships"]
    for value in township["cells"].values():
        assert value in ("<5", "×") or (isinstance(value, int) and (value == 0 or value >= 5)), value
    outcome = import_(sup, bundle)
    assert outcome.preview.kind == "statistics"

    # the supervisor keeps the township's protected counts and adds them into the county report
    from tests.reports.attack import narrow_cells

    s = open_desk(sup)
    try:
        (kept,) = s.exchange.received_statistics()
        assert kept.township_name == township["name"] and kept.year == 2026
        view = s.reports.annual_view(2026)
        files = view.book.tables[0]
        assert township["name"] in files.rows
        assert [src.township for src in view.sources] == [township["name"]]
        assert files.cells[files.rows.index(township["name"])][2] == str(township["cells"]["open_end"])
        assert not narrow_cells(view.book)
    finally:
        s.close()
    # once the township's full data is imported too, it is counted once: from its files
    import_(sup, export(town_a, templates.sup_cert), accept_gap=True)
    s = open_desk(sup)
    try:
        view = s.reports.annual_view(2026)
        assert view.sources == ()
        assert view.book.tables[0].rows.count(township["name"]) == 1
    finally:
        s.close()


def test_a_statistics_bundle_with_an_unprotected_small_count_is_refused() -> None:
    from fanguai_desk.exchange.envelope import ExchangeError
    from fanguai_desk.services.statistics import parse_statistics_payload

    good = {"year": 2026, "townships": [{"code": "1", "name": "甲乡", "cells": {"open_end": 12, "new": "<5"}}]}
    assert parse_statistics_payload(good) == [(2026, "1", "甲乡", {"open_end": 12, "new": "<5"})]
    for bad in ({"year": 2026, "townships": [{"code": "1", "name": "甲乡", "cells": {"open_end": 3}}]},
                {"year": 2026, "townships": [{"code": "1", "name": "甲乡", "cells": {"open_end": -1}}]},
                {"year": 2026, "townships": [{"code": "1", "name": "甲乡", "cells": {"open_end": "12"}}]},
                {"year": "x"}, {"townships": []}):
        with pytest.raises(ExchangeError):
            parse_statistics_payload(bad)


def test_interrupted_import_leaves_no_trace(templates: Templates, sup: Path, town_a: Path, tmp_path: Path) -> None:
    import os
    import signal
    import sys
    import time

    bundle_path = tmp_path / "B.p7m"
    bundle_path.write_bytes(export(town_a, templates.sup_cert))
    d = open_desk(sup)
    before = content_fingerprint(d)
    d.close()
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from fanguai_desk.services.desk import Desk\n"
        "from fanguai_desk.services.exchange import ExchangeService\n"
        "import fanguai_desk.exchange.importer as imp\n"
        "orig = imp.Merger.flush\n"
        "def slow(self):\n"
        "    orig(self); print('flushed', flush=True); time.sleep(0.2)\n"
        "imp.Merger.flush = slow\n"
        f"d = Desk.unlock(Path({str(sup)!r}), 'admin', {templates_password()!r})\n"
        f"d.exchange.import_bundle(Path({str(bundle_path)!r}).read_bytes())\n"
        "print('done', flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None
    flushed = 0
    for line in proc.stdout:
        if line.startswith("flushed"):
            flushed += 1
            if flushed == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert flushed == 3
    time.sleep(0.1)
    d = open_desk(sup)
    # The killed process did sign in (its LOGIN entry is committed); everything else is as it was.
    skip = {"audit_log", "registry_meta"}
    assert [t for t in content_fingerprint(d) if t[0] not in skip] == [t for t in before if t[0] not in skip]
    from fanguai_desk.store import audit
    from fanguai_desk.store.models import AuditEntry

    with d.read() as s:
        assert audit.verify_chain(s).ok
        assert not [e for e in s.scalars(select(AuditEntry)) if e.action.value == "import"]
    with d.registry.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    d.close()


def templates_password() -> str:
    from tests.conftest import ADMIN_PASSWORD

    return ADMIN_PASSWORD


def test_supervisor_who_re_enrols_still_opens_bundles_made_for_the_old_key(templates: Templates, sup: Path,
                                                                             town_a: Path) -> None:
    bundle = export(town_a, templates.sup_cert)  # on its way on a USB stick…
    s = open_desk(sup)
    pki = s.pki
    pki.install(pki.ca_issue(pki.enrol("李督导"), CA_PASSWORD))  # …while the supervisor gets new keys
    assert pki.export_encryption_certificate() != templates.sup_cert
    s.close()
    assert import_(sup, bundle).report.added["victim"] == 60


def test_close_and_reopen_travel_and_close_against_edit_is_a_conflict(templates: Templates, sup: Path,
                                                                      town_a: Path) -> None:
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(town_a)
    closed_id, edited_id = [r.id for r in d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=2)]
    d.lifecycle.close(closed_id, "repatriated")
    d.close()
    import_(sup, export(town_a, templates.sup_cert))
    s = open_desk(sup)
    v = s.victims.open_file(closed_id, audit_read=False).victim
    assert v.status.value == "closed" and v.closure_reason is not None and v.retention_until is not None
    s.victims.edit(edited_id, {"ethnicity": "藏族"})  # the supervisor edits, the township closes
    s.close()
    d = open_desk(town_a)
    d.lifecycle.close(edited_id, "death")
    d.lifecycle.reopen(closed_id, "送返后本人回到本地居住")
    d.close()
    outcome = import_(sup, export(town_a, templates.sup_cert))
    s = open_desk(sup)
    try:
        conflicts = s.exchange.conflicts()
        assert outcome.report.conflicts >= 1
        assert {c.record_id for c in conflicts} == {edited_id}
        assert "status" in {c.field for c in conflicts}
        assert s.victims.open_file(edited_id, audit_read=False).victim.status.value == "open"  # not silently closed
        reopened = s.victims.open_file(closed_id, audit_read=False).victim
        assert reopened.status.value == "open" and reopened.reopen_reason == "送返后本人回到本地居住"
    finally:
        s.close()


def test_maintained_state_does_not_travel_and_the_importer_raw_path_recomputes_it(templates: Templates, sup: Path,
                                                                                  town_a: Path) -> None:
    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(sup)
    try:
        with d.registry.engine.connect() as conn:
            assert state.drift(conn) == 0
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM victims WHERE current_placement IS NOT NULL").scalar()
            # the file tallies (migration 0018) too: kept by the triggers on the importer's raw path
            assert state.tally_drift(conn) == 0
            assert conn.exec_driver_sql("SELECT sum(n) FROM file_tallies").scalar() == conn.exec_driver_sql(
                "SELECT count(*) FROM victims").scalar()
    finally:
        d.close()


def _state(path: Path, vid: str) -> tuple[object, ...]:
    d = open_desk(path)
    try:
        with d.registry.engine.connect() as conn:
            return tuple(conn.exec_driver_sql(
                f"SELECT {', '.join(state.DERIVED_ORDER)} FROM victims WHERE id = ?", (vid,)).one())
    finally:
        d.close()


def test_an_import_settles_the_maintained_state_once_per_file_and_puts_the_triggers_back(
        templates: Templates, sup: Path, town_a: Path) -> None:
    """The importer's bulk inserts run without the per-row insert triggers of the maintained state
    (store/state.BulkInserts): the files it wrote are recomputed from their history before the commit, doctor's
    maintained_state check passes (no drifted file, no missing or altered trigger), and every column on the
    county side is the township's own — for a first import and for visits added later to files held here."""
    from datetime import date, timedelta

    from fanguai_desk.store.doctor import Status, state_check

    import_(sup, export(town_a, templates.sup_cert))
    d = open_desk(sup)
    try:
        assert state_check(d.registry.engine).status is Status.OK
        with d.registry.engine.connect() as conn:
            assert state.missing_triggers(conn) == [] and state.tally_drift(conn) == 0
            filled = conn.exec_driver_sql("SELECT count(next_visit_on), count(last_visit_on), count(schooling_gap), "
                                          "count(current_placement), count(last_contact_on) FROM victims").one()
        assert all(filled), filled  # every column has values to get right
    finally:
        d.close()
    vids = [first_victim(town_a)]
    d = open_desk(town_a)
    try:
        vids += [r.id for r in d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=3)]
        assert {vid: _state(town_a, vid) for vid in vids} == {vid: _state(sup, vid) for vid in vids}
        seen = (date.today() - timedelta(days=1)).isoformat()
        d.followups.record({"actual_date": seen, "method": "home_visit", "schooling": "在读",
                            "next_visit_date": (date.today() + timedelta(days=9)).isoformat()}, victim_id=vids[1])
        d.followups.plan(vids[2], (date.today() + timedelta(days=3)).isoformat())
        d.placements.add(vids[3], {"state": "returned_home", "start_date": seen})
    finally:
        d.close()
    import_(sup, export(town_a, templates.sup_cert))  # new rows on files the county already holds
    assert {vid: _state(town_a, vid) for vid in vids} == {vid: _state(sup, vid) for vid in vids}
    assert _state(sup, vids[1])[2] == seen and _state(sup, vids[3])[0] == "returned_home"
    d = open_desk(sup)
    try:
        assert state_check(d.registry.engine).status is Status.OK
        d.followups.plan(vids[1], (date.today() + timedelta(days=2)).isoformat())  # the triggers work again
        with d.registry.engine.connect() as conn:
            assert state.drift(conn) == 0
    finally:
        d.close()
    assert _state(sup, vids[1])[1] == (date.today() + timedelta(days=2)).isoformat()


_SCHOOL_SERVICE = (  # an adult "returned to school", stamped with the person's own time: written against the rule
    "INSERT INTO services (id, victim_id, service_type, responsible_unit, start_date, status, version, created_at, "
    "created_by, updated_at, updated_by, origin_installation, updated_installation) "
    "SELECT '6f1c2a9e-0d4b-4c7e-9a51-3b8e2f7d1c40', id, 'return_to_school', '县教育局', '2025-09-01', 'in_progress', 1, "
    "created_at, created_by, updated_at, updated_by, origin_installation, updated_installation FROM victims WHERE id = ?")
_PLACEMENT_NOTE = (  # a control character in the last record type of a bundle: refused while its rows are being read
    "UPDATE placements SET notes = 'x' || char(7) || 'y', version = version + 1 "
    "WHERE id = (SELECT id FROM placements WHERE victim_id != ? ORDER BY id LIMIT 1)")


@pytest.mark.parametrize(("tamper", "rule"), [(_SCHOOL_SERVICE, "school_service_not_school_age"),
                                              (_PLACEMENT_NOTE, "text_control_characters")])
def test_a_refused_import_leaves_the_state_triggers_as_they_were(templates: Templates, sup: Path, town_a: Path,
                                                                tamper: str, rule: str) -> None:
    """A bundle refused after rows were inserted in bulk — by a file rule checked once the bundle is read, or by a
    record rule while the state's insert triggers stand dropped: the rollback brings back everything, the
    triggers too."""
    d = open_desk(town_a)
    try:
        vid, _ = d.victims.register({"alias": "退学", "birth_date": "1990-03-01"})
        with d.registry.engine.begin() as conn:  # behind the service's back, as a tampered laptop would
            conn.exec_driver_sql(tamper, (vid,))
    finally:
        d.close()
    err = refused(sup, export(town_a, templates.sup_cert), "bundle_rule_violation")
    assert err.params["rule"] == rule
    d = open_desk(sup)
    try:
        with d.registry.engine.connect() as conn:
            assert state.missing_triggers(conn) == []
            assert conn.exec_driver_sql("SELECT count(*) FROM victims").scalar() == 0
    finally:
        d.close()
