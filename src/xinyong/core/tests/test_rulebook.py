"""Rules are effective-dated data: the version in force on a date, overlaps refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xinyong.core import rulebook


def test_the_collection_rules_carry_their_sources() -> None:
    natural = rulebook.rule("collection.violation_natural_days", dt.date(2026, 1, 1))
    assert (natural.value, natural.unit, natural.ref) == (
        14,
        "natural_day",
        "collection.violation_natural_days@1",
    )
    assert "seed 000" in natural.source
    assert rulebook.rule("collection.dual_publicity_working_days", dt.date(2026, 1, 1)).value == 7


def test_a_rule_is_not_in_force_the_day_before_it_starts() -> None:
    assert rulebook.rule_or_none("collection.violation_natural_days", dt.date(2024, 1, 3)) is None
    assert rulebook.rule_or_none("collection.violation_natural_days", dt.date(2024, 1, 4)) is not None


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        """rules:
  - {id: x, version: 1, effective_from: 2024-01-01, effective_to: 2026-04-01, value: 1, unit: day, source: a}
  - {id: x, version: 2, effective_from: 2026-04-01, value: 2, unit: day, source: b}
""",
        encoding="utf-8",
    )
    with pytest.raises(rulebook.RulebookError, match="overlap"):
        rulebook.load(tmp_path)


def test_consecutive_versions_hand_over_on_the_day(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        """rules:
  - {id: x, version: 1, effective_from: 2024-01-01, effective_to: 2026-03-31, value: 1, unit: day, source: a}
  - {id: x, version: 2, effective_from: 2026-04-01, value: 2, unit: day, source: b}
""",
        encoding="utf-8",
    )
    versions = rulebook.load(tmp_path)["x"]
    assert [v.in_force_on(dt.date(2026, 3, 31)) for v in versions] == [True, False]
    assert [v.in_force_on(dt.date(2026, 4, 1)) for v in versions] == [False, True]


def test_a_rule_without_a_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - {id: x, version: 1, effective_from: 2024-01-01, value: 1, unit: day}\n", encoding="utf-8"
    )
    with pytest.raises(rulebook.RulebookError, match="source"):
        rulebook.load(tmp_path)
