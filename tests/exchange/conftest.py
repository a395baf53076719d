"""Registries with real certificates for exchange tests, built once per session and copied per test.

    sup      supervisor laptop: the county CA, and its own signing/encryption certificates
    sup2     another supervisor of the same county (a wrong recipient)
    town_a   青龙镇 laptop with 60 synthetic files and certificates from the county CA
    town_b   白马镇 laptop with certificates from the county CA
    foreign  a laptop whose certificates come from another county's CA
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fanguai_desk.domain.enums import FileStatus, Installation
from fanguai_desk.exchange.envelope import ExchangeError, OpenedBundle, open_bundle
from fanguai_desk.exchange.exporter import EXPORT_ORDER
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import User, Victim
from tests.conftest import ADMIN_PASSWORD, CHEAP
from tests.helpers import assert_only_refusal_audited, content_fingerprint

CA_PASSWORD = "county-ca-password-1"


#: Township codes differ between laptops (file numbers are unique county-wide; an import refuses a clash).
TOWNSHIP_CODES = {"县民政局": "510100", "县妇联": "510190", "青龙镇": "510101", "白马镇": "510102", "黄龙镇": "510103",
                  "外县民政局": "510180", "外县某镇": "510181"}


#: The county-level laptops (the county's own, another county's CA): created as the county's (store/installation.py).
COUNTY_LAPTOPS = {"县民政局", "县妇联", "外县民政局"}


def _create(path: Path, township: str) -> Desk:
    return Desk.create(path, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name=township,
                       township_code=TOWNSHIP_CODES.get(township, "510170"),
                       admin_display_name=f"{township}管理员", kdf=CHEAP,
                       installation=Installation.COUNTY if township in COUNTY_LAPTOPS else Installation.TOWNSHIP)


@dataclass
class Templates:
    root: Path
    sup_cert: bytes  # supervisor's encryption certificate (what townships export to)
    sup2_cert: bytes
    county_ca: bytes

    def copy(self, name: str, dest: Path) -> Path:
        target = dest / name
        shutil.copytree(self.root / name, target)
        return target


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    root = tmp_path_factory.mktemp("exchange-templates")
    sup = _create(root / "sup", "县民政局")
    sup_pki = sup.pki
    ca_cert = sup_pki.ca_init("示例县民政局数字证书中心", "示例县民政局", CA_PASSWORD)
    sup_pki.install(sup_pki.ca_issue(sup_pki.enrol("李督导"), CA_PASSWORD))
    sup_cert = sup_pki.export_encryption_certificate()

    def enrolled(name: str, township: str) -> Desk:
        d = _create(root / name, township)
        p = d.pki
        p.install(sup_pki.ca_issue(p.enrol(f"{township}社工"), CA_PASSWORD))
        return d

    sup2 = enrolled("sup2", "县妇联")
    sup2_cert = sup2.pki.export_encryption_certificate()
    town_a = enrolled("town_a", "青龙镇")
    town_a.demo.run(DemoSpec(victims=60, townships=1, seed=21))
    town_b = enrolled("town_b", "白马镇")

    foreign_ca = _create(root / "foreign_ca", "外县民政局")
    fpki = foreign_ca.pki
    fpki.ca_init("外县证书中心", "外县民政局", CA_PASSWORD)
    foreign = _create(root / "foreign", "外县某镇")
    foreign.pki.install(fpki.ca_issue(foreign.pki.enrol("外县社工"), CA_PASSWORD))
    from cryptography.hazmat.primitives import serialization

    county = ca_cert.public_bytes(serialization.Encoding.PEM)
    for d in (sup, sup2, town_a, town_b, foreign_ca, foreign):
        d.close()
    return Templates(root, sup_cert, sup2_cert, county)


def open_desk(path: Path) -> Desk:
    return Desk.unlock(path, "admin", ADMIN_PASSWORD)


# ---------------------------------------------------------------------------------------------- shared set-up
# One copy of what the exchange tests each wrote again: a test's own copies of the supervisor's and 青龙镇's
# laptops, export and import through the service, a refusal that must write nothing but its audit entry,
# and every record of a registry for comparing the two sides.

@pytest.fixture
def sup(templates: Templates, tmp_path: Path) -> Path:
    """This test's copy of the supervisor's laptop."""
    return templates.copy("sup", tmp_path)


@pytest.fixture
def town_a(templates: Templates, tmp_path: Path) -> Path:
    """This test's copy of 青龙镇's laptop (60 synthetic files)."""
    return templates.copy("town_a", tmp_path)


@pytest.fixture
def town(town_a: Path) -> Path:
    """The township of the delivery tests: 青龙镇."""
    return town_a


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    """A USB stick's folder for this test's bundles."""
    path = tmp_path / "usb"
    path.mkdir()
    return path


def export_outcome(path: Path, recipient: bytes, **kw: Any) -> Any:
    """``ExchangeService.export`` on the registry at ``path`` (signed in as its administrator)."""
    d = open_desk(path)
    try:
        return d.exchange.export(recipient, **kw)
    finally:
        d.close()


def export_bundle(path: Path, recipient: bytes, **kw: Any) -> bytes:
    """The bundle's bytes only."""
    return bytes(export_outcome(path, recipient, **kw).bundle)


