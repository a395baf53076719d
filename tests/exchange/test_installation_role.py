"""What this laptop is — a township's or the county's — decided in the core and combined with the user's role.

Issue 15's residual: a township administrator held ``exchange.import`` and ``pki.county_ca`` like the county's,
so the CLI let them write receipts and the UI showed them the county's tabs.  Now the permission table asks
both the role and the installation (``domain/permissions.py``: ``PERMISSIONS`` and ``INSTALLATIONS``), the
installation is a registry-level fact fixed at creation (``store/installation.py``), and every refusal writes
nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from fanguai_desk.domain.enums import Installation, Role
from fanguai_desk.domain.errors import AccessDenied, FanguaiError
from fanguai_desk.domain.permissions import (
    INSTALLATIONS,
    PERMISSIONS,
    Permission,
    allowed,
    installation_refusal,
)
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import installation
from fanguai_desk.store.models import AuditEntry, PkiObject, RegistryMeta
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.exchange.conftest import CA_PASSWORD, Templates, export_bundle, open_desk
from tests.helpers import content_fingerprint

ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER)


def test_the_table_combines_the_role_and_the_laptop() -> None:
    for permission in Permission:
        for role in Role:
            for kind in Installation:
                assert allowed(role, permission, kind) is (
                    role in PERMISSIONS[permission] and kind in INSTALLATIONS.get(permission, set(Installation)))
    county_only = {Permission.IMPORT, Permission.COUNTY_CA}
    for role in Role:  # nobody on a township laptop, its administrator included
        assert not any(allowed(role, p, Installation.TOWNSHIP) for p in county_only)
        assert not allowed(role, Permission.EXPORT, Installation.COUNTY)
    assert allowed(Role.ADMIN, Permission.IMPORT, Installation.COUNTY)
    assert allowed(Role.CASEWORKER, Permission.EXPORT, Installation.TOWNSHIP)
    assert allowed(Role.ADMIN, Permission.PEER_TRUST, Installation.TOWNSHIP)  # receiving a transfer from afar
    assert installation_refusal(Permission.IMPORT, Installation.TOWNSHIP) == "county_installation_only"
    assert installation_refusal(Permission.EXPORT, Installation.COUNTY) == "township_installation_only"
    assert installation_refusal(Permission.FILE_WRITE, Installation.COUNTY) is None


# ------------------------------------------------------------------------------------------------ services

def _users(path: Path, township: str) -> None:
    d = open_desk(path)
    try:
        d.users.add("sup_role", USER_PASSWORD, Role.SUPERVISOR, None, display_name="督导")
        d.users.add("cw_role", USER_PASSWORD, Role.CASEWORKER, township, display_name="社工")
    finally:
        d.close()


def _as(path: Path, role: Role) -> Desk:
    if role is Role.ADMIN:
        return open_desk(path)
    return Desk.unlock(path, "sup_role" if role is Role.SUPERVISOR else "cw_role", USER_PASSWORD)


def _actions(bundle: bytes, recipient: bytes) -> list[tuple[str, Permission, Callable[[Desk], Any]]]:
    """Each action of the exchange and the county authority, through the services (what the CLI and UI call)."""
    return [
        ("preview", Permission.IMPORT, lambda d: d.exchange.preview(bundle)),
        ("conflicts", Permission.IMPORT, lambda d: d.exchange.conflicts()),
        ("resolve_conflict", Permission.IMPORT, lambda d: d.exchange.resolve_conflict("none", "local")),
        ("duplicates", Permission.IMPORT, lambda d: d.exchange.duplicates()),
        ("review_duplicate", Permission.IMPORT, lambda d: d.exchange.review_duplicate("none", "dismissed")),
        ("imported", Permission.IMPORT, lambda d: d.exchange.imported()),
        ("received_statistics", Permission.IMPORT, lambda d: d.exchange.received_statistics()),
        ("receipt", Permission.IMPORT, lambda d: d.exchange.receipt()),
        ("ca_init", Permission.COUNTY_CA, lambda d: d.pki.ca_init("某证书中心", "某局", CA_PASSWORD)),
        ("ca_issue", Permission.COUNTY_CA, lambda d: d.pki.ca_issue(b"not a request", CA_PASSWORD)),
        ("ca_pkcs12", Permission.COUNTY_CA, lambda d: d.pki.ca_pkcs12()),
        ("issued", Permission.COUNTY_CA, lambda d: d.pki.issued()),
        ("ca_revoke", Permission.COUNTY_CA, lambda d: d.pki.ca_revoke([], CA_PASSWORD)),
        ("export", Permission.EXPORT, lambda d: d.exchange.export(recipient)),
        ("import_receipt", Permission.EXPORT, lambda d: d.exchange.import_receipt(b"not a receipt")),
    ]


@pytest.mark.parametrize("kind", list(Installation))
def test_each_role_on_each_laptop_is_refused_what_the_table_refuses_and_nothing_is_written(
        templates: Templates, tmp_path: Path, kind: Installation) -> None:
    town = templates.copy("town_a", tmp_path)
    bundle = export_bundle(town, templates.sup_cert)
    path = templates.copy("sup", tmp_path / "county") if kind is Installation.COUNTY else town
    _users(path, "县民政局" if kind is Installation.COUNTY else "青龙镇")
    refused = 0
    for role in ROLES:
        d = _as(path, role)
        try:
            assert d.installation is kind
            for name, permission, action in _actions(bundle, templates.sup_cert):
                expected = allowed(role, permission, kind)
                assert d.can(permission) is expected, (role, name)
                before = content_fingerprint(d)
                try:
                    action(d)
                except AccessDenied as exc:
                    assert not expected, (role, name, exc.code)
                    assert exc.code == (installation_refusal(permission, kind) or "role_required"), (role, name)
                    assert content_fingerprint(d) == before, (role, name)
                    refused += 1
                    continue
                except FanguaiError:  # past the gate: refused for another reason (no such conflict, no key…)
                    pass
                assert expected, (role, name, "not refused")
        finally:
            d.close()
    # every one of the county's actions for every role on a township laptop, and the export ones on the county's
    assert refused >= (3 * 13 if kind is Installation.TOWNSHIP else 3 * 2)


def test_a_township_laptop_imports_no_township_bundle_whoever_signs_in(templates: Templates, tmp_path: Path) -> None:
    """The import itself: a township's bundle for the county is refused on a township laptop with the
    laptop's reason, and nothing is written (not even a refusal entry — no import was attempted); the same
    bundle imports on the county's laptop.  A transfer of one file still imports on a township (test_transfer)."""
    town, county = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path / "county")
    bundle = export_bundle(town, templates.sup_cert)
    other = templates.copy("town_b", tmp_path)
    d = open_desk(other)
    try:
        before = content_fingerprint(d)
        with pytest.raises(FanguaiError) as err:
            d.exchange.import_bundle(bundle)
        assert err.value.code == "bundle_not_for_this_township"
        assert content_fingerprint(d) == before
    finally:
        d.close()
    # a records bundle that a township user *can* open (exported to their own encryption certificate): the
    # laptop's refusal all the same, nothing written
    d = open_desk(other)
    to_township = d.pki.export_encryption_certificate()
    d.close()
    readable = export_bundle(town, to_township)
    d = open_desk(other)
    try:
        before = content_fingerprint(d)
        with pytest.raises(AccessDenied) as denied:
            d.exchange.import_bundle(readable)
        assert denied.value.code == "county_installation_only"
        assert content_fingerprint(d) == before
    finally:
        d.close()
    d = open_desk(county)
    try:
        assert d.exchange.import_bundle(bundle).report
        assert len(d.exchange.imported()) == 1
    finally:
        d.close()


