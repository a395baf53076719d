"""The README's benchmark figures come from the committed results, through one script."""

from __future__ import annotations

from pathlib import Path

from fanguai_desk.bench import readme


def test_readme_benchmark_table_is_generated_from_the_results() -> None:
    assert readme.main(["--check"]) == 0, "run: python -m fanguai_desk.bench.readme"


def test_the_check_notices_a_hand_edited_figure(tmp_path: Path) -> None:
    copy = tmp_path / "README.md"
    text = readme.README.read_text("utf-8")
    start = text.index(readme.START) + len(readme.START)
    copy.write_text(text[:start] + "\n| hand-typed | 1 ms |" + text[start:], "utf-8")
    assert readme.main(["--check", "--readme", str(copy)]) == 1
    assert readme.main(["--readme", str(copy)]) == 0 and readme.main(["--check", "--readme", str(copy)]) == 0
