"""Query-count baselines of report verification (报告核验), with a report of one record and of thirty.

Verification is the busiest public endpoint (README, Performance): its count must not grow with the
records a report relied on. The ceilings are the counts measured when they were set."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.reports import services
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 30])
def report(
    request: pytest.FixtureRequest, market_bureau: ProviderPersona, company: User, at_now: None
) -> Report:
    market_bureau.store(
        [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{100 + n}号") for n in range(request.param)]
    )
    issued = services.request_report(
        services.Requester(company, "qiye"), COMPANY_USCC, edition="special", years=3
    )
    assert issued.items.count() == request.param
    return issued


def test_the_verification_page(client: Client, report: Report, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(f"/verify/?number={report.number}&code={report.verification_code}")
    assert response.status_code == 200 and report.number in response.content.decode()


def test_the_verification_api(client: Client, report: Report, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(
            f"/api/v1/reports/verify?number={report.number}&code={report.verification_code}"
        )
    assert response.status_code == 200 and response.json()["status"] == "authentic"