def test_the_laptop_kind_is_fixed_at_creation_and_no_setting_changes_it(tmp_path: Path) -> None:
    from tests.conftest import CHEAP

    d = Desk.create(tmp_path / "r", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                    kdf=CHEAP)
    try:
        assert d.installation is Installation.TOWNSHIP and not d.can(Permission.COUNTY_CA)
        before = content_fingerprint(d)
        with pytest.raises(AccessDenied) as err:  # a township administrator cannot make the laptop the county's
            d.update_settings({installation.KEY: Installation.COUNTY.value})
        assert err.value.code == "setting_unknown"
        assert content_fingerprint(d) == before
        with d.read() as s:
            created = s.scalar(select(AuditEntry).where(AuditEntry.record_type == "registry"))
            assert created is not None and json.loads(created.detail) == {"installation": "township"}
    finally:
        d.close()
    d = Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    try:
        assert d.installation is Installation.TOWNSHIP
    finally:
        d.close()
    c = Desk.create(tmp_path / "c", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="县民政局",
                    township_code="510100", kdf=CHEAP, installation=Installation.COUNTY)
    try:
        assert c.installation is Installation.COUNTY and c.can(Permission.COUNTY_CA) and not c.can(Permission.EXPORT)
    finally:
        c.close()


# ------------------------------------------------------------------------------------------------ migration

