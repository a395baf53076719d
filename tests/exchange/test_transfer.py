"""Transfer bundles (issue 13): a whole file with its history to another installation — same county or a
trusted peer county — imported through the normal import; the sender's file closes with reason 转出."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fanguai_desk.domain.enums import ClosureReason, FileStatus
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.pki import cert_fingerprint, load_certificate, pem
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import ChangeEntry, FollowUp, Victim
from tests.exchange.conftest import Templates, open_desk
from tests.helpers import assert_only_refusal_audited, content_fingerprint


def _open_file(d: Desk) -> str:
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    d.victims.edit(vid, {"ethnicity": "彝族"})  # some history to carry
    return vid


def _encryption_cert(path: Path) -> bytes:
    d = open_desk(path)
    try:
        return d.pki.export_encryption_certificate()
    finally:
        d.close()


def test_transfer_to_another_township_laptop_of_the_same_county(templates: Templates, tmp_path: Path) -> None:
    town_a, town_b = templates.copy("town_a", tmp_path), templates.copy("town_b", tmp_path)
    to_b = _encryption_cert(town_b)
    a = open_desk(town_a)
    try:
        vid = _open_file(a)
        with a.read() as s:
            history_here = s.scalar(select(func.count()).select_from(ChangeEntry).where(ChangeEntry.record_id == vid))
        out = a.transfer.send(vid, to_b, "白马镇民政办")
        v = a.victims.open_file(vid, audit_read=False).victim
        assert v.status is FileStatus.CLOSED and v.closure_reason is ClosureReason.TRANSFERRED
        assert v.transferred_to is not None and v.transferred_to.startswith("白马镇民政办")
        assert out.counts["victim"] == 1 and out.history >= 1
    finally:
        a.close()
    b = open_desk(town_b)
    try:
        before = content_fingerprint(b)
        with pytest.raises(ExchangeError) as err:  # any altered byte: refused, nothing written but the audit
            damaged = bytearray(out.bundle)
            damaged[random.Random(3).randrange(200, len(damaged) - 200)] ^= 0x01
            b.exchange.import_bundle(bytes(damaged))
        assert_only_refusal_audited(b, before, err.value.code)
        outcome = b.exchange.import_bundle(out.bundle)  # the normal import
        assert outcome.preview.kind == "transfer"
        with b.read() as s:
            got = s.get(Victim, vid)
            assert got is not None and got.status is FileStatus.OPEN and got.township.name == "白马镇"
            assert got.ethnicity == "彝族"
            carried = s.scalar(select(func.count()).select_from(ChangeEntry).where(ChangeEntry.record_id == vid))
            assert carried is not None and history_here is not None and carried >= history_here
            visits = s.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.victim_id == vid))
        assert visits is not None
        with pytest.raises(ExchangeError) as err:
            b.exchange.import_bundle(out.bundle)
        assert err.value.code == "bundle_replayed"
    finally:
        b.close()


def test_another_county_only_after_its_ca_is_trusted_by_fingerprint(templates: Templates, tmp_path: Path) -> None:
    town_a, foreign = templates.copy("town_a", tmp_path), templates.copy("foreign", tmp_path)
    fca_path = templates.copy("foreign_ca", tmp_path)
    fca = open_desk(fca_path)
    foreign_ca = fca.pki.trusted_ca()
    fca.close()
    assert foreign_ca is not None
    to_foreign = _encryption_cert(foreign)
    a = open_desk(town_a)
    try:
        vid = _open_file(a)
        before = content_fingerprint(a)
        with pytest.raises(ExchangeError) as err:  # not addressed to an untrusted county
            a.transfer.send(vid, to_foreign, "外县某镇")
        assert err.value.code == "transfer_untrusted_county"
        with pytest.raises(ValidationError) as bad:
            a.transfer.trust_peer(pem(foreign_ca), "00" * 32)
        assert bad.value.code == "peer_ca_fingerprint_mismatch"
        assert content_fingerprint(a) == before
        peer = a.transfer.trust_peer(pem(foreign_ca), cert_fingerprint(foreign_ca).upper())
        assert [p.fingerprint for p in a.transfer.peers()] == [peer.fingerprint]
        out = a.transfer.send(vid, to_foreign, "外县某镇民政办")
    finally:
        a.close()
    f = open_desk(foreign)
    try:
        before = content_fingerprint(f)
        with pytest.raises(ExchangeError) as err:  # the receiving county has not trusted ours yet
            f.exchange.import_bundle(out.bundle)
        assert err.value.code == "transfer_untrusted_county"  # a township laptop: says which trust is missing
        assert_only_refusal_audited(f, before, "transfer_untrusted_county")
        county = load_certificate(templates.county_ca)
        f.transfer.trust_peer(templates.county_ca, cert_fingerprint(county))
        f.exchange.import_bundle(out.bundle)
        with f.read() as s:
            got = s.get(Victim, vid)
            assert got is not None and got.township.name == "外县某镇"
    finally:
        f.close()


def test_transfer_through_the_command_line(templates: Templates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from fanguai_desk.cli import main
    from tests.conftest import ADMIN_PASSWORD

    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    town_a, foreign = templates.copy("town_a", tmp_path), templates.copy("foreign", tmp_path)
    fca_path = templates.copy("foreign_ca", tmp_path)
    fca = open_desk(fca_path)
    foreign_ca = fca.pki.trusted_ca()
    fca.close()
    assert foreign_ca is not None
    (tmp_path / "peer.pem").write_bytes(pem(foreign_ca))
    (tmp_path / "to.pem").write_bytes(_encryption_cert(foreign))
    (tmp_path / "county.pem").write_bytes(templates.county_ca)
    a = open_desk(town_a)
    vid = a.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    a.close()
    da, df = ("--data", str(town_a)), ("--data", str(foreign))
    out = tmp_path / "file.transfer"
    capsys.readouterr()
    assert main([*da, "victim", "transfer-out", vid, "--to", str(tmp_path / "to.pem"), "--destination", "外县某镇",
                 "--out", str(out)]) == 1
    assert "未受信任" in capsys.readouterr().err and not out.exists()
    assert main([*da, "ca", "trust-peer", str(tmp_path / "peer.pem"), "--fingerprint", "ab" * 32]) == 1
    assert main([*da, "ca", "trust-peer", str(tmp_path / "peer.pem"), "--fingerprint",
                 cert_fingerprint(foreign_ca)]) == 0
    capsys.readouterr()
    assert main(["--json", *da, "ca", "peers"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["fingerprint"] == cert_fingerprint(foreign_ca)
    assert main([*da, "victim", "transfer-out", vid, "--to", str(tmp_path / "to.pem"), "--destination", "外县某镇",
                 "--out", str(out)]) == 0 and out.exists()
    county = load_certificate(templates.county_ca)
    assert main([*df, "ca", "trust-peer", str(tmp_path / "county.pem"), "--fingerprint",
                 cert_fingerprint(county)]) == 0
    capsys.readouterr()
    assert main(["--json", *df, "import", str(out)]) == 0, capsys.readouterr().err
    f = open_desk(foreign)
    try:
        assert f.victims.open_file(vid, audit_read=False).victim.status is FileStatus.OPEN
    finally:
        f.close()
