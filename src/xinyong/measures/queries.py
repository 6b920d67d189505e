"""Reads of joint rewards and punishments: the feedback statistics (奖惩反馈统计) by unit and scenario."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from xinyong.accounts.models import Unit
from xinyong.core import clock
from xinyong.measures.models import Check, Feedback, Scenario


@dataclass
class Tally:
    """Checks and feedback of one unit in one scenario (or a total)."""

    unit: str
    scenario: str
    checks: int = 0
    measures: int = 0  # measures answered over all checks
    applied: int = 0
    not_applied: int = 0

    @property
    def awaiting(self) -> int:
        return max(self.measures - self.applied - self.not_applied, 0)

    @property
    def feedback_rate(self) -> str:
        given = self.applied + self.not_applied
        return f"{given / self.measures:.0%}" if self.measures else "—"


def feedback_statistics(since: dt.date, until: dt.date) -> list[Tally]:
    """One tally per (unit, scenario) with checks between the two days, from two grouped queries."""
    start, end = clock.start_of_day(since), clock.start_of_day(until + dt.timedelta(days=1))
    units = dict(Unit.objects.values_list("pk", "name"))
    scenarios = dict(Scenario.objects.values_list("pk", "name"))
    tallies: dict[tuple[int, int], Tally] = {}

    def tally(unit: int, scenario: int) -> Tally:
        key = (unit, scenario)
        if key not in tallies:
            tallies[key] = Tally(units.get(unit, str(unit)), scenarios.get(scenario, str(scenario)))
        return tallies[key]

    for row in (
        Check.objects.filter(at__gte=start, at__lt=end)
        .values("unit", "scenario")
        .annotate(checks=Count("id"), measures=Sum("measure_count"))
    ):
        t = tally(row["unit"], row["scenario"])
        t.checks, t.measures = row["checks"], row["measures"] or 0
    for row in (
        Feedback.objects.filter(check_run__at__gte=start, check_run__at__lt=end)
        .values("unit", "scenario")
        .annotate(done=Count("id", filter=Q(applied=True)), declined=Count("id", filter=Q(applied=False)))
    ):
        t = tally(row["unit"], row["scenario"])
        t.applied, t.not_applied = row["done"], row["declined"]
    return sorted(tallies.values(), key=lambda t: (t.unit, t.scenario))


def totals_by(tallies: list[Tally], attribute: str) -> list[Tally]:
    """The tallies summed by unit (``"unit"``) or by scenario (``"scenario"``)."""
    summed: dict[str, Tally] = defaultdict(lambda: Tally("", ""))
    for t in tallies:
        name = getattr(t, attribute)
        s = summed[name]
        s.unit, s.scenario = (name, "") if attribute == "unit" else ("", name)
        s.checks += t.checks
        s.measures += t.measures
        s.applied += t.applied
        s.not_applied += t.not_applied
    return [summed[k] for k in sorted(summed)]