def _downgrade_to_0021(path: Path, edit: Callable[[Any], None] | None = None) -> None:
    from alembic import command

    from fanguai_desk.store.schema import alembic_config, current_revision

    d = open_desk(path)
    engine = d.registry.engine
    with d.tx() as s:
        if edit is not None:
            edit(s)
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0021")
    assert current_revision(engine) == "0021"
    with d.read() as s:
        assert s.get(RegistryMeta, installation.KEY) is None
    d.registry.close()


def test_migration_0022_decides_existing_registries_from_what_they_hold(templates: Templates, tmp_path: Path) -> None:
    from fanguai_desk.store.schema import current_revision, head_revision

    town, county = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path / "county")
    bundle = export_bundle(town, templates.sup_cert)
    # a county laptop that imported but holds no CA key (a second county laptop): the imports decide
    second = templates.copy("sup", tmp_path / "second")
    d = open_desk(second)
    d.exchange.import_bundle(bundle)
    d.close()

    def drop_ca(s: Any) -> None:
        s.execute(delete(PkiObject).where(PkiObject.kind == "ca_pkcs12"))

    _downgrade_to_0021(town)
    _downgrade_to_0021(county)
    _downgrade_to_0021(second, drop_ca)
    for path, expected in ((town, Installation.TOWNSHIP), (county, Installation.COUNTY),
                           (second, Installation.COUNTY)):
        d = Desk.unlock(path, "admin", ADMIN_PASSWORD)
        try:
            assert current_revision(d.registry.engine) == head_revision()
            assert d.installation is expected, path.name
            with d.read() as s:
                assert s.get(RegistryMeta, installation.KEY).value == expected.value  # type: ignore[union-attr]
        finally:
            d.close()
    # re-runnable: a stored fact is never overwritten, an empty database (being created) is left alone
    d = open_desk(county)
    try:
        with d.registry.engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("UPDATE registry_meta SET value = 'township' WHERE key = 'installation'")
            installation.backfill(conn)
            assert conn.exec_driver_sql(
                "SELECT value FROM registry_meta WHERE key = 'installation'").scalar() == "township"
    finally:
        d.close()


# ------------------------------------------------------------------------------------------------ CLI

