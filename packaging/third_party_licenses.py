"""THIRD-PARTY-LICENSES.txt for a bundle: the licence texts of everything it ships, generated and checked.

Run by packaging/fanguai-desk.spec inside the interpreter that builds the bundle (the Linux build venv, or
the Windows embeddable CPython under Wine), so it sees exactly the distributions — and the platform
markers — of that build:

* the runtime dependency closure of pyproject.toml's ``[project].dependencies``, following each installed
  distribution's own requirements (markers evaluated for this interpreter), minus the distributions whose
  every top-level module the spec excludes (aiohttp and friends: never in the bundle, so not listed);
* for each, the licence files its wheel carries (``License-File`` metadata, or LICENSE/COPYING/NOTICE files
  in its dist-info); plus what wheels do not carry but ship inside them: Qt's LGPL-3.0 notice and texts for
  PySide6/Shiboken6 (their wheels have no licence file), SQLCipher's licence and OpenSSL's notice
  (compiled into sqlcipher3 and cryptography), and Python's own licence (the interpreter in the bundle).

``build()`` raises ``SystemExit`` — failing the build — when a shipped distribution has no licence text.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import re
import sys
import sysconfig
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HERE = Path(__file__).resolve().parent
EXTRA_TEXTS: dict[str, list[str]] = {  # distribution → texts in packaging/licenses/ (wheels lack them)
    "pyside6-essentials": ["Qt-LGPL-NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt"],
    "pyside6-pdf": ["Qt-LGPL-NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt"],
    "shiboken6": ["Qt-LGPL-NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt"],
    "sqlcipher3": ["SQLCipher-LICENSE.txt", "OpenSSL-NOTICE.txt"],
    "cryptography": ["OpenSSL-NOTICE.txt"],
}
# Texts the check insists on finding (a regression here means a licence silently went missing).
REQUIRED_MARKERS = ["GNU LESSER GENERAL PUBLIC LICENSE", "ZETETIC LLC", "PYTHON SOFTWARE FOUNDATION LICENSE",
                    "Apache License", "OpenSSL"]
_LICENCE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.I)


def _top_level_modules() -> dict[str, set[str]]:
    by_dist: dict[str, set[str]] = {}
    for module, dists in md.packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(canonicalize_name(dist), set()).add(module)
    return by_dist


def shipped_distributions(pyproject: Path, excluded_modules: Iterable[str]) -> list[md.Distribution]:
    """The installed distributions the bundle carries, sorted by name."""
    env = default_environment()
    excluded = set(excluded_modules)
    modules = _top_level_modules()
    roots = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    todo = [Requirement(r) for r in roots]
    seen: dict[str, md.Distribution] = {}
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError as exc:
            raise SystemExit(f"third-party licences: {req.name} is required but not installed") from exc
        tops = {m for m in modules.get(name, set()) if not m.startswith("_")} or modules.get(name, set())
        if tops and tops <= excluded:
            continue  # every module of it is excluded from the bundle: not shipped
        seen[name] = dist
        todo.extend(Requirement(r) for r in (dist.requires or []))
    return [seen[n] for n in sorted(seen)]


def licence_files(dist: md.Distribution) -> list[tuple[str, str]]:
    """(name, text) of the licence files a distribution's wheel installed."""
    names = dist.metadata.get_all("License-File") or []
    found: list[tuple[str, str]] = []
    for f in dist.files or []:
        parts = Path(str(f)).parts
        in_meta = parts and parts[0].endswith((".dist-info", ".egg-info"))
        base = Path(str(f)).name
        if in_meta and (base in names or str(f).split("/", 1)[-1] in names or _LICENCE_NAME.search(base)):
            path = Path(str(dist.locate_file(f)))
            if path.is_file() and path.suffix not in {".py", ".pyc"}:
                found.append((base, path.read_text(encoding="utf-8", errors="replace")))
    return found


def python_licence() -> str:
    candidates = [Path(sys.base_prefix) / "LICENSE.txt",
                  Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",
                  Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "LICENSE.txt"]
    for c in candidates:
        if c.is_file():
            return c.read_text(encoding="utf-8", errors="replace")
    raise SystemExit(f"third-party licences: Python's LICENSE.txt not found (looked in {candidates})")


