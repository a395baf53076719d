"""The part of pyproject.toml that the lock files in requirements/ are generated from, and its hash.

    python scripts/lock_inputs.py hash            print the hash the lock files must carry
    python scripts/lock_inputs.py check           exit 1 (with a message) if any lock file is stale
    python scripts/lock_inputs.py build-requires  print [build-system].requires, one per line

scripts/lock.sh writes ``# pyproject-inputs-sha256: <hash>`` as the first line of every lock file;
``check`` (run by scripts/dev.sh test and by tests/test_lock_files.py) recomputes it from pyproject.toml,
offline and in milliseconds, so adding or changing a dependency without re-running scripts/lock.sh fails
the test command.  Only the dependency declarations are hashed: editing the README or ruff settings in
pyproject.toml does not make the locks stale.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements/linux.txt", "requirements/windows.txt", "requirements/dev.txt")
HEADER = "# pyproject-inputs-sha256: "
WINDOWS_CONSTRAINTS = "packaging/windows/wine-constraints.txt"  # extra constraints of requirements/windows.txt


def inputs(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, object]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    return {
        "build-system.requires": data.get("build-system", {}).get("requires", []),
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "locks": list(LOCKS),
        "windows-constraints": (ROOT / WINDOWS_CONSTRAINTS).read_text(encoding="utf-8")
        if (ROOT / WINDOWS_CONSTRAINTS).is_file() else "",
    }


def inputs_hash(pyproject: Path = ROOT / "pyproject.toml") -> str:
    canonical = json.dumps(inputs(pyproject), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stale_locks(root: Path = ROOT) -> list[str]:
    """Lock files that are missing or were generated from other dependency declarations."""
    want = HEADER + inputs_hash(root / "pyproject.toml")
    stale = []
    for rel in LOCKS:
        path = root / rel
        first = path.read_text(encoding="utf-8").splitlines()[0] if path.is_file() else ""
        if first.strip() != want:
            stale.append(rel)
    return stale


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "check"
    if cmd == "hash":
        print(inputs_hash())
        return 0
    if cmd == "build-requires":
        print("\n".join(inputs()["build-system.requires"]))  # type: ignore[arg-type]
        return 0
    if cmd == "check":
        stale = stale_locks()
        if stale:
            print(f"stale lock file(s): {', '.join(stale)} — pyproject.toml's dependencies changed; "
                  "run scripts/lock.sh and commit requirements/", file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
