"""History rows (a changed outcome is a new row, an unchanged one writes nothing) and the recency and
in-force boundaries: the day before, the day of and the day after."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona
from xinyong.evaluation.models import Evaluation, GradeCount
from xinyong.evaluation.services import evaluate
from xinyong.evaluation.tests.conftest import DAY, a_penalty, at_noon, company, key_attention, send

pytestmark = pytest.mark.django_db
SUBJECT = company(20)


def current() -> Evaluation:
    return Evaluation.objects.get(subject_code=SUBJECT, current=True)


def test_an_unchanged_outcome_is_not_written_again(market_bureau: ProviderPersona) -> None:
    send(market_bureau, "penalty", [a_penalty(SUBJECT, "H-1", "2026-06-01")])
    with time_machine.travel(at_noon(DAY), tick=False):
        first = evaluate()
        second = evaluate()

    assert (first.evaluated, first.changed) == (1, 1)
    assert (second.evaluated, second.changed) == (1, 0)
    assert Evaluation.objects.count() == 1
    assert AuditEntry.objects.filter(action="evaluation.run").count() == 2


def test_a_changed_grade_is_a_new_row_and_the_old_one_is_kept(market_bureau: ProviderPersona) -> None:
    send(market_bureau, "penalty", [a_penalty(SUBJECT, "H-1", "2026-06-01")])
    with time_machine.travel(at_noon(DAY), tick=False):
        evaluate()
    send(
        market_bureau,
        "penalty",
        [a_penalty(SUBJECT, "H-2", "2026-07-01", "严重")],
        at="2026-11-23 08:00 +0800",
    )
    with time_machine.travel(at_noon(DAY + dt.timedelta(days=1)), tick=False):
        call_command("supervision", "evaluate")

    rows = list(Evaluation.objects.filter(subject_code=SUBJECT).order_by("evaluated_at"))
    assert [(r.grade, r.score, r.current) for r in rows] == [("B", 75, False), ("C", 60, True)]
    assert rows[1].evaluated_on == DAY + dt.timedelta(days=1)
    assert GradeCount.objects.get(day=rows[1].evaluated_on, domain_number=0, grade="C").subjects == 1
    assert GradeCount.objects.get(day=rows[1].evaluated_on, domain_number=25, grade="C").subjects == 1


@pytest.mark.parametrize(
    ("day", "indicator"),
    [
        ("2026-11-21", "penalty_recent"),  # the day before the anniversary: still within a year
        ("2026-11-22", "penalty_older"),  # the anniversary: a year old
        ("2026-11-23", "penalty_older"),
    ],
)
def test_a_penalty_is_recent_until_the_day_before_its_anniversary(
    market_bureau: ProviderPersona, day: str, indicator: str
) -> None:
    send(market_bureau, "penalty", [a_penalty(SUBJECT, "W-1", "2025-11-22")])

    call_command("supervision", "evaluate", "--date", day)

    assert set(current().indicator_values) - {
        "penalties_year",
        "penalty_departments_year",
        "clean_record",
    } == {indicator}


@pytest.mark.parametrize(
    ("day", "listed"), [("2026-11-21", True), ("2026-11-22", False), ("2026-11-23", False)]
)
def test_a_list_entry_counts_until_its_removal_date(
    market_bureau: ProviderPersona, day: str, listed: bool
) -> None:
    send(
        market_bureau,
        "key_attention_list",
        [key_attention(SUBJECT, "K-9", "2026-02-01", removed="2026-11-22")],
    )

    call_command("supervision", "evaluate", "--date", day)

    assert ("key_attention" in current().indicator_values) is listed
    assert current().grade == ("C" if listed else "B")  # 80 − 15 = 65; removed: 80, no clean year


@pytest.mark.parametrize(("day", "bonus"), [("2027-05-31", 0), ("2027-06-01", 4), ("2027-06-02", 4)])
def test_a_clean_year_counts_from_the_anniversary_of_the_last_record(
    market_bureau: ProviderPersona, day: str, bonus: int
) -> None:
    send(market_bureau, "penalty", [a_penalty(SUBJECT, "Y-1", "2026-06-01")])

    with time_machine.travel(at_noon(dt.date.fromisoformat(day)), tick=False):
        evaluate()

    assert current().indicator_values.get("clean_record", {"points": 0})["points"] == bonus
