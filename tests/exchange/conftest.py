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
from pathlib import Path

import pytest

from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD, CHEAP

CA_PASSWORD = "county-ca-password-1"


#: Township codes differ between laptops (file numbers are unique county-wide; an import refuses a clash).
TOWNSHIP_CODES = {"县民政局": "510100", "县妇联": "510190", "青龙镇": "510101", "白马镇": "510102", "黄龙镇": "510103",
                  "外县民政局": "510180", "外县某镇": "510181"}


def _create(path: Path, township: str) -> Desk:
    return Desk.create(path, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name=township,
                       township_code=TOWNSHIP_CODES.get(township, "510170"),
                       admin_display_name=f"{township}管理员", kdf=CHEAP)


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
