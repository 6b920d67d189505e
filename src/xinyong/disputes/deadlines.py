"""Objection deadlines (办理时限) from the rulebook (the countdowns pages show are core.calendar's).

Each step counts working days from the day it began (that day is day 0, the next working day day 1),
by the version of ``objection.deadlines`` in force on the acceptance date, kept for every step of the
case. A year missing from the calendar refuses the step (``calendar.missing``).

An objection filed on a day off (a weekend or holiday, online) is accepted that day: the day off is
day 0 and the first working day after it is day 1, so a Saturday filing is due as the Friday before
it would be, not as the Monday after. A make-up working day (调休上班日) counts as any working day.
"""

from __future__ import annotations

import datetime as dt

from xinyong.core.calendar import CalendarMissing, WorkingCalendar, period
from xinyong.core.rulebook import Rule
from xinyong.disputes.rules import DEADLINES, ObjectionDeadlines, Step


def rule_for(accepted_on: dt.date) -> Rule[ObjectionDeadlines]:
    return DEADLINES.on(accepted_on)


def due(rule: Rule[ObjectionDeadlines], step: Step, start: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The last day of ``step`` (compare, provider_check, process, overall) begun on ``start``."""
    try:
        return period(rule.value.days(step), rule.unit).due(start, calendar)
    except CalendarMissing as missing:
        raise missing.refusal() from missing
