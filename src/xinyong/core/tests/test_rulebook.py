"""Rules are effective-dated data: the version in force on a date, overlaps refused."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from pydantic import ValidationError

import xinyong
from xinyong.core import rulebook
from xinyong.repairs.rules import DEADLINES as REPAIR_DEADLINES
from xinyong.reports.rules import RETENTION as REPORT_RETENTION


def test_the_collection_rules_carry_their_sources() -> None:
    natural = rulebook.rule("collection.violation_natural_days", dt.date(2026, 1, 1))
    assert (natural.value, natural.unit, natural.ref) == (
        14,
        "natural_day",
        "collection.violation_natural_days@1",
    )
    assert "厦信用办〔2024〕1号" in natural.source
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


# --- Schemas: every rule's value is typed, and a typo fails when the rulebook loads ----------------------


def _copy_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    for source in settings.RULEBOOK_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == file:
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    return tmp_path


def test_it_gives_every_rule_in_the_rulebook_a_schema() -> None:
    loaded = rulebook.load(settings.RULEBOOK_DIR, rulebook.SPECS)
    assert set(loaded) == set(rulebook.SPECS)
    deadlines = rulebook.rule("repair.deadlines", dt.date(2026, 1, 1)).value
    assert (deadlines.city_review, deadlines.provincial_review, deadlines.overall) == (3, 7, 10)


def test_it_refuses_a_misspelt_key_at_load(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "repair.yaml", "provincial_review: 7", "provincal_review: 7")
    with pytest.raises(
        rulebook.RulebookError, match=r"(?s)repair\.yaml: rule repair\.deadlines@1 .*provincal_review"
    ):
        rulebook.load(directory, rulebook.SPECS)


def test_it_refuses_a_value_of_the_wrong_type_at_load(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "disputes.yaml", "overall: 6", "overall: six")
    with pytest.raises(rulebook.RulebookError, match=r"objection\.deadlines@1"):
        rulebook.load(directory, rulebook.SPECS)


def test_it_refuses_a_rule_without_a_schema(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "reports.yaml", "id: report.retention", "id: report.retension")
    with pytest.raises(rulebook.RulebookError, match=r"report\.retension' has no schema"):
        rulebook.load(directory, rulebook.SPECS)


@pytest.mark.slow
def test_it_stops_the_start_on_a_typo(tmp_path: Path) -> None:
    directory = _copy_with(
        tmp_path, "commitments.yaml", "ends_with_publication: false", "ends_with_publication: nope"
    )
    environment = {
        **os.environ,
        "XINYONG_RULEBOOK_DIR": str(directory),
        "PYTHONPATH": str(Path(xinyong.__file__).parents[1]),
    }
    started = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "commitments.notification_bar@1" in started.stderr


# --- Overrides for tests -----------------------------------------------------------------------------------


def test_it_swaps_a_value_for_the_block_only() -> None:
    day = dt.date(2026, 6, 1)
    with rulebook.override(REPORT_RETENTION, 3):
        assert (REPORT_RETENTION.on(day).value, REPORT_RETENTION.on(day).ref) == (3, "report.retention@1")
    assert REPORT_RETENTION.on(day).value == 10


def test_it_adds_a_version_from_a_day() -> None:
    shorter = REPAIR_DEADLINES.on(dt.date(2026, 6, 1)).value.model_copy(update={"overall": 9})
    with rulebook.override(REPAIR_DEADLINES, shorter, from_=dt.date(2026, 6, 1)):
        before, on, after = (
            REPAIR_DEADLINES.on(day)
            for day in (dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2026, 6, 2))
        )
        assert (before.ref, before.value.overall) == ("repair.deadlines@1", 10)
        assert (on.ref, on.value.overall) == ("repair.deadlines@2", 9)
        assert after.ref == "repair.deadlines@2"
    assert REPAIR_DEADLINES.on(dt.date(2026, 6, 2)).ref == "repair.deadlines@1"


def test_it_checks_an_override_against_the_schema() -> None:
    with pytest.raises(ValidationError), rulebook.override(REPORT_RETENTION, "ten"):  # type: ignore[misc]  # the wrong type on purpose
        pass