def _cli(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> tuple[int, str, str]:
    from fanguai_desk.cli import main

    capsys.readouterr()
    code = main(["--data", str(path), "--user", "admin", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _stored(path: Path) -> list[Any]:
    """Everything but the audit log (a CLI call signs in and out) — and the audit log's own actions."""
    d = open_desk(path)
    try:
        rows = [t for t in content_fingerprint(d) if t[0] not in ("audit_log", "registry_meta")]
        with d.read() as s:
            actions = [e.action.value for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
        with d.read() as s:
            meta = sorted((m.key, m.value) for m in s.scalars(select(RegistryMeta))
                          if not m.key.startswith(("audit_head", "clock_")))  # what a sign-in keeps
        return [rows, meta, actions]
    finally:
        d.close()


def _only_sign_ins_added(before: list[Any], after: list[Any]) -> None:
    assert after[0] == before[0] and after[1] == before[1]
    added = after[2][len(before[2]):]
    assert set(added) <= {"login", "logout"}, added


def test_the_command_line_refuses_with_the_laptops_reason_and_writes_nothing(
        templates: Templates, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("FANGUAI_CA_PASSWORD", CA_PASSWORD)
    town, county = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path / "county")
    cert = tmp_path / "sup.crt"
    cert.write_bytes(templates.sup_cert)
    junk = tmp_path / "junk.p7s"
    junk.write_bytes(b"junk")
    receipt = tmp_path / "receipt.p7s"
    township_refusals = [
        ("exchange", "receipt", "--out", str(receipt)),  # the residual: an empty receipt from a township
        ("conflicts",),
        ("duplicates",),
        ("ca", "init", "--name", "乡镇证书中心", "--org", "青龙镇"),
        ("ca", "list",),
    ]
    for argv in township_refusals:
        before = _stored(town)
        code, out, err = _cli(capsys, town, *argv)
        assert code == 1, (argv, out, err)
        assert "本机是乡镇电脑" in err and "县级电脑" in err and "Traceback" not in err, (argv, err)
        _only_sign_ins_added(before, _stored(town))
    assert not receipt.exists()
    code, _out, err = _cli(capsys, town, "--json", "conflicts")
    assert code == 1 and json.loads(err)["error"]["code"] == "county_installation_only"
    code, _out, err = _cli(capsys, town, "--lang", "en", "exchange", "receipt", "--out", str(receipt))
    assert code == 1 and "This is a township laptop" in err and not receipt.exists()

    out_file = tmp_path / "county-export.p7m"
    for argv in (("export", "--to", str(cert), "--out", str(out_file)), ("exchange", "ack", str(junk))):
        before = _stored(county)
        code, out, err = _cli(capsys, county, *argv)
        assert code == 1, (argv, out, err)
        assert "本机是县级电脑" in err and "Traceback" not in err, (argv, err)
        _only_sign_ins_added(before, _stored(county))
    assert not out_file.exists()
    code, _out, err = _cli(capsys, county, "--json", "exchange", "ack", str(junk))
    assert code == 1 and json.loads(err)["error"]["code"] == "township_installation_only"


def test_the_ca_password_is_not_asked_where_the_ca_is_refused(
        templates: Templates, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a township laptop, ``ca init`` / ``issue`` / ``revoke`` / ``crl`` are refused for what the laptop is
    before any CA password is asked: with none given (no variable, no file, no terminal) the refusal is the
    laptop's, not "the CA password is needed"."""
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.delenv("FANGUAI_CA_PASSWORD", raising=False)
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "")
    town = templates.copy("town_a", tmp_path)
    for argv in (("ca", "init", "--name", "乡镇证书中心", "--org", "青龙镇"), ("ca", "crl", "--out",
                                                                          str(tmp_path / "x.crl"))):
        before = _stored(town)
        code, _out, err = _cli(capsys, town, "--json", *argv)
        assert code == 1 and json.loads(err)["error"]["code"] == "county_installation_only", (argv, err)
        _only_sign_ins_added(before, _stored(town))
    assert asked == []
    assert not (tmp_path / "x.crl").exists()


def test_init_decides_the_laptop_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from fanguai_desk.cli import main

    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    assert main(["--data", str(tmp_path / "t"), "--json", "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    assert json.loads(capsys.readouterr().out)["installation"] == "township"
    assert main(["--data", str(tmp_path / "c"), "init", "--admin", "admin", "--township", "县民政局",
                 "--township-code", "510100", "--county"]) == 0
    assert "本机是县级电脑" in capsys.readouterr().out
    for name, kind in (("t", Installation.TOWNSHIP), ("c", Installation.COUNTY)):
        d = Desk.unlock(tmp_path / name, "admin", ADMIN_PASSWORD)
        try:
            assert d.installation is kind
        finally:
            d.close()
