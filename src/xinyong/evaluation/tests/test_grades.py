"""The model's grades on fixed personas (rulebook evaluation.model@1), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import time_machine

from xinyong.audit.services import Actor
from xinyong.conftest import ProviderPersona
from xinyong.evaluation.models import Evaluation
from xinyong.evaluation.services import evaluate
from xinyong.evaluation.tests.conftest import (
    DAY,
    a_licence,
    a_penalty,
    at_noon,
    commendation,
    company,
    key_attention,
    listing,
    send,
)
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay

pytestmark = pytest.mark.django_db

CLEAN, GENERAL, SERIOUS, THREE_SERIOUS, LISTED, REPAIRED, OLD, COMMENDED, CAPPED = (
    company(n) for n in range(1, 10)
)


@pytest.fixture
def city(market_bureau: ProviderPersona) -> dict[str, list[int]]:
    ids = {
        "clean": send(market_bureau, "licence", [a_licence(CLEAN, "L-1")]),
        "general": send(market_bureau, "penalty", [a_penalty(GENERAL, "P-G", "2026-06-01")]),
        "serious": send(market_bureau, "penalty", [a_penalty(SERIOUS, "P-S", "2026-06-01", "严重")]),
        "three": send(
            market_bureau,
            "penalty",
            [a_penalty(THREE_SERIOUS, f"P-3-{n}", f"2026-0{n}-01", "严重") for n in (3, 4, 5)],
        ),
        "old": send(market_bureau, "penalty", [a_penalty(OLD, "P-O", "2024-11-01")]),
        "repaired": send(market_bureau, "penalty", [a_penalty(REPAIRED, "P-R", "2026-06-01", "严重")]),
        "commended": send(
            market_bureau, "commendation", [commendation(COMMENDED, "C-1"), commendation(COMMENDED, "C-2")]
        ),
        "capped": send(
            market_bureau, "commendation", [commendation(CAPPED, "C-3"), commendation(CAPPED, "C-4")]
        ),
    }
    ids["listed"] = send(market_bureau, "serious_dishonesty_list", [listing(LISTED, "S-1", "2025-03-01")])
    ids["capped"] += send(market_bureau, "key_attention_list", [key_attention(CAPPED, "K-1", "2026-02-01")])
    with time_machine.travel("2026-10-01 10:00 +0800", tick=False):
        add_overlay(
            CreditRecord.objects.get(pk=ids["repaired"][0]), Overlay.Kind.REPAIRED,
            reason="已完成信用修复", source="repair R-1", actor=Actor.system("test"),
        )  # fmt: skip
    return ids


def grades() -> dict[str, tuple[str, int, str]]:
    return {e.subject_code: (e.grade, e.score, e.override) for e in Evaluation.objects.filter(current=True)}


def test_each_persona_gets_its_grade(city: dict[str, list[int]]) -> None:
    with time_machine.travel(at_noon(DAY), tick=False):
        run = evaluate()

    assert run.model == "evaluation.model@1"
    assert grades() == {
        CLEAN: ("A", 90, ""),  # base 80 + three clean years (4 + 3 + 3)
        GENERAL: ("B", 75, ""),  # one general penalty within a year: −5, no clean year
        SERIOUS: ("C", 65, ""),  # one serious penalty: −15
        THREE_SERIOUS: ("D", 35, ""),  # three serious penalties: −45 (the cap)
        LISTED: ("D", 40, "serious_list"),  # on a serious-dishonesty list in force: D whatever the score
        REPAIRED: ("B", 80, ""),  # repaired: the penalty no longer counts, the streak is still broken
        OLD: ("B", 85, ""),  # a general penalty two years ago: −2, two clean years (+4 +3)
        COMMENDED: ("A", 100, ""),  # two city commendations: +10, clean: +10
        CAPPED: ("C", 75, "key_attention"),  # +10 −15, on a key-attention list: at most C
    }


def test_it_stores_each_indicator_with_its_records(city: dict[str, list[int]]) -> None:
    with time_machine.travel(at_noon(DAY), tick=False):
        evaluate()

    three = Evaluation.objects.get(subject_code=THREE_SERIOUS, current=True)
    assert three.indicator_values == {
        "penalty_serious": {"n": 3, "points": -45},
        "penalties_year": {"n": 3, "points": 0},
        "penalty_departments_year": {"n": 1, "points": 0},
    }
    assert three.records_by_indicator["penalty_serious"] == sorted(city["three"])
    clean = Evaluation.objects.get(subject_code=CLEAN, current=True)
    assert json.loads(clean.indicators) == {"clean_record": {"n": 1, "points": 10}}
    assert clean.record_ids == "{}"
