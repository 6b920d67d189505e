"""Sampling (抽样核查): a reproducible draw, verdicts with the field, the accuracy rate on the card."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import centre_staff
from xinyong.core.errors import PlatformError
from xinyong.quality import sampling, scorecard
from xinyong.quality.models import SampleItem
from xinyong.quality.scorecard import Rate
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)
AFTER = "2026-12-03 10:00 +0800"


@pytest.fixture
def admin() -> User:
    return centre_staff("sampler", Role.CATALOGUE_ADMIN)


def test_the_same_seed_and_size_draw_the_same_records() -> None:
    ids = list(range(100, 200))
    assert sampling.chosen(ids, 7, 2026) == sampling.chosen(list(ids), 7, 2026)
    assert sampling.chosen(ids, 7, 2026) != sampling.chosen(ids, 7, 2027)
    assert sampling.chosen(ids[:3], 7, 1) == ids[:3]


def test_a_draw_records_its_seed_size_and_records_on_the_trail(november: QualityMonth, admin: User) -> None:
    with time_machine.travel(AFTER, tick=False):
        drawn = sampling.draw(november.market.provider, NOVEMBER, 3, seed=42, actor=admin)
    picked = sorted(SampleItem.objects.filter(draw=drawn).values_list("record_id", flat=True))
    assert drawn.population == 5
    assert picked == sampling.chosen(sampling.population(november.market.provider, NOVEMBER), 3, 42)
    detail = json.loads(AuditEntry.objects.get(action="quality.sample.draw").detail)
    assert (detail["seed"], detail["size"], detail["records"]) == (42, 3, picked)


def test_a_month_is_sampled_once_and_only_when_complete(november: QualityMonth, admin: User) -> None:
    with time_machine.travel(AFTER, tick=False):
        sampling.draw(november.market.provider, NOVEMBER, 2, seed=1, actor=admin)
        with pytest.raises(PlatformError) as again:
            sampling.draw(november.market.provider, NOVEMBER, 2, seed=1, actor=admin)
        with pytest.raises(PlatformError) as running:
            sampling.draw(november.market.provider, dt.date(2026, 12, 1), 2, seed=1, actor=admin)
    assert again.value.error.code == "quality.sample_exists"
    assert running.value.error.code == "quality.month_not_complete"


def test_a_wrong_verdict_needs_a_field_of_the_kind(november: QualityMonth, admin: User) -> None:
    with time_machine.travel(AFTER, tick=False):
        drawn = sampling.draw(november.market.provider, NOVEMBER, 1, seed=7, actor=admin)
        item = drawn.items.get()
        with pytest.raises(PlatformError) as missing:
            sampling.review(item, "wrong", "", "", actor=admin)
        with pytest.raises(PlatformError) as unknown:
            sampling.review(item, "wrong", "no_such_field", "", actor=admin)
    assert missing.value.error.code == "quality.field_required"
    assert unknown.value.error.code == "quality.field_unknown"
    assert SampleItem.objects.get(pk=item.pk).verdict == ""


def test_reviewed_samples_give_the_accuracy_rate(november: QualityMonth, admin: User) -> None:
    with time_machine.travel(AFTER, tick=False):
        drawn = sampling.draw(november.market.provider, NOVEMBER, 5, seed=3, actor=admin)
        items = list(drawn.items.order_by("record_id"))
        for item in items[:3]:
            sampling.review(item, "correct", "", "", actor=admin)
        sampling.review(items[3], "wrong", "cf_wfxw", "违法行为类型与事实不符", actor=admin)
        (card,) = scorecard.scorecards(NOVEMBER, [november.market.provider])
    assert card.total.accuracy == Rate(3, 4)  # the fifth is not reviewed yet
    assert "accuracy" in card.shortfalls(scorecard.targets_for(NOVEMBER))
    assert AuditEntry.objects.filter(action="quality.sample.review").count() == 4


def test_staff_draw_and_review_from_the_sample_page(november: QualityMonth, admin: User) -> None:
    client = Client()
    client.force_login(admin)
    code = november.market.provider.code
    with time_machine.travel(AFTER, tick=False):
        client.post(
            f"/centre/quality/providers/{code}/samples/draw/", {"month": "2026-11", "size": "2", "seed": "9"}
        )
        item = SampleItem.objects.order_by("pk").first()
        assert item is not None
        client.post(f"/centre/quality/samples/{item.pk}/review/", {"verdict": "correct"})
        page = client.get(f"/centre/quality/providers/{code}/samples/?month=2026-11").content.decode()
    assert "随机种子 9" in page
    assert SampleItem.objects.get(pk=item.pk).verdict == "correct"
