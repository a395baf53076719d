"""Bundles carry only what their signer may send; encryption certificates never sign; bombs are refused.

Each forged bundle here is signed by a genuine 青龙镇 caseworker certificate of the county CA — the attack
of issue 12 — and must be refused whole (``bundle_not_authorised`` naming the record), with nothing but
the refusal's audit entry written.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from sqlalchemy import select, text

from fanguai_desk.exchange.envelope import ExchangeError, sign_and_encrypt
from fanguai_desk.exchange.payload import PayloadWriter, read_lines
from fanguai_desk.pki.binding import BINDING_OID, Binding, binding_of
from fanguai_desk.store.models import Township, Victim, new_uuid
from tests.exchange.conftest import Templates, open_desk, opened_by_supervisor, refused

Lines = list[dict[str, Any]]


def _genuine_lines(sup: Path, town_a: Path, sup_cert: bytes, **export: Any) -> Lines:
    """A real 青龙镇 export, opened as the supervisor would (not imported)."""
    d = open_desk(town_a)
    try:
        bundle = d.exchange.export(sup_cert, **export).bundle
    finally:
        d.close()
    return list(read_lines(opened_by_supervisor(sup, bundle).payload))


def _resign(town_a: Path, sup_cert: bytes, lines: Lines, *, purpose: str = "signing") -> bytes:
    """Re-sign edited lines with 青龙镇's own key (the insider holds it)."""
    writer = PayloadWriter()
    for line in lines:
        if line["t"] == "record":
            writer.record(line["type"], line["data"])
        elif line["t"] == "tombstone":
            writer.tombstone(line["type"], line["id"], datetime.fromisoformat(line["deleted_at"]), line["reason"])
        elif line["t"] == "header":
            writer.line({k: v for k, v in line.items() if k != "inflated_bytes"})
        elif line["t"] == "review_flag":
            writer.line(line)
    payload = writer.finish()
    d = open_desk(town_a)
    try:
        pki = d.pki
        if purpose == "signing":
            material = pki.signing_material()
            key, cert = material.key, material.cert
        else:
            key, cert = pki.encryption_material()
        return sign_and_encrypt(payload, key, cert, x509.load_pem_x509_certificate(sup_cert))
    finally:
        d.close()


def _refused(sup: Path, bundle: bytes, code: str, accept_gap: bool = False) -> ExchangeError:
    return refused(sup, bundle, code, accept_gap=accept_gap)


def _first(lines: Lines, record_type: str) -> dict[str, Any]:
    return next(line for line in lines if line["t"] == "record" and line["type"] == record_type)


def _mutate(sup: Path, town_a: Path, templates: Templates, change: Callable[[Lines], None]) -> bytes:
    lines = _genuine_lines(sup, town_a, templates.sup_cert)
    change(lines)
    return _resign(town_a, templates.sup_cert, lines)


def test_the_genuine_bundle_still_imports(templates: Templates, sup: Path, town_a: Path) -> None:
    bundle = _mutate(sup, town_a, templates, lambda lines: None)
    d = open_desk(sup)
    try:
        outcome = d.exchange.import_bundle(bundle)
        assert outcome.report.added["victim"] == 60
    finally:
        d.close()


def test_a_file_added_under_another_township_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    other = {"id": new_uuid(), "name": "白马镇"}

    def change(lines: Lines) -> None:
        town = _first(lines, "township")
        lines.insert(lines.index(town) + 1, {"t": "record", "type": "township", "data": {**town["data"], **other}})
        _first(lines, "victim")["data"]["township_id"] = other["id"]

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_not_authorised")
    assert err.params["record_type"] == "township" and err.params["record_id"] == other["id"]


def test_a_file_moved_into_a_township_the_supervisor_knows_is_refused(templates: Templates, sup: Path,
                                                                     town_a: Path) -> None:
    d = open_desk(sup)
    with d.read() as s:
        sup_township = s.query(Township).one().id
    d.close()
    victim: dict[str, Any] = {}

    def change(lines: Lines) -> None:
        victim.update(_first(lines, "victim"))
        victim["data"]["township_id"] = sup_township

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_not_authorised")
    assert err.params == {"record_type": "victim", "record_id": victim["data"]["id"], "reason": "other_township"}


