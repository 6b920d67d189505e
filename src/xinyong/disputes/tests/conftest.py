"""Personas of the objection tests: the penalised company's account, the market bureau's clerk, an
objection handler at the centre, and a helper to post a penalty at a given moment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona, centre_staff, penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord

#: A Monday; the penalty was decided on 2026-11-02 and reported on 2026-11-20.
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)
KEY = "厦市监罚〔2026〕101号"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"


def post_penalty(persona: ProviderPersona, at: dt.datetime, **changes: Any) -> CreditRecord:
    with travel_to(at):
        response = persona.post(Client(), [penalty(**changes)])
    assert response.status_code == 200, response.content
    outcome = response.json()["results"][0] if "results" in response.json() else None
    assert outcome is None or not outcome.get("errors"), outcome
    key = changes.get("行政处罚决定书文号", KEY)
    return CreditRecord.objects.get(key=key)


@pytest.fixture
def record(market_bureau: ProviderPersona) -> CreditRecord:
    return post_penalty(market_bureau, dt.datetime(2026, 11, 20, 9, 0, tzinfo=CHINA))


@pytest.fixture
def company(db: None) -> User:
    """The penalised company's verified account."""
    return User.objects.create_user(
        "lujiang", email="lujiang@example.cn", kind=User.Kind.SUBJECT, subject_code=COMPANY_USCC,
        verified_at=dt.datetime(2026, 11, 1, tzinfo=CHINA), verified_by="test",
    )  # fmt: skip


@pytest.fixture
def other_company(db: None) -> User:
    return User.objects.create_user(
        "other", kind=User.Kind.SUBJECT, subject_code=OTHER_COMPANY_USCC,
        verified_at=dt.datetime(2026, 11, 1, tzinfo=CHINA), verified_by="test",
    )  # fmt: skip


@pytest.fixture
def clerk(market_bureau: ProviderPersona) -> User:
    return User.objects.create_user(
        "scjg", email="scjg@example.cn", kind=User.Kind.PROVIDER, provider=market_bureau.provider
    )


@pytest.fixture
def tax_clerk(tax_bureau: ProviderPersona) -> User:
    return User.objects.create_user("swj", kind=User.Kind.PROVIDER, provider=tax_bureau.provider)


@pytest.fixture
def handler(db: None) -> User:
    user = centre_staff("yiyi", Role.OBJECTION_HANDLER)
    user.email = "yiyi@example.cn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def auditor(db: None) -> User:
    return centre_staff("shenji", Role.AUDITOR)


class SignedIn(Client):
    """A client signed in afresh at each request, so tests can travel days ahead of the session."""

    def __init__(self, user: User) -> None:
        super().__init__()
        self.user = user

    def request(self, **request: Any) -> Any:
        self.force_login(self.user)
        return super().request(**request)


def signed_in(user: User) -> SignedIn:
    return SignedIn(user)
