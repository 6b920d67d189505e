"""Spot-check lists by grade: the department's supervised subjects, the ratio of each grade, and a draw
that the seed reproduces on either database, with the seed and parameters on the audit trail."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import MARKET_BUREAU_USCC, ProviderPersona, centre_staff
from xinyong.core import rulebook
from xinyong.evaluation.rules import SPOT_CHECK
from xinyong.evaluation.services import evaluate
from xinyong.evaluation.spot_checks import draw_key
from xinyong.evaluation.tests.conftest import DAY, a_licence, a_penalty, at_noon, company, send

pytestmark = pytest.mark.django_db
CLEAN = [company(100 + n) for n in range(10)]  # A
PENALISED = [company(200 + n) for n in range(4)]  # B


@pytest.fixture
def supervised(market_bureau: ProviderPersona) -> None:
    send(market_bureau, "licence", [a_licence(code, f"SL-{n}") for n, code in enumerate(CLEAN)])
    send(
        market_bureau,
        "penalty",
        [a_penalty(code, f"SP-{n}", "2026-06-01") for n, code in enumerate(PENALISED)],
    )
    with time_machine.travel(at_noon(DAY), tick=False):
        evaluate()


def call(key: str, **params: str) -> Any:
    with time_machine.travel(at_noon(DAY), tick=False):
        return Client().get(
            f"/api/v1/spot-checks/{MARKET_BUREAU_USCC}", params, headers={"Authorization": f"Bearer {key}"}
        )


def test_a_seed_reproduces_the_draw_and_is_recorded(market_bureau: ProviderPersona, supervised: None) -> None:
    first = call(market_bureau.key, grades="A,B", seed="2026-12-05")
    again = call(market_bureau.key, grades="A,B", seed="2026-12-05")

    body = first.json()
    drawn = [c["subject_code"] for c in body["candidates"] if c["drawn"]]
    # A: ⌈10 × 3 %⌉ = 1, B: ⌈4 × 10 %⌉ = 1; each the first of its grade by HMAC-SHA256(seed, code).
    expected = [
        min(CLEAN, key=lambda c: draw_key("2026-12-05", c)),
        min(PENALISED, key=lambda c: draw_key("2026-12-05", c)),
    ]
    assert drawn == expected
    # Pinned: the same on SQLite and PostgreSQL (the suite runs on both).
    assert drawn == ["913502030000010978", "91350203000002030K"]
    assert again.json()["candidates"] == body["candidates"]
    assert (body["percents"], body["rule"]) == (
        {"A": 3, "B": 10, "C": 10, "D": 60},
        "evaluation.spot_check@1",
    )
    entry = AuditEntry.objects.filter(action="spot_check.draw").first()
    assert entry is not None
    assert json.loads(entry.detail)["seed"] == "2026-12-05"
    assert json.loads(entry.detail)["drawn"] == {"A": 1, "B": 1}


def test_the_ratio_comes_from_the_rulebook(market_bureau: ProviderPersona, supervised: None) -> None:
    raised = SPOT_CHECK.on(DAY).value | {
        "A": SPOT_CHECK.on(DAY).value["A"].model_copy(update={"percent": 50})
    }
    with rulebook.override(SPOT_CHECK, raised):
        body = call(market_bureau.key, grades="A", seed="s").json()

    assert sum(c["drawn"] for c in body["candidates"]) == 5


@pytest.mark.parametrize(
    ("params", "code"),
    [({"grades": "A,E"}, "spot_check.bad_grades"), ({"seed": "x y"}, "spot_check.bad_seed")],
)
def test_bad_parameters_are_refused(
    market_bureau: ProviderPersona, supervised: None, params: dict[str, str], code: str
) -> None:
    response = call(market_bureau.key, **params)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not AuditEntry.objects.filter(action="spot_check.draw").exists()


def test_another_department_cannot_draw_this_ones_list(tax_bureau: ProviderPersona, supervised: None) -> None:
    assert call(tax_bureau.key, grades="A").status_code == 403


def test_staff_download_the_list_as_xlsx(supervised: None) -> None:
    client = Client()
    client.force_login(centre_staff("c", Role.AUDITOR))
    with time_machine.travel(at_noon(DAY), tick=False):
        response = client.get(
            "/workspace/spot-checks/",
            {"department": MARKET_BUREAU_USCC, "grades": "B", "seed": "k", "format": "xlsx"},
        )

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][:2] == ("随机种子", "k")
    assert sorted(r[1] for r in rows[6:]) == sorted(PENALISED)
    assert [r[6] for r in rows[6:]].count("抽中") == 1


def test_provider_staff_see_their_own_department_list(
    market_bureau: ProviderPersona, supervised: None
) -> None:
    clerk = User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    client = Client()
    client.force_login(clerk)
    with time_machine.travel(at_noon(DAY), tick=False):
        page = client.get("/workspace/spot-checks/", {"grades": "A,B", "seed": "p"}).content.decode()

    assert all(code in page for code in CLEAN + PENALISED)
