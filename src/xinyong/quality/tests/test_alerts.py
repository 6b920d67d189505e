"""The daily alerts: late records, rejected rows not resubmitted, undeclared months; each once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Notification, User
from xinyong.conftest import penalty
from xinyong.core.jobs import get
from xinyong.quality import alerts
from xinyong.quality.models import Alert
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(november: QualityMonth) -> User:
    return User.objects.create_user(
        "scjg", kind=User.Kind.PROVIDER, provider=november.market.provider, email="scjg@example.cn"
    )


def _alerts(provider_id: int) -> set[tuple[str, str, int]]:
    return set(Alert.objects.filter(provider_id=provider_id).values_list("kind", "reference", "count"))


def test_each_alert_is_sent_once_to_the_providers_staff(
    november: QualityMonth, clerk: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        time_machine.travel("2026-12-03 03:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = get("quality-alerts").run()
        again = get("quality-alerts").run()
    assert first == {"late": 1, "not_resubmitted": 1, "undeclared": 0}
    assert again == {"late": 0, "not_resubmitted": 0, "undeclared": 0}
    assert _alerts(november.market.provider.pk) == {
        ("late", "2026-11-20", 1),
        ("not_resubmitted", alerts_batch(november), 1),
    }
    titles = sorted(Notification.objects.filter(user=clerk).values_list("title", flat=True))
    assert titles == ["数据质量提醒：拒收后未更正重报", "数据质量提醒：超过7个工作日报送"]
    assert sorted(m.subject for m in mailoutbox) == [f"[信用平台] {t}" for t in titles]


def alerts_batch(november: QualityMonth) -> str:
    return str(november.market.provider.batches.order_by("pk").first().pk)  # type: ignore[union-attr]


def test_a_rejected_row_resubmitted_since_is_not_reminded(november: QualityMonth) -> None:
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        fixed = penalty(行政处罚决定书文号="厦市监罚〔2026〕D号", 处罚决定日期="2026-11-02")
        assert november.market.post(Client(), [fixed]).status_code == 200
    with time_machine.travel("2026-12-03 03:00 +0800", tick=False):
        assert alerts.run()["not_resubmitted"] == 0


def test_a_batch_is_reminded_only_after_the_working_days_to_resubmit(november: QualityMonth) -> None:
    # Batch of Thursday 2026-11-05; five working days later is Thursday 2026-11-12.
    with time_machine.travel("2026-11-12 03:00 +0800", tick=False):
        assert alerts.run()["not_resubmitted"] == 0
    with time_machine.travel("2026-11-13 03:00 +0800", tick=False):
        assert alerts.run()["not_resubmitted"] == 1


def test_an_undeclared_month_is_reminded_after_its_declaration_is_due(november: QualityMonth) -> None:
    # November's totals are due five working days after 2026-11-30: by Monday 2026-12-07.
    with time_machine.travel("2026-12-07 03:00 +0800", tick=False):
        assert alerts.run()["undeclared"] == 0
    with time_machine.travel("2026-12-08 03:00 +0800", tick=False):
        assert alerts.run()["undeclared"] == 2
    port = Alert.objects.get(provider=november.port, kind="undeclared")
    assert (port.reference, port.count) == ("2026-11", 1)
    assert dt.date(2026, 11, 1).strftime("%Y-%m") == port.reference
