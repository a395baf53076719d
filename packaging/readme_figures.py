"""Write a measured figure into README.md between ``<!-- figures:KEY -->`` and ``<!-- /figures:KEY -->``.

    python packaging/readme_figures.py KEY "TEXT"

Called by packaging/build.sh, build-windows.sh and smoke_test_windows.sh with what they just measured, so
the README's bundle sizes, file counts and times are the last build's, never copied by hand.  A KEY without
markers in the README is reported and ignored (the build does not fail over documentation).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def update(key: str, text: str, readme: Path = README) -> bool:
    body = readme.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- figures:{re.escape(key)} -->)(.*?)(<!-- /figures:{re.escape(key)} -->)", re.S)
    if not pattern.search(body):
        print(f"README.md has no <!-- figures:{key} --> marker", file=sys.stderr)
        return False
    new = pattern.sub(lambda m: m.group(1) + text + m.group(3), body, count=1)
    if new != body:
        readme.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    update(sys.argv[1], sys.argv[2])
