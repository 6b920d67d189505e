"""The shared test kit: time travel and the record builder behave as their docstrings say."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona, penalty, person_penalty
from xinyong.core import clock
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-02-12", dt.datetime(2026, 2, 12, 10, 0, tzinfo=CHINA)),
        (dt.date(2026, 2, 12), dt.datetime(2026, 2, 12, 10, 0, tzinfo=CHINA)),
        ("2026-11-22 23:59:59", dt.datetime(2026, 11, 22, 23, 59, 59, tzinfo=CHINA)),
        ("2026-11-22 10:00 +0800", dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)),
        ("2026-11-22T02:00:00+00:00", dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)),
        (dt.datetime(2026, 11, 22, 8, 30), dt.datetime(2026, 11, 22, 8, 30, tzinfo=CHINA)),
    ],
)
def test_travel_to_reads_days_and_times_as_china_time(moment: object, expected: dt.datetime) -> None:
    with travel_to(moment):  # type: ignore[arg-type]
        assert clock.now() == expected


def test_travel_to_stands_still_and_moves_on_when_told() -> None:
    with travel_to("2026-11-22 23:59:59") as traveller:
        assert clock.today() == dt.date(2026, 11, 22)
        traveller.shift(dt.timedelta(seconds=1))
        assert clock.today() == dt.date(2026, 11, 23)


@travel_to("2026-02-12")
def test_travel_to_decorates_a_test() -> None:
    assert clock.today() == dt.date(2026, 2, 12)


def test_the_builder_stores_records_without_http(market_bureau: ProviderPersona) -> None:
    records = market_bureau.store([penalty(), person_penalty()], at="2026-11-20")
    assert [r.subject_code for r in records] == [COMPANY_USCC, PERSON_ID]
    assert all(isinstance(r, CreditRecord) for r in records)
    assert records[0].first_received_at == dt.datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)


def test_the_builder_fails_the_test_on_a_rejected_row(market_bureau: ProviderPersona) -> None:
    with pytest.raises(AssertionError, match="rows rejected"):
        market_bureau.store([penalty(处罚决定日期="not a date")], at="2026-11-20")
