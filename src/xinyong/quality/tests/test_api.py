"""The data-quality API: scorecards, drill-down pages and declarations, with their refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.quality.models import Declaration
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db
AFTER = "2026-12-03 10:00 +0800"


def _staff_client() -> Client:
    client = Client()
    officer = User.objects.filter(username="quality-officer").first()
    client.force_login(officer or centre_staff("quality-officer", Role.AUDITOR))
    return client


def _declare(persona: ProviderPersona, body: dict[str, Any]) -> Any:
    with time_machine.travel(AFTER, tick=False):
        return Client().post(
            "/api/v1/quality/declarations",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {persona.key}"},
        )


def test_staff_read_one_row_per_provider(november: QualityMonth) -> None:
    with time_machine.travel(AFTER, tick=False):
        answer = _staff_client().get("/api/v1/quality/providers?month=2026-11").json()
    rows = {r["code"]: r for r in answer["providers"]}
    market = rows[november.market.provider.code]
    assert answer["month"] == "2026-11"
    assert (market["declared"], market["reported"], market["received"], market["accepted"]) == (6, 5, 6, 4)
    assert market["rates"] == {"upload": 83.3, "compliance": 66.7, "timeliness": 80.0, "accuracy": None}
    assert market["rank"] == 1
    assert rows[november.port.code]["missing_declarations"] == ["licence"]
    assert rows[november.port.code]["below_target"] == ["declaration"]


def test_the_month_defaults_to_the_last_complete_one(november: QualityMonth) -> None:
    with time_machine.travel(AFTER, tick=False):
        assert _staff_client().get("/api/v1/quality/providers").json()["month"] == "2026-11"


def test_a_malformed_month_is_refused_with_its_code(november: QualityMonth) -> None:
    with time_machine.travel(AFTER, tick=False):
        response = _staff_client().get("/api/v1/quality/providers?month=2026-13")
    assert response.status_code == 400
    assert response.json()["code"] == "quality.month_invalid"
    assert response.json()["field"] == "month"


def test_a_provider_reads_its_own_card_with_domains_and_errors(november: QualityMonth) -> None:
    code = november.market.provider.code
    with time_machine.travel(AFTER, tick=False):
        answer = (
            Client()
            .get(
                f"/api/v1/quality/providers/{code}?month=2026-11",
                headers={"Authorization": f"Bearer {november.market.key}"},
            )
            .json()
        )
    assert answer["out_of"] == 3
    assert [d["number"] for d in answer["domains"]] == [25]
    assert answer["errors"] == [{"code": answer["errors"][0]["code"], "field": "cf_jdrq", "rows": 1}]


def test_a_provider_cannot_read_another_providers_card(november: QualityMonth) -> None:
    with time_machine.travel(AFTER, tick=False):
        response = Client().get(
            f"/api/v1/quality/providers/{november.market.provider.code}",
            headers={"Authorization": f"Bearer {november.tax.key}"},
        )
    assert response.status_code == 404


def test_the_rows_behind_a_figure_are_paged(november: QualityMonth) -> None:
    code = november.market.provider.code
    with time_machine.travel(AFTER, tick=False):
        page = (
            _staff_client()
            .get(f"/api/v1/quality/providers/{code}/rows?month=2026-11&measure=decided&per_page=2&page=3")
            .json()
        )
        late = _staff_client().get(f"/api/v1/quality/providers/{code}/rows?month=2026-11&measure=late").json()
    assert (page["count"], page["pages"], page["page"], len(page["rows"])) == (5, 3, 3, 1)
    assert [r["key"] for r in late["rows"]] == ["厦市监罚〔2026〕F号"]


def test_a_provider_declares_its_totals_and_a_correction_keeps_the_earlier_count(
    november: QualityMonth,
) -> None:
    response = _declare(november.market, {"month": "2026-11", "totals": [{"kind": "penalty", "count": 5}]})
    assert response.status_code == 200, response.content
    assert response.json()["totals"] == {"penalty": 5}
    assert Declaration.objects.get(provider=november.market.provider, kind_code="penalty").count == 5
    entry = AuditEntry.objects.filter(action="quality.declare").latest("seq")
    assert json.loads(entry.detail)["earlier"] == {"penalty": 6}


@pytest.mark.parametrize(
    ("body", "code", "field", "row"),
    [
        ({"month": "2026/11", "totals": [{"kind": "penalty", "count": 1}]}, "quality.month_invalid", "month", None),
        ({"month": "2027-01", "totals": [{"kind": "penalty", "count": 1}]}, "quality.month_in_future", "month", None),
        ({"month": "2026-11", "totals": [{"kind": "licence", "count": 1}, {"kind": "nope", "count": 1}]},
         "quality.kind_not_granted", "kind", 2),
        ({"month": "2026-11", "totals": [{"kind": "penalty", "count": 1}, {"kind": "penalty", "count": 2}]},
         "quality.kind_repeated", "kind", 2),
        ({"month": "2026-11", "totals": [{"kind": "penalty", "count": -1}]}, "quality.count_invalid", "count", 1),
        ({"month": "2026-11", "totals": []}, "request.invalid", "totals", None),
    ],
)  # fmt: skip
def test_bad_declarations_are_refused_whole_with_code_field_and_row(
    november: QualityMonth, body: dict[str, Any], code: str, field: str, row: int | None
) -> None:
    before = list(Declaration.objects.values_list("kind_code", "count").order_by("pk"))
    response = _declare(november.market, body)
    assert response.status_code == 400
    answer = response.json()
    assert (answer["code"], answer["field"], answer["row"]) == (code, field, row)
    assert answer["message"]
    assert list(Declaration.objects.values_list("kind_code", "count").order_by("pk")) == before


def test_a_centre_account_cannot_declare(november: QualityMonth) -> None:
    with time_machine.travel(AFTER, tick=False):
        response = _staff_client().post(
            "/api/v1/quality/declarations",
            {"month": "2026-11", "totals": [{"kind": "penalty", "count": 1}]},
            content_type="application/json",
        )
    assert response.status_code in (403, 401)


def test_a_provider_declares_from_its_workspace(november: QualityMonth) -> None:
    clerk = User.objects.create_user("clerk", kind=User.Kind.PROVIDER, provider=november.tax.provider)
    client = Client()
    client.force_login(clerk)
    with time_machine.travel(AFTER, tick=False):
        page = client.get("/workspace/quality/?month=2026-11")
        assert page.status_code == 200
        response = client.post("/workspace/quality/declare/", {"month": "2026-11", "count_arrears": "3"})
    assert response.status_code == 302
    assert Declaration.objects.get(provider=november.tax.provider, kind_code="arrears").count == 3
    entry = AuditEntry.objects.filter(action="quality.declare").latest("seq")
    assert entry.actor_name == "clerk"
