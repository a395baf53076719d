"""The hashed lock files in requirements/ match pyproject.toml (scripts/lock.sh regenerates them)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _lock_inputs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock_inputs", ROOT / "scripts" / "lock_inputs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lock_files_are_fresh() -> None:
    stale = _lock_inputs().stale_locks(ROOT)
    assert stale == [], f"stale lock files {stale}: run scripts/lock.sh and commit requirements/"


def test_every_pin_is_exact_and_hashed() -> None:
    for rel in _lock_inputs().LOCKS:
        text = (ROOT / rel).read_text(encoding="utf-8")
        # One requirement = a line at column 0 plus its continuation lines.
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 3)[-1])
        reqs = [b for b in blocks if b[:1].isalnum()]
        assert len(reqs) > 20, rel
        for block in reqs:
            first = block.splitlines()[0]
            assert re.match(r"^[A-Za-z0-9._\-\[\],]+==[^ ]+ \\$", first), f"{rel}: not pinned: {first}"
            assert "--hash=sha256:" in block, f"{rel}: no hash for {first}"


def test_locks_pin_what_the_app_and_the_bundles_need() -> None:
    def pins(rel: str) -> set[str]:
        text = (ROOT / rel).read_text(encoding="utf-8")
        return {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9._\-]+)==", text, re.M)}

    runtime = {"sqlcipher3", "cryptography", "pyhanko", "pyhanko-certvalidator", "asn1crypto", "pyside6-essentials",
               "pyside6-pdf", "reportlab", "alembic", "sqlalchemy", "pyinstaller", "setuptools"}
    assert runtime <= pins("requirements/linux.txt")
    assert runtime | {"pywin32-ctypes", "pefile"} <= pins("requirements/windows.txt")
    assert runtime | {"pytest", "pytest-qt", "mypy", "ruff", "uv"} <= pins("requirements/dev.txt")
    assert "pytest" not in pins("requirements/windows.txt") | pins("requirements/linux.txt")


def test_a_changed_dependency_makes_the_locks_stale(tmp_path: Path) -> None:
    lock_inputs = _lock_inputs()
    (tmp_path / "requirements").mkdir()
    for rel in lock_inputs.LOCKS:
        shutil.copy(ROOT / rel, tmp_path / rel)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    assert lock_inputs.stale_locks(tmp_path) == []
    # Editing something other than the dependencies does not make them stale …
    (tmp_path / "pyproject.toml").write_text(pyproject.replace("line-length = 110", "line-length = 100"),
                                             encoding="utf-8")
    assert lock_inputs.stale_locks(tmp_path) == []
    # … a new dependency does.
    changed = pyproject.replace('    "rich>=13",\n', '    "rich>=13",\n    "requests>=2",\n')
    assert changed != pyproject
    (tmp_path / "pyproject.toml").write_text(changed, encoding="utf-8")
    assert lock_inputs.stale_locks(tmp_path) == list(lock_inputs.LOCKS)
