"""The expiry job marks closed windows once, however often or late it runs; reads never needed it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.records.jobs import expire_publications
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(client: Client, market_bureau: ProviderPersona) -> None:
    """Two 通报批评 published until 2027-02-01 and 2027-02-04 (三个月, 总局令第45号)."""
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        market_bureau.post(
            client,
            [
                penalty(处罚类别="通报批评"),
                penalty(
                    行政处罚决定书文号="厦市监罚〔2026〕2号", 处罚类别="通报批评", 处罚决定日期="2026-11-05"
                ),
            ],
        )


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(1), tzinfo=CHINA)


@pytest.mark.parametrize(("day", "marked"), [("2027-02-01", 0), ("2027-02-02", 1), ("2027-02-05", 2)])
def test_it_marks_windows_closed_before_today(notices: None, day: str, marked: int) -> None:
    assert expire_publications(now=at(day)) == marked
    assert CreditRecord.objects.filter(expired_at__isnull=False).count() == marked


def test_running_twice_or_late_marks_once(notices: None) -> None:
    assert expire_publications(now=at("2027-03-01"), batch=1) == 2
    assert expire_publications(now=at("2027-03-02")) == 0
    with time_machine.travel(at("2027-03-03"), tick=False):
        call_command("publication", "expire")

    assert AuditEntry.objects.filter(action="publication.expire").count() == 2
    assert set(CreditRecord.objects.values_list("expired_at", flat=True)) == {at("2027-03-01")}
