"""Query-count baselines of the hot public pages: fixed, whatever the number of records shown.

Each page is requested with one record (or subject) and with thirty; the ceiling is the count measured
when the baseline was set, the same for both, so a query per row (an N+1) fails here before it shows in
the benchmarks (README, Performance). Raise a ceiling only with a reason in the commit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.testing import travel_to
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db

SIZES = [1, 30]


def _company(n: int) -> dict[str, Any]:
    """The n-th of thirty companies named 厦门测试n号贸易有限公司, each with one published penalty."""
    return penalty(
        行政相对人名称=f"厦门测试{n}号贸易有限公司",
        统一社会信用代码=complete_uscc(f"91350203{n:08d}"),
        行政处罚决定书文号=f"厦市监罚〔2026〕{1000 + n}号",
    )


@pytest.fixture
def one_company(market_bureau: ProviderPersona, request: pytest.FixtureRequest) -> Any:
    """``COMPANY_USCC`` with ``request.param`` published penalties."""
    rows = [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{100 + n}号") for n in range(request.param)]
    market_bureau.store(rows, at="2026-11-20")
    with travel_to("2026-12-01"):
        yield


@pytest.fixture
def many_companies(market_bureau: ProviderPersona, request: pytest.FixtureRequest) -> Any:
    """``request.param`` companies with one published penalty each."""
    market_bureau.store([_company(n) for n in range(request.param)], at="2026-11-20")
    with travel_to("2026-12-01"):
        yield


@pytest.mark.parametrize("one_company", SIZES, indirect=True)
def test_the_public_subject_page(
    client: Client, one_company: None, django_assert_max_num_queries: Any
) -> None:
    # The rate count (an upsert in a savepoint), the subject, its warnings, overlays, kinds and versions.
    with django_assert_max_num_queries(10):
        response = client.get(f"/s/{COMPANY_USCC}/")
    assert response.status_code == 200 and "厦市监罚〔2026〕100号" in response.content.decode()


@pytest.mark.parametrize("one_company", SIZES, indirect=True)
def test_the_subject_api(client: Client, one_company: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/subjects/{COMPANY_USCC}")
    assert response.status_code == 200 and response.json()["records"]


@pytest.mark.parametrize("many_companies", SIZES, indirect=True)
def test_the_public_search(client: Client, many_companies: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(9):
        response = client.get("/search/?q=测试")
    assert response.status_code == 200 and "厦门测试0号贸易有限公司" in response.content.decode()


@pytest.mark.parametrize("many_companies", SIZES, indirect=True)
def test_the_public_penalty_list(
    client: Client, many_companies: None, django_assert_max_num_queries: Any
) -> None:
    # The four lists (penalties, licences, red, black) share one view and one query (public_records);
    # the filter form reads the domains and the authorities once each.
    with django_assert_max_num_queries(9):
        response = client.get("/publicity/penalties/")
    assert response.status_code == 200 and "号贸易有限公司" in response.content.decode()  # a page of them