def _import_genuine_then_reassign(sup: Path, town_a: Path, templates: Templates) -> tuple[str, str]:
    """Import 青龙镇's files, then hand one over to the supervisor's own township: from now on it is not
    青龙镇's to change or delete (as a 白马镇 file would not be)."""
    d = open_desk(sup)
    try:
        d.exchange.import_bundle(_mutate(sup, town_a, templates, lambda lines: None))
        with d.tx() as s:
            other = s.query(Township).filter(Township.name != "青龙镇").one()
            vid = s.scalars(select(Victim.id).where(Victim.township_id != other.id).order_by(Victim.id)).first()
            assert vid is not None  # moved by hand (a test setup, not a use case: closed files refuse edits)
            s.execute(text("UPDATE victims SET township_id = :t WHERE id = :i"), {"t": other.id, "i": vid})
            return vid, other.id
    finally:
        d.close()


def test_overwriting_and_purging_another_townships_file_is_refused(templates: Templates, sup: Path,
                                                                  town_a: Path) -> None:
    vid, _other = _import_genuine_then_reassign(sup, town_a, templates)
    d = open_desk(town_a)
    with d.tx() as s:  # the next export holds the file again, "changed" (by hand, as a tampered laptop would)
        s.execute(text("UPDATE victims SET notes = 'changed', version = version + 1, updated_at = :now "
                       "WHERE id = :i"), {"now": datetime.now(UTC).replace(tzinfo=None), "i": vid})
    d.close()
    d = open_desk(town_a)
    try:
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    err = _refused(sup, bundle, "bundle_not_authorised")
    assert err.params["record_id"] == vid and err.params["reason"] == "other_township"

    def purge(lines: Lines) -> None:
        lines.insert(-1, {"t": "tombstone", "type": "victim", "id": vid, "deleted_at": "2026-11-20T08:00:00",
                          "reason": "purged"})
    lines = _genuine_lines(sup, town_a, templates.sup_cert)  # the next bundle (the refused one is missing)
    purge(lines)
    lines = [ln for ln in lines if ln["t"] != "record" or ln["type"] != "victim" or ln["data"]["id"] != vid]
    err = _refused(sup, _resign(town_a, templates.sup_cert, lines), "bundle_not_authorised", accept_gap=True)
    assert err.params == {"record_type": "victim", "record_id": vid, "reason": "other_township"}


def test_a_made_up_author_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    ghost = new_uuid()

    def change(lines: Lines) -> None:
        _first(lines, "victim")["data"]["updated_by"] = ghost

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_not_authorised")
    assert err.params["record_type"] == "victim" and err.params["reason"] == "author_not_township"


def test_a_foreign_installation_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    def change(lines: Lines) -> None:
        _first(lines, "followup")["data"]["updated_installation"] = new_uuid()

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_not_authorised")
    assert err.params["record_type"] == "followup" and err.params["reason"] == "installation_not_signer"


def test_a_header_naming_another_author_is_refused(templates: Templates, sup: Path, town_a: Path) -> None:
    def change(lines: Lines) -> None:
        lines[0]["author_user_id"] = new_uuid()

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_not_authorised")
    assert err.params["reason"] == "author_not_signer"


def test_a_bundle_signed_with_an_encryption_certificate_is_refused(templates: Templates, sup: Path,
                                                                  town_a: Path) -> None:
    lines = _genuine_lines(sup, town_a, templates.sup_cert)
    bundle = _resign(town_a, templates.sup_cert, lines, purpose="encryption")
    err = _refused(sup, bundle, "bundle_signer_not_signing")
    assert len(err.params["signer"]) == 64


def test_refused_import_audit_holds_code_bundle_and_signer_only(templates: Templates, sup: Path,
                                                                town_a: Path) -> None:
    lines = _genuine_lines(sup, town_a, templates.sup_cert)
    _first(lines, "victim")["data"]["updated_by"] = new_uuid()
    _refused(sup, _resign(town_a, templates.sup_cert, lines), "bundle_not_authorised")
    d = open_desk(sup)
    try:
        from fanguai_desk.store.models import AuditEntry

        with d.read() as s:
            entry = s.query(AuditEntry).filter(AuditEntry.action == "import").order_by(AuditEntry.seq.desc()).first()
        assert entry is not None and entry.record_id == lines[0]["bundle_id"]
        detail = json.loads(entry.detail)
        assert set(detail) <= {"refused", "signer", "offending_record_type", "offending_record_id", "reason"}
        assert detail["refused"] == "bundle_not_authorised" and len(detail["signer"]) == 64
    finally:
        d.close()


def test_binding_is_in_the_certificate_and_read_back(templates: Templates, town_a: Path) -> None:
    d = open_desk(town_a)
    try:
        cert = d.pki.signing_material().cert
        binding = binding_of(cert)
        assert binding is not None and binding.from_extension
        assert (binding.township_name, binding.role, binding.user_id) == ("青龙镇", "admin", d.actor.user_id)
        assert binding.township_id == d.actor.township_id
        assert not cert.extensions.get_extension_for_oid(BINDING_OID).critical
    finally:
        d.close()


