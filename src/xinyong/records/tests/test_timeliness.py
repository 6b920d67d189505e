"""Timeliness of receipt: 14 natural days and 7 working days, from the rulebook, at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.core.calendar import WorkingCalendar
from xinyong.records.timeliness import assess

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar.load()


@pytest.mark.parametrize(
    ("received", "met"), [(D(2026, 3, 15), True), (D(2026, 3, 16), True), (D(2026, 3, 17), False)]
)
def test_fourteen_natural_days(calendar: WorkingCalendar, received: dt.date, met: bool) -> None:
    t = assess(D(2026, 3, 2), received, calendar)
    assert t.met_natural_day_rule is met
    assert t.natural_day_rule == "collection.violation_natural_days@1"


@pytest.mark.parametrize(
    ("received", "working_days", "met"),
    [(D(2025, 10, 14), 6, True), (D(2025, 10, 15), 7, True), (D(2025, 10, 16), 8, False)],
)
def test_seven_working_days_across_a_holiday(
    calendar: WorkingCalendar, received: dt.date, working_days: int, met: bool
) -> None:
    t = assess(D(2025, 9, 29), received, calendar)
    assert (t.working_days, t.met_working_day_rule) == (working_days, met)
    assert t.natural_days == (received - D(2025, 9, 29)).days


def test_before_the_fourteen_day_rule_existed_it_is_not_judged(calendar: WorkingCalendar) -> None:
    t = assess(D(2024, 1, 3), D(2024, 3, 1), calendar)
    assert (t.met_natural_day_rule, t.natural_day_rule) == (None, "")
    assert assess(D(2024, 1, 4), D(2024, 3, 1), calendar).met_natural_day_rule is False


def test_a_span_outside_the_calendar_is_unknown_not_guessed(calendar: WorkingCalendar) -> None:
    t = assess(D(2023, 6, 1), D(2024, 3, 1), calendar)
    assert (t.working_days, t.met_working_day_rule, t.working_day_rule) == (None, None, "")
