"""Bounded paging: no page, offset or limit from a query string reaches the database unbounded.

2^63 as an offset made the SQL itself fail (500) on /api/v1/code-conflicts and /api/v1/commitments;
a 5,000-digit page or offset made ``int`` refuse it (500) on the public list and search pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.conftest import ProviderPersona
from xinyong.core.paging import MAX_ID, MAX_OFFSET, MAX_PAGE, page_number, whole_number

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
ENDLESS = "9" * 5000


@pytest.fixture(autouse=True)
def no_rate_limit(settings: Any) -> None:
    settings.XINYONG_PUBLIC_REQUESTS_PER_MINUTE = 0
    settings.XINYONG_SEARCH_REQUESTS_PER_MINUTE = 0


@pytest.mark.parametrize("path", ["/api/v1/code-conflicts", "/api/v1/commitments"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"offset={HUGE}", "query.offset"),
        (f"offset={MAX_OFFSET + 1}", "query.offset"),
        ("offset=-1", "query.offset"),
        (f"limit={HUGE}", "query.limit"),
        ("limit=0", "query.limit"),
        (f"offset={ENDLESS}", "query.offset"),
    ],
)
def test_it_refuses_an_offset_or_limit_out_of_bounds_with_the_envelope(
    client: Client, market_bureau: ProviderPersona, path: str, query: str, field: str
) -> None:
    answer = client.get(f"{path}?{query}", headers={"Authorization": f"Bearer {market_bureau.key}"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "request.invalid"
    assert answer.json()["field"] == field


@pytest.mark.parametrize("path", ["/api/v1/code-conflicts", "/api/v1/commitments"])
def test_it_answers_the_deepest_offset_and_longest_limit(
    client: Client, market_bureau: ProviderPersona, path: str
) -> None:
    answer = client.get(
        f"{path}?offset={MAX_OFFSET}&limit=500", headers={"Authorization": f"Bearer {market_bureau.key}"}
    )
    assert answer.status_code == 200
    assert answer.json() == []


@pytest.mark.parametrize("path", ["/api/v1/publicity/penalties", "/api/v1/publicity/licences"])
def test_it_bounds_api_page_numbers(client: Client, path: str) -> None:
    assert client.get(f"{path}?page={MAX_PAGE}").status_code == 200
    refused = client.get(f"{path}?page={MAX_PAGE + 1}")
    assert refused.status_code == 400
    assert refused.json()["field"] == "query.page"


@pytest.mark.parametrize(
    "path",
    [
        f"/publicity/penalties/?page={ENDLESS}",
        f"/publicity/penalties/?page={HUGE}&domain={ENDLESS}",
        f"/search/?q=厦门&offset={ENDLESS}",
        f"/search/?q=厦门&offset={HUGE}",
    ],
)
def test_public_pages_take_endless_numbers_without_failing(client: Client, path: str) -> None:
    assert client.get(path).status_code in (200, 400)  # 400: the search page's "too deep" refusal


def test_page_number_is_one_when_absent_or_not_a_number_and_at_most_the_deepest_page() -> None:
    assert [page_number(v) for v in (None, "", "abc", "0", "-3", "²", "1e5")] == [1] * 7
    assert page_number("7") == 7
    assert page_number(str(MAX_PAGE)) == MAX_PAGE
    assert page_number(str(MAX_PAGE + 1)) == MAX_PAGE
    assert page_number(ENDLESS) == MAX_PAGE


def test_whole_number_is_none_past_its_maximum() -> None:
    assert whole_number(" 0042 ") == 42
    assert whole_number("0") == 0
    assert whole_number(str(MAX_OFFSET)) == MAX_OFFSET
    assert whole_number(str(MAX_OFFSET + 1)) is None
    assert whole_number(ENDLESS) is None
    assert whole_number(str(MAX_ID), maximum=MAX_ID) == MAX_ID
    assert whole_number(HUGE, maximum=MAX_ID) is None


def test_marking_a_notification_with_an_endless_id_marks_nothing(client: Client) -> None:
    user = User.objects.create_user("reader", kind=User.Kind.SUBJECT)
    client.force_login(user)
    assert client.post("/account/notifications/read/", {"id": ENDLESS}).status_code == 302
