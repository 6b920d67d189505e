"""Each rate of the scorecard on the hand-computed month of ``conftest.QualityMonth``."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from xinyong.catalog.models import ProviderGrant
from xinyong.quality import scorecard
from xinyong.quality.scorecard import Rate
from xinyong.quality.tests.conftest import QualityMonth

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)


def _cards(november: QualityMonth) -> dict[str, scorecard.ProviderCard]:
    return {c.provider.code: c for c in scorecard.scorecards(NOVEMBER)}


def test_the_upload_rate_counts_each_kind_up_to_its_declared_total(november: QualityMonth) -> None:
    market = _cards(november)[november.market.provider.code].total
    assert (market.declared, market.reported, market.covered) == (6, 5, 5)
    assert market.upload == Rate(5, 6)
    assert market.upload.percent == 83.3
    penalties = _cards(november)[november.market.provider.code].kinds["penalty"]
    assert penalties.upload == Rate(5, 6)


def test_the_compliance_rate_counts_rejected_and_held_rows_as_not_compliant(november: QualityMonth) -> None:
    market = _cards(november)[november.market.provider.code].total
    assert (market.received, market.rejected, market.held, market.accepted) == (6, 1, 1, 4)
    assert market.compliance.percent == 66.7


def test_the_timeliness_rate_counts_records_that_missed_a_deadline_of_their_kind(
    november: QualityMonth,
) -> None:
    market = _cards(november)[november.market.provider.code].total
    assert (market.records, market.assessed, market.timely) == (5, 5, 4)
    assert market.timeliness.percent == 80.0
    assert [r.key for r in scorecard.late_records(november.market.provider, NOVEMBER)] == [
        "厦市监罚〔2026〕F号"
    ]


def test_a_zero_declaration_month_without_rows_has_no_rate_and_nothing_missing(
    november: QualityMonth,
) -> None:
    tax = _cards(november)[november.tax.provider.code]
    assert tax.total.declared == 0 and tax.total.declarations == 1
    assert tax.total.missing == []
    assert [r.percent for r in (tax.total.upload, tax.total.compliance, tax.total.timeliness)] == [None] * 3
    assert tax.shortfalls(scorecard.targets_for(NOVEMBER)) == []
    assert tax.rank is None


def test_a_provider_with_no_rows_and_no_declaration_is_flagged_missing(november: QualityMonth) -> None:
    port = _cards(november)[november.port.code]
    assert port.total.missing == ["licence"]
    assert port.total.received == port.total.reported == 0
    assert port.shortfalls(scorecard.targets_for(NOVEMBER)) == ["declaration"]


def test_undeclared_granted_kinds_are_missing_and_named(november: QualityMonth) -> None:
    market = _cards(november)[november.market.provider.code]
    granted = set(
        ProviderGrant.objects.filter(provider=november.market.provider).values_list("kind_code", flat=True)
    )
    assert set(market.total.missing) == granted - {"penalty", "licence"}
    assert market.shortfalls(scorecard.targets_for(NOVEMBER)) == [
        "upload",
        "compliance",
        "timeliness",
        "declaration",
    ]


def test_a_domain_counts_the_same_rows_as_its_provider(november: QualityMonth) -> None:
    card = _cards(november)[november.market.provider.code]
    ((domain, counts),) = card.domains
    assert domain.number == 25
    assert (counts.received, counts.accepted, counts.timely, counts.covered) == (6, 4, 4, 5)


def test_rates_are_compared_exactly_not_rounded() -> None:
    assert Rate(999, 1000).percent == 99.9
    assert Rate(9999, 10000).percent == 100.0
    assert Rate(9999, 10000).meets(100) is False
    assert Rate(0, 0).meets(100) is None


def test_ranking_puts_units_with_rates_first_and_leaves_the_rest_unranked(november: QualityMonth) -> None:
    cards = scorecard.scorecards(NOVEMBER)
    assert cards[0].provider == november.market.provider and cards[0].rank == 1
    assert all(c.rank is None for c in cards[1:])


def test_the_drill_down_lists_the_rows_behind_each_figure(november: QualityMonth) -> None:
    provider = november.market.provider
    assert scorecard.decided_records(provider, NOVEMBER).count() == 5
    assert [(r.row_number, r.field) for r in scorecard.rejections(provider, NOVEMBER)] == [(4, "cf_jdrq")]
    assert [v.record.key for v in scorecard.held_versions(provider, NOVEMBER)] == ["厦市监罚〔2026〕E号"]
    assert scorecard.error_breakdown(provider, NOVEMBER)[0]["rows"] == 1


def test_the_trend_has_twelve_months_oldest_first(november: QualityMonth) -> None:
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        series = scorecard.trend([november.market.provider.pk], NOVEMBER)[november.market.provider.pk]
    assert series[0][0] == dt.date(2025, 12, 1)
    assert len(series) == 12
    assert series[-1][1].compliance == Rate(4, 6)
    assert series[-2][1].received == 0
