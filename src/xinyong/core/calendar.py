"""Working days (工作日) and natural days (自然日), DOMAIN.md §12.

Working days follow the State Council holiday notices kept in ``CalendarDay``. A question about a
year without a notice raises ``CalendarMissing``: a deadline must never silently fall back to
Monday–Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xinyong.core.models import CalendarDay, CalendarYear


class CalendarMissing(LookupError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"工作日历缺少 {year} 年的节假日安排 (holiday calendar for {year} is missing)")


@dataclass(frozen=True)
class WorkingCalendar:
    """An in-memory snapshot of the calendar, built once per operation (one query)."""

    years: frozenset[int]
    off: frozenset[dt.date]
    makeup: frozenset[dt.date]
    # Working days from 1 January of the first covered year up to and including each covered day,
    # so counting between two dates is a subtraction (imports count millions of spans).
    _running: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        count = 0
        for year in sorted(self.years):
            day = dt.date(year, 1, 1)
            while day.year == year:
                count += self._rule_says_working(day)
                self._running[day.toordinal()] = count
                day += dt.timedelta(days=1)

    @classmethod
    def load(cls) -> WorkingCalendar:
        off: set[dt.date] = set()
        makeup: set[dt.date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (off if kind == CalendarDay.Kind.OFF else makeup).add(day)
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        return cls(years, frozenset(off), frozenset(makeup))

    def _rule_says_working(self, day: dt.date) -> bool:
        if day in self.makeup:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.years:
            raise CalendarMissing(day.year)
        return self._rule_says_working(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start).

        This is how "within N working days of the decision" is counted: the decision day itself is
        day 0, the next working day is day 1.
        """
        if end <= start:
            return 0
        for year in range(start.year, end.year + 1):
            if year not in self.years:
                raise CalendarMissing(year)
        return self._running[end.toordinal()] - self._running[start.toordinal()]

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date that is ``days`` working days after ``start``."""
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def natural_days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days
