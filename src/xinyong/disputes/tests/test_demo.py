"""The demo city gets one open objection and one objection for an omission from the demo company's
account, once each."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import User
from xinyong.conftest import ProviderPersona
from xinyong.core.testing import travel_to
from xinyong.disputes.demo import seed_objection, seed_omission
from xinyong.disputes.models import Objection
from xinyong.disputes.tests.conftest import MONDAY
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


def test_it_files_one_open_objection_once(record: CreditRecord, company: User, clerk: User) -> None:
    company.username = "qiye"
    company.save(update_fields=["username"])
    with travel_to(MONDAY):
        objection = seed_objection()
        assert seed_objection() is None
    assert objection is not None and objection.record == record and objection.is_open
    assert Objection.objects.count() == 1


def test_it_does_nothing_without_the_demo_account(record: CreditRecord) -> None:
    assert seed_objection() is None


def test_it_files_one_omission_once(market_bureau: ProviderPersona, company: User, clerk: User) -> None:
    company.username = "qiye"
    company.save(update_fields=["username"])
    with travel_to(MONDAY):
        objection = seed_omission()
        assert seed_omission() is None
    assert objection is not None and objection.is_omission and objection.provider == market_bureau.provider
    assert (objection.omitted_kind_code, objection.omitted_key) == ("commendation", "演示表〔2026〕1号")
