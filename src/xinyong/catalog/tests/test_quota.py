"""Per-key quotas: at most ``requests_per_minute`` calls per calendar minute, then 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.catalog.models import ApiKey, ApiKeyWindow
from xinyong.catalog.quota import count_request
from xinyong.conftest import ProviderPersona
from xinyong.core import clock
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def traveller() -> Any:
    with travel_to("2026-11-23 10:00:45") as travel:
        yield travel


@pytest.fixture
def persona(market_bureau: ProviderPersona) -> ProviderPersona:
    ApiKey.objects.filter(provider=market_bureau.provider).update(requests_per_minute=LIMIT)
    return market_bureau


def call(client: Client, persona: ProviderPersona) -> Any:
    return client.get("/api/v1/code-conflicts", headers={"Authorization": f"Bearer {persona.key}"})


def test_the_limit_th_request_passes_and_the_next_is_refused_until_the_next_minute(
    client: Client, persona: ProviderPersona, traveller: time_machine.Traveller
) -> None:
    for _ in range(LIMIT):
        assert call(client, persona).status_code == 200

    refused = call(client, persona)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"
    assert refused.json() == {
        "code": "auth.quota_exceeded",
        "field": None,
        "row": None,
        "message": "该接口密钥每分钟最多可发起 3 次请求，已达上限，请 15 秒后重试。",
    }

    traveller.shift(14)
    assert call(client, persona)["Retry-After"] == "1"

    traveller.shift(1)
    assert call(client, persona).status_code == 200


def test_each_key_has_its_own_count(
    client: Client, persona: ProviderPersona, tax_bureau: ProviderPersona, traveller: time_machine.Traveller
) -> None:
    for _ in range(LIMIT + 1):
        call(client, persona)
    assert call(client, persona).status_code == 429
    assert call(client, tax_bureau).status_code == 200


def test_requests_refused_before_authentication_are_not_counted(
    client: Client, persona: ProviderPersona, traveller: time_machine.Traveller
) -> None:
    for _ in range(LIMIT + 2):
        response = client.get("/api/v1/code-conflicts", headers={"Authorization": "Bearer xy_nope_nope"})
        assert response.status_code == 401
    assert call(client, persona).status_code == 200


def test_the_count_is_one_upsert_per_request_and_old_minutes_are_pruned(
    persona: ProviderPersona, traveller: time_machine.Traveller
) -> None:
    key = ApiKey.objects.get(provider=persona.provider)
    minute = clock.now().replace(second=0, microsecond=0)
    assert [count_request(key, minute) for _ in range(3)] == [1, 2, 3]
    assert ApiKeyWindow.objects.get(key=key).minute == minute

    later = minute.replace(minute=minute.minute + 1)
    assert count_request(key, later) == 1
    assert list(ApiKeyWindow.objects.filter(key=key).values_list("minute", "count")) == [(later, 1)]
