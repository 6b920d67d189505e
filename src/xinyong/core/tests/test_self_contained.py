"""The repository stands alone: code, docs, rules and reference data cite public documents by their
official titles, never files outside the repository or the briefing's shorthand for them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
OUTSIDE = re.compile(r"\.\./shared|DOMAIN\.md|ARCHITECTURE\.md|seed 00[0-9]")
WHERE = ("src", "docs", "rulebook", "data", "bench", "scripts")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".html", ".txt", ".sh", ".toml"}


def test_nothing_points_outside_the_repository() -> None:
    files = [ROOT / "README.md"] + [
        path
        for top in WHERE
        for path in (ROOT / top).rglob("*")
        if path.suffix in SUFFIXES and "/tests/" not in path.as_posix()
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []
