"""Working days (工作日) and natural days (自然日).

Working days follow the State Council holiday notices kept in ``CalendarDay``. A question about a
year without a notice raises ``CalendarMissing``: a deadline must never silently fall back to
Monday–Friday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from xinyong.core.errors import CALENDAR_MISSING, PlatformError
from xinyong.core.models import CalendarDay, CalendarYear


class CalendarMissing(LookupError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"工作日历缺少 {year} 年的节假日安排 (holiday calendar for {year} is missing)")

    def refusal(self) -> PlatformError:
        """The answer a request gets: 503 ``calendar.missing``, naming the year."""
        return PlatformError(CALENDAR_MISSING, year=self.year)


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
        """The date that is ``days`` working days after ``start`` (before it, for negative ``days``)."""
        day = start
        step = dt.timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        while remaining > 0:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day


def natural_days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


@dataclass(frozen=True)
class WorkingDays:
    """A period of 工作日, e.g. "within 2 working days of accepting"."""

    days: int

    def due(self, start: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The last day of the period started on ``start`` (that day is day 0). Raises
        ``CalendarMissing`` when the period runs into a year without a holiday notice."""
        return calendar.add_working_days(start, self.days)

    def __str__(self) -> str:
        return f"{self.days} 个工作日"


@dataclass(frozen=True)
class NaturalDays:
    """A period of 自然日, which ignores weekends and holidays (e.g. the 14 days of intake timeliness)."""

    days: int

    def due(self, start: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
        return start + dt.timedelta(days=self.days)

    def __str__(self) -> str:
        return f"{self.days} 个自然日"


def period(value: int, unit: str) -> WorkingDays | NaturalDays:
    """A rulebook period: ``unit`` is ``working_day`` or ``natural_day`` (docs/rulebook.md)."""
    if unit == "working_day":
        return WorkingDays(value)
    if unit == "natural_day":
        return NaturalDays(value)
    raise ValueError(f"unknown period unit {unit!r}")


#: From this month on next year's holiday notice is wanted too (the State Council publishes it in
#: October or November).
WARN_FROM_MONTH = 10


def years_wanted(today: dt.date) -> list[int]:
    """The years deadlines may soon need: this year always, next year from ``WARN_FROM_MONTH`` on."""
    return [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])


def missing_years_ahead(covered: Collection[int], today: dt.date) -> list[int]:
    """The wanted years (``years_wanted``) whose holiday notice is not among the ``covered`` years."""
    return [year for year in years_wanted(today) if year not in covered]


@dataclass(frozen=True)
class Countdown:
    """Time left until a deadline (its last day) as case pages show it, computed when read, so it is right
    whether or not an overdue job ran."""

    due: dt.date
    days: int | None  # left after today (0: due today; negative: overdue by); None: calendar missing
    working: bool  # counted in working days (工作日) or natural days (自然日)

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def text(self) -> str:
        unit = "个工作日" if self.working else "天"
        if self.days is None:
            return f"截止 {self.due:%Y-%m-%d}"
        if self.days < 0:
            return f"已逾期 {-self.days} {unit}"
        return "今日到期" if self.days == 0 else f"剩余 {self.days} {unit}"


def countdown(due: dt.date, today: dt.date, calendar: WorkingCalendar | None) -> Countdown:
    """Working days to ``due`` with a calendar, natural days without one (``calendar=None``)."""
    if calendar is None:
        return Countdown(due, (due - today).days, working=False)
    try:
        days = (
            -calendar.working_days_between(due, today)
            if today > due
            else calendar.working_days_between(today, due)
        )
    except CalendarMissing:
        return Countdown(due, None, working=True)
    # Overdue on a day off after the due day still counts as overdue, by at least one day.
    return Countdown(due, min(days, -1) if today > due else days, working=True)
