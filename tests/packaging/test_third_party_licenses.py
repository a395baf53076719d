"""The bundles' THIRD-PARTY-LICENSES.txt generator (packaging/third_party_licenses.py, run by the spec)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The spec's network excludes.
NETWORK = ["oscrypto", "requests", "urllib3"]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_every_shipped_distribution_has_its_licence_text(tmp_path: Path) -> None:
    tpl = _load("third_party_licenses")
    out = tmp_path / "THIRD-PARTY-LICENSES.txt"
    shipped = {s.split()[0].lower() for s in tpl.build(out, ROOT / "pyproject.toml", NETWORK)}
    text = out.read_text(encoding="utf-8")
    # what the issue names: Qt (LGPL, with the GPL it incorporates), pyHanko, SQLCipher, lxml, reportlab
    assert {"pyside6_essentials", "shiboken6", "pyhanko", "pyhanko-certvalidator", "sqlcipher3", "lxml", "reportlab",
            "cryptography", "sqlalchemy", "alembic", "asn1crypto"} <= shipped
    for marker in ("GNU LESSER GENERAL PUBLIC LICENSE", "GNU GENERAL PUBLIC LICENSE", "ZETETIC LLC", "OpenSSL",
                   "PYTHON SOFTWARE FOUNDATION LICENSE", "Apache License"):
        assert marker in text, marker
    # the excluded network stacks are not claimed as shipped; developer tools never appear
    assert not shipped & {"oscrypto", "pytest", "mypy", "pyinstaller"}
    assert {"aiohttp", "yarl", "multidict", "certifi"} <= shipped  # imported by pyhanko.sign.timestamps


def test_a_distribution_without_licence_text_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tpl = _load("third_party_licenses")
    monkeypatch.setattr(tpl, "EXTRA_TEXTS", {k: v for k, v in tpl.EXTRA_TEXTS.items() if k != "shiboken6"})
    out = tmp_path / "THIRD-PARTY-LICENSES.txt"
    with pytest.raises(SystemExit, match="shiboken6"):
        tpl.build(out, ROOT / "pyproject.toml", NETWORK)
    assert not out.exists()


def test_readme_figures_replace_only_their_block(tmp_path: Path) -> None:
    figures = _load("readme_figures")
    readme = tmp_path / "README.md"
    readme.write_text("a <!-- figures:x -->old<!-- /figures:x --> b <!-- figures:y -->keep<!-- /figures:y -->\n",
                      encoding="utf-8")
    assert figures.update("x", "190 MB, 300 files", readme)
    assert readme.read_text(encoding="utf-8") == (
        "a <!-- figures:x -->190 MB, 300 files<!-- /figures:x --> b <!-- figures:y -->keep<!-- /figures:y -->\n")
    assert not figures.update("missing", "z", readme)
