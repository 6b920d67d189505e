"""Working days follow the holiday notices, including make-up working days; missing years fail loudly."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.core.calendar import CalendarMissing, WorkingCalendar, countdown
from xinyong.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar.load()


def test_the_seeded_years_are_2024_to_2026() -> None:
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert CalendarDay.objects.get(date=D(2026, 2, 14)).kind == "makeup"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 26), True),  # Friday
        (D(2025, 9, 27), False),  # Saturday
        (D(2025, 9, 28), True),  # Sunday, make-up working day before National Day
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),  # last day off
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday make-up
        (D(2026, 2, 14), True),  # Saturday make-up before Spring Festival
        (D(2026, 2, 23), False),
        (D(2026, 2, 24), True),
    ],
)
def test_is_working_day(calendar: WorkingCalendar, day: dt.date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_seven_working_days_across_national_day_2025(calendar: WorkingCalendar) -> None:
    """Decided on Mon 2025-09-29: 9-30 is day 1, 10-01..08 are off, 10-09, 10-10 and the make-up
    Saturday 10-11 are days 2–4, so day 7 is Wed 2025-10-15."""
    assert calendar.add_working_days(D(2025, 9, 29), 7) == D(2025, 10, 15)
    assert calendar.working_days_between(D(2025, 9, 29), D(2025, 10, 14)) == 6
    assert calendar.working_days_between(D(2025, 9, 29), D(2025, 10, 15)) == 7
    assert calendar.working_days_between(D(2025, 9, 29), D(2025, 10, 16)) == 8


def test_counting_across_spring_festival_2026(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_a_missing_year_raises_rather_than_guessing(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarMissing, match="2027"):
        calendar.add_working_days(D(2026, 12, 28), 7)
    assert calendar.working_days_between(D(2026, 12, 28), D(2026, 12, 31)) == 3


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (D(2025, 9, 29), "剩余 2 个工作日"),  # due 2025-10-09: 09-30 and 10-09 remain
        (D(2025, 10, 9), "今日到期"),
        (D(2025, 10, 10), "已逾期 1 个工作日"),
        (D(2025, 10, 12), "已逾期 2 个工作日"),  # Sunday: 10-10 and the make-up Saturday 10-11 have passed
    ],
)
def test_a_countdown_counts_working_days_around_national_day(
    calendar: WorkingCalendar, today: dt.date, text: str
) -> None:
    assert countdown(D(2025, 10, 9), today, calendar).text == text


def test_a_natural_day_countdown_ignores_the_calendar() -> None:
    assert countdown(D(2025, 10, 9), D(2025, 9, 29), None).text == "剩余 10 天"
    assert countdown(D(2025, 10, 9), D(2025, 10, 10), None).overdue


def test_a_countdown_into_a_missing_year_shows_the_date(calendar: WorkingCalendar) -> None:
    assert countdown(D(2027, 1, 8), D(2026, 12, 30), calendar).text == "截止 2027-01-08"