def import_bundle(path: Path, bundle: bytes, **kw: Any) -> Any:
    d = open_desk(path)
    try:
        return d.exchange.import_bundle(bundle, **kw)
    finally:
        d.close()


def refused(path: Path, bundle: bytes, code: str, **kw: Any) -> ExchangeError:
    """The import is refused with ``code`` and writes nothing but the refusal's audit entry."""
    d = open_desk(path)
    before = content_fingerprint(d)
    try:
        with pytest.raises(ExchangeError) as err:
            d.exchange.import_bundle(bundle, **kw)
        assert err.value.code == code, (err.value.code, err.value.params)
        assert_only_refusal_audited(d, before, code)
        return err.value
    finally:
        d.close()


def table_rows(path: Path, *, townships: bool = True) -> dict[str, dict[str, tuple[object, ...]]]:
    """Every record that travels, every column, by type and id — user stubs left out (matched differently),
    and townships too unless ``townships``."""
    d = open_desk(path)
    out: dict[str, dict[str, tuple[object, ...]]] = {}
    try:
        with d.read() as s:
            for model in EXPORT_ORDER:
                if model is User or (not townships and model.RECORD_TYPE == "township"):
                    continue
                cols = [c.key for c in model.__table__.columns]
                out[model.RECORD_TYPE] = {r.id: tuple(getattr(r, c) for c in cols) for r in s.scalars(select(model))}
    finally:
        d.close()
    return out


def first_victim(path: Path) -> str:
    """An open file (closed files refuse edits)."""
    d = open_desk(path)
    try:
        with d.read() as s:
            vid = s.scalar(select(Victim.id).where(Victim.status == FileStatus.OPEN).order_by(Victim.id).limit(1))
        assert vid is not None
        return vid
    finally:
        d.close()


def edit_notes(path: Path, vid: str, *notes: str) -> int:
    """Edit a file's notes once per text (each edit a new version); the version the file ends at."""
    d = open_desk(path)
    try:
        for text in notes:
            d.victims.edit(vid, {"notes": text})
        with d.read() as s:
            v = s.get(Victim, vid)
            assert v is not None
            return int(v.version)
    finally:
        d.close()


def opened_by_supervisor(sup: Path, bundle: bytes) -> OpenedBundle:
    """A bundle decrypted and verified as the supervisor's import would, without importing it."""
    s = open_desk(sup)
    try:
        pki = s.pki
        key, cert = pki.encryption_material()
        ca = pki.trusted_ca()
        assert ca is not None
        return open_bundle(bundle, key, cert, ca, pki.crls(), datetime.now(UTC))
    finally:
        s.close()
