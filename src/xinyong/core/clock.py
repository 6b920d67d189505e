"""The platform's one source of time (docs/architecture.md, principle 5).

Store UTC; reason about dates and working days in Asia/Shanghai. Tests move time with time-machine,
which patches what these functions read, so nothing else may call ``datetime.now()``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current instant, timezone-aware UTC."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in China, the date every rule counts in."""
    return local_date(now())


def local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(CHINA).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight in China: the dates people give (forms, command lines) are the dates they mean there."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=CHINA)