def test_certificates_without_the_extension_keep_their_subject_binding() -> None:
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "青龙镇"),
                      x509.NameAttribute(NameOID.TITLE, "caseworker"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "社工")])
    from fanguai_desk.pki.binding import _from_subject

    assert _from_subject(name) == Binding("青龙镇", "caseworker", from_extension=False)
    assert _from_subject(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "社工")])) is None


def test_ca_issue_requires_the_supervisor_to_confirm_the_township(templates: Templates, sup: Path,
                                                                  tmp_path: Path) -> None:
    from fanguai_desk.domain.errors import ValidationError
    from tests.exchange.conftest import CA_PASSWORD, _create

    d = _create(tmp_path / "town_c", "黄龙镇")
    request = d.pki.enrol("黄龙镇社工")
    d.close()
    s = open_desk(sup)
    try:
        pki = s.pki
        assert pki.request_binding(request) is not None
        with pytest.raises(ValidationError) as err:
            pki.ca_issue(request, CA_PASSWORD, confirm_township="青龙镇")
        assert err.value.code == "binding_not_confirmed"
        bundle = pki.ca_issue(request, CA_PASSWORD, confirm_township="黄龙镇")
        assert b"BEGIN CERTIFICATE" in bundle
    finally:
        s.close()


BOMB_CHILD = r"""
import gzip, json, sys, zlib
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.payload import read_lines
from fanguai_desk.bench.child import peak_rss_mb

kind = sys.argv[1]
header = {"t": "header", "format": "fanguai-exchange", "format_version": 2, "kind": "records"}
if kind in ("declared", "lines"):
    header["inflated_bytes"] = 10_000
head = gzip.compress(json.dumps(header).encode() + b"\n")
c = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [c.compress(b"x" * 2**20) for _ in range(1024)]  # 1 GiB of one endless line
if kind == "lines":
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    line = json.dumps({"t": "record", "type": "victim", "data": {"notes": "y" * 1000}}).encode() + b"\n"
    parts = [c.compress(line * 1000) for _ in range(1024)]
parts.append(c.flush())
payload = head + b"".join(parts)
code = None
try:
    for _ in read_lines(payload):
        pass
except ExchangeError as exc:
    code = exc.code
print(json.dumps({"code": code, "compressed_mb": len(payload) / 2**20, "peak_rss_mb": peak_rss_mb()}))
"""


@pytest.mark.parametrize("kind", ["declared", "undeclared", "lines"])
def test_a_bundle_bomb_is_refused_with_bounded_memory(kind: str) -> None:
    """1 GiB behind a ~1 MB payload: refused as too large, peak memory far below 300 MB."""
    out = subprocess.run([sys.executable, "-c", BOMB_CHILD, kind], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2], timeout=600)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"bomb {kind}: {result}")
    assert result["code"] == "bundle_too_large"
    assert result["compressed_mb"] < 5
    assert result["peak_rss_mb"] < 300


def test_a_bomb_inside_a_signed_bundle_writes_nothing(templates: Templates, sup: Path, town_a: Path) -> None:
    lines = _genuine_lines(sup, town_a, templates.sup_cert)
    lines.insert(-1, {"t": "record", "type": "victim", "data": {"notes": "z" * (40 * 2**20)}})
    err = _refused(sup, _resign(town_a, templates.sup_cert, lines), "bundle_too_large")
    assert err.params["limit_mb"] >= 1


def test_payload_declares_its_inflated_size() -> None:
    w = PayloadWriter()
    w.line({"t": "header", "format": "fanguai-exchange", "format_version": 2})
    w.record("township", {"id": "x"})
    payload = w.finish()
    first = gzip.decompress(payload).split(b"\n", 1)
    assert json.loads(first[0])["inflated_bytes"] == len(first[1])


@pytest.mark.parametrize("record_type", ["victim", "followup"])
def test_a_record_sent_twice_is_refused_with_nothing_written(templates: Templates, sup: Path, town_a: Path,
                                                             record_type: str) -> None:
    """A bundle carries each record once.  Into an empty registry the import does not look each record up
    (nothing can be held there but what the bundle itself brought): the repeat is caught at the insert, and
    the whole import refused — never a second copy, never half a bundle."""
    def change(lines: Lines) -> None:
        first = _first(lines, record_type)
        repeat = {**first, "data": {**first["data"], "notes": "第二份"}}
        lines.insert(lines.index(first) + 1, repeat)

    err = _refused(sup, _mutate(sup, town_a, templates, change), "bundle_malformed")
    assert err.params == {"part": "record"}
