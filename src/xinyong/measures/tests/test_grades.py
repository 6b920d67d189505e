"""A–D grades of the public credit evaluation as triggers: grade D brings closer supervision, grade A fewer
inspections; a check shows the grade and when it was given."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xinyong.conftest import OTHER_COMPANY_USCC, ProviderPersona
from xinyong.evaluation.models import Evaluation
from xinyong.measures.services import check_subject
from xinyong.measures.tests.personas import CLEAN_USCC, NOW, build_city, unit_officer
from xinyong.measures.triggers import check_triggers

pytestmark = pytest.mark.django_db
PURPOSE = "licensing_inspection_penalty"


def grade(code: str, value: str, on: str = "2026-11-01", *, current: bool = True) -> None:
    Evaluation.objects.create(
        subject_code=code, grade=value, score=0, model="evaluation.model@1", evaluated_on=dt.date.fromisoformat(on),
        evaluated_at=dt.datetime.fromisoformat(f"{on}T02:00:00+08:00"), indicators="{}", record_ids="{}",
        current=current,
    )  # fmt: skip


def test_grade_d_brings_closer_supervision_and_grade_a_fewer_inspections(
    market_bureau: ProviderPersona,
) -> None:
    build_city(market_bureau)
    officer = unit_officer()
    grade(CLEAN_USCC, "B", "2026-05-01", current=False)  # an earlier grade no longer counts
    grade(CLEAN_USCC, "D")
    grade(OTHER_COMPANY_USCC, "A")
    with time_machine.travel(NOW, tick=False):
        clean = check_subject(officer, CLEAN_USCC, "inspection", PURPOSE).result["measures"]
        red = check_subject(officer, OTHER_COMPANY_USCC, "inspection", PURPOSE).result["measures"]
    assert [(m["code"], [r["text"] for r in m["reasons"]]) for m in clean] == [
        ("inspection.more", ["公共信用综合评价D级（2026-11-01评价）"])
    ]
    (fewer,) = red
    assert {r["list_name"] for r in fewer["reasons"]} == {"纳税信用A级纳税人", "公共信用综合评价A级"}


def test_a_grade_given_after_the_day_of_the_check_does_not_count(market_bureau: ProviderPersona) -> None:
    build_city(market_bureau)
    grade(CLEAN_USCC, "D", "2026-11-23")
    with time_machine.travel(NOW, tick=False):
        assert check_subject(unit_officer(), CLEAN_USCC, "inspection", PURPOSE).result["measures"] == []


@pytest.mark.parametrize("spec", [{"grade": []}, {"grade": ["E"]}, {"grade": ["D"], "kind": "penalty"}])
def test_it_refuses_a_grade_trigger_that_names_no_grade(spec: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        check_triggers([spec], where="test")
