"""The demo city's quality data: declarations for twelve months, one call (demo.quality)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from xinyong.demo.quality import SILENT, seed_quality
from xinyong.quality import scorecard
from xinyong.quality.models import Declaration
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db


def test_the_demo_declares_what_was_decided_and_leaves_some_months_out(november: QualityMonth) -> None:
    Declaration.objects.all().delete()
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        made = seed_quality()
        again = seed_quality()  # running the demo twice corrects, never duplicates
        cards = scorecard.scorecards(dt.date(2026, 11, 1))
    assert made == again == Declaration.objects.count()
    market = next(c for c in cards if c.provider == november.market.provider)
    assert market.kinds["penalty"].declared >= 5
    assert sum(1 for c in cards if c.total.missing) == len([p for p in SILENT if p < len(cards)])
