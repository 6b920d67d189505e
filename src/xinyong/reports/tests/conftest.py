"""Report personas: the company with one penalty, its verified account, and a fresh signing key and archive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to

#: A Monday; the data cut-off is 7 working days earlier, 2026-11-19.
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def _every_test_has_its_report_archive(report_dirs: Path) -> Path:
    return report_dirs


@pytest.fixture
def at_now() -> Iterator[None]:
    with travel_to(NOW):
        yield


@pytest.fixture
def penalised(market_bureau: ProviderPersona, at_now: None) -> ProviderPersona:
    """The company has one penalty decided 2026-11-02, within every period."""
    response = market_bureau.post(Client(), [penalty()])
    assert response.status_code == 200, response.content
    return market_bureau


@pytest.fixture
def company(db: None) -> User:
    return User.objects.create_user(
        "qiye", kind=User.Kind.SUBJECT, subject_code=COMPANY_USCC, verified_at=NOW - dt.timedelta(days=30)
    )
