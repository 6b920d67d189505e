"""Query-count baseline of the centre's objection queue (异议处理队列), with one case and with thirty.

The handlers open the queue all day; its count must not grow with the cases listed. The ceiling is the
count measured when it was set."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.conftest import ProviderPersona, penalty
from xinyong.core.testing import travel_to
from xinyong.disputes.services import file_objection
from xinyong.disputes.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cases", [1, 30])
def test_the_objection_queue(
    market_bureau: ProviderPersona,
    company: User,
    handler: User,
    cases: int,
    django_assert_max_num_queries: Any,
) -> None:
    records = market_bureau.store(
        [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{100 + n}号") for n in range(cases)], at="2026-11-20"
    )
    with travel_to(MONDAY):
        numbers = [
            file_objection(actor=company, record=record, grounds="error", statement="金额有误").number
            for record in records
        ]
        page = Client()
        page.force_login(handler)
        with django_assert_max_num_queries(12):
            response = page.get("/centre/objections/")
    assert response.status_code == 200
    assert numbers[0] in response.content.decode()
