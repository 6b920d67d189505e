"""Months (月份) as the scorecards count them: calendar months in Beijing time."""

from __future__ import annotations

import datetime as dt
import re

from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.quality import errors
from xinyong.records.publication import add_months

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str | None) -> dt.date:
    """``YYYY-MM`` as the first day of that month; anything else is refused (``quality.month_invalid``)."""
    found = _MONTH.fullmatch((value or "").strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise PlatformError(errors.MONTH_INVALID, field="month", value=(value or "")[:20])
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def current_month() -> dt.date:
    return clock.today().replace(day=1)


def last_complete_month() -> dt.date:
    return add_months(current_month(), -1)


def instant_bounds(first: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants from the start of ``first`` to the start of ``end`` (exclusive), Beijing time."""
    return clock.start_of_day(first), clock.start_of_day(end)


def label(month: dt.date) -> str:
    return f"{month:%Y-%m}"