def _licence_expression(dist: md.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression") or ""
    if not expr:
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
        lic = (meta.get("License") or "").strip().splitlines()
        expr = "; ".join(classifiers) or (lic[0] if lic else "see text")
    return expr[:80]


def build(out: Path, pyproject: Path, excluded_modules: Iterable[str]) -> list[str]:
    """Write ``out``; return the shipped distributions as "name version" (checked: each has a licence)."""
    dists = shipped_distributions(pyproject, excluded_modules)
    texts: dict[str, str] = {}  # sha256 → text (one copy of each identical text)
    entries: list[tuple[str, str, str, list[str]]] = []
    missing = []
    for dist in dists:
        name = canonicalize_name(dist.metadata["Name"])
        files = licence_files(dist) + [(f, (HERE / "licenses" / f).read_text(encoding="utf-8"))
                                       for f in EXTRA_TEXTS.get(name, [])]
        files = [(n, t) for n, t in files if t.strip()]
        if not files:
            missing.append(name)
        refs = []
        for fname, text in files:
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            texts.setdefault(digest, f"{fname}\n\n{text.strip()}\n")
            refs.append(f"[{digest}] {fname}")
        entries.append((dist.metadata["Name"], dist.version, _licence_expression(dist), refs))
    if missing:
        raise SystemExit(f"third-party licences: no licence text for {missing} — add one to packaging/licenses/ "
                         "and EXTRA_TEXTS in packaging/third_party_licenses.py")
    py = python_licence()
    py_digest = hashlib.sha256(py.encode()).hexdigest()[:12]
    texts.setdefault(py_digest, f"Python LICENSE.txt\n\n{py.strip()}\n")
    apache = (HERE.parent / "LICENSE").read_text(encoding="utf-8")
    apache_digest = hashlib.sha256(apache.encode()).hexdigest()[:12]
    texts.setdefault(apache_digest, f"Apache-2.0\n\n{apache.strip()}\n")

    lines = ["Third-party software in this program, with the licence texts it is distributed under.",
             "Generated by packaging/third_party_licenses.py when the bundle was built; the application itself",
             "is under the Apache License 2.0 (LICENSE); the WenQuanYi Micro Hei font's licence is in",
             "resources/fonts/LICENSE-wqy-microhei.txt.", "",
             f"Python {sys.version.split()[0]} ({sys.platform})    PSF-2.0    [{py_digest}] Python LICENSE.txt"]
    for name, version, expr, refs in entries:
        lines.append(f"{name} {version}    {expr}    {', '.join(refs)}")
    lines.append("")
    for digest, text in texts.items():
        lines += ["=" * 100, f"[{digest}] {text}"]
    body = "\n".join(lines) + "\n"
    absent = [m for m in REQUIRED_MARKERS if m.lower() not in body.lower()]
    if absent:
        raise SystemExit(f"third-party licences: expected texts missing from the generated file: {absent}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return [f"{name} {version}" for name, version, _e, _r in entries]


if __name__ == "__main__":  # python packaging/third_party_licenses.py OUT  (a preview outside the build)
    shipped = build(Path(sys.argv[1]), HERE.parent / "pyproject.toml", sys.argv[2:])
    print(f"{len(shipped)} distributions: {', '.join(shipped)}")


def append_debian_copyrights(out: Path, binaries: Iterable[str]) -> list[str]:
    """Append /usr/share/doc/PKG/copyright of the Debian packages owning the bundled system libraries."""
    import subprocess

    system = sorted({str(Path(b).resolve()) for b in binaries if str(b).startswith(("/usr/lib", "/lib"))})
    if not system:
        return []
    found = subprocess.run(["dpkg", "-S", *system], capture_output=True, text=True, check=False).stdout
    found += subprocess.run(["dpkg", "-S", *[s.replace("/usr/lib/", "/lib/", 1) for s in system]],
                            capture_output=True, text=True, check=False).stdout
    packages = sorted({line.split(":")[0] for line in found.splitlines() if ": " in line})
    sections = ["", "=" * 100, "System libraries taken from the build machine (Debian packages) and their copyright files:",
                ", ".join(packages)]
    for pkg in packages:
        copyright_file = Path("/usr/share/doc") / pkg / "copyright"
        if copyright_file.is_file():
            sections += ["=" * 100, f"Debian package {pkg}: {copyright_file}", "",
                         copyright_file.read_text(encoding="utf-8", errors="replace").strip()]
        else:
            raise SystemExit(f"third-party licences: no copyright file for Debian package {pkg}")
    with out.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(sections) + "\n")
    return packages
