"""Personas of the repair tests: a penalised company with its verified account, and the two reviewers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.conftest import COMPANY_USCC, ProviderPersona, centre_staff, penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord

Post = Callable[..., CreditRecord]


@pytest.fixture
def post_penalty(client: Client, market_bureau: ProviderPersona) -> Post:
    """Report a penalty of the company decided on ``decided`` (the next day, at 10:00), as the market
    bureau does, and return its record."""

    def post(decided: str, key: str = "厦市监罚〔2025〕101号", **changes: Any) -> CreditRecord:
        day = dt.date.fromisoformat(decided)
        received = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10), tzinfo=CHINA)
        with travel_to(received):
            response = market_bureau.post(
                client, [penalty(处罚决定日期=decided, 行政处罚决定书文号=key, **changes)]
            )
        assert response.status_code == 200, response.content
        assert response.json()["batch"]["rejected"] == 0, response.json()
        return CreditRecord.objects.get(key=key)

    return post


@pytest.fixture
def company(db: None) -> User:
    """厦门鹭江贸易有限公司's verified account."""
    return User.objects.create_user(
        "lujiang",
        kind=User.Kind.SUBJECT,
        email="lujiang@example.com",
        subject_code=COMPANY_USCC,
        verified_at=dt.datetime(2025, 1, 1, tzinfo=CHINA),
    )


@pytest.fixture
def city(db: None) -> User:
    user = centre_staff("city-reviewer", Role.CITY_REPAIR_REVIEWER)
    user.email = "city@example.com"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def province(db: None) -> User:
    return centre_staff("province-reviewer", Role.PROVINCIAL_REPAIR_REVIEWER)


def at(day: str, hour: int = 10) -> dt.datetime:
    """``day`` at ``hour`` o'clock in China."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=CHINA)


STATEMENT = "罚款已于处罚决定后十日内全额缴纳，虚假宣传内容已全部下架并完成整改。"


@pytest.fixture
def upload_dir(settings: Any, tmp_path: Any) -> Any:
    settings.UPLOAD_DIR = tmp_path
    return tmp_path
