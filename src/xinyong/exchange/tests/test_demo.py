"""The demo city's exchange part: a follower with a notice, a first batch sent, one refused."""

from __future__ import annotations

import pytest
from django.test import Client

from xinyong.accounts.models import Notification, Unit, User
from xinyong.conftest import ProviderPersona, penalty
from xinyong.demo.exchange import seed_exchange
from xinyong.exchange.models import Delivery, Watch
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db


def test_the_demo_follows_the_showcase_and_sends_a_first_batch(market_bureau: ProviderPersona) -> None:
    rows = [penalty(行政处罚决定书文号=f"D-{n}") for n in range(45)]
    rows.append(penalty(行政相对人名称="厦门演示失信被执行有限公司", 行政处罚决定书文号="D-show"))
    assert market_bureau.post(Client(), rows).status_code == 200
    unit = Unit.objects.create(code=complete_uscc("1135020000987654"), name="厦门市发展和改革委员会")
    officer = User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit)

    seed_exchange()

    assert Watch.objects.filter(user=officer).count() == 1
    assert Notification.objects.filter(user=officer, title__startswith="信用监测").exists()
    states = list(Delivery.objects.exclude(first_sent_at=None).values_list("state", flat=True))
    assert sorted(states) == ["acknowledged"] * 38 + ["failed"] * 2
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 46 - 40
