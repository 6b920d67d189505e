"""Timeliness of a record's first receipt (归集及时性).

Two rules, both from the rulebook: violations reach the city platform within 14 natural days of
arising; 双公示 and other administrative decisions within 7 working days. Both are stored for every
record so quality scorecards can count either; a rule not in force on the decision date, or a span
the working-day calendar does not cover, is stored as unknown (null), never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.core.calendar import CalendarMissing, WorkingCalendar, natural_days_between
from xinyong.records.rules import DUAL_PUBLICITY_WORKING_DAYS, VIOLATION_NATURAL_DAYS


@dataclass(frozen=True)
class Timeliness:
    natural_days: int
    met_natural_day_rule: bool | None
    natural_day_rule: str
    working_days: int | None
    met_working_day_rule: bool | None
    working_day_rule: str


def assess(decided: dt.date, received: dt.date, calendar: WorkingCalendar) -> Timeliness:
    natural = natural_days_between(decided, received)
    natural_rule = VIOLATION_NATURAL_DAYS.on_or_none(decided)
    working_rule = DUAL_PUBLICITY_WORKING_DAYS.on_or_none(decided)
    try:
        working: int | None = calendar.working_days_between(decided, received)
    except CalendarMissing:
        working = None
    return Timeliness(
        natural_days=natural,
        met_natural_day_rule=None if natural_rule is None else natural <= natural_rule.value,
        natural_day_rule=natural_rule.ref if natural_rule else "",
        working_days=working,
        met_working_day_rule=(
            None if working_rule is None or working is None else working <= working_rule.value
        ),
        working_day_rule=working_rule.ref if working_rule and working is not None else "",
    )
