"""Reads for the exchange pages: the reconciliation of what was sent (对账) and the dead letters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from xinyong.core import clock
from xinyong.exchange.models import Delivery

COLUMNS = ("sent", "acknowledged", "failed")
_TIME_OF = {"sent": "first_sent_at", "acknowledged": "acknowledged_at", "failed": "failed_at"}


@dataclass
class Line:
    day: dt.date
    domain: str
    sent: int = 0
    acknowledged: int = 0
    failed: int = 0


def reconciliation(days: int, today: dt.date | None = None) -> list[Line]:
    """Per day (Asia/Shanghai) and domain: changes first sent, acknowledged, failed; newest day first.
    Three grouped queries, whatever the volume."""
    today = today or clock.today()
    since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), tzinfo=clock.CHINA)
    lines: dict[tuple[dt.date, str], Line] = {}
    for column, field in _TIME_OF.items():
        grouped = (
            Delivery.objects.filter(**{f"{field}__gte": since})
            .annotate(day=TruncDate(field, tzinfo=clock.CHINA))
            .values("day", "domain__number", "domain__name")
            .annotate(n=Count("id"))
        )
        for row in grouped:
            key = (row["day"], f"{row['domain__number']:02d} {row['domain__name']}")
            line = lines.setdefault(key, Line(*key))
            setattr(line, column, row["n"])
    return sorted(lines.values(), key=lambda line: (-line.day.toordinal(), line.domain))


def by_day(
    lines: list[Line], days: int, today: dt.date | None = None
) -> tuple[list[str], dict[str, list[int]]]:
    """The day labels (oldest first) and, per column, the day totals over all domains."""
    today = today or clock.today()
    labels = [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    totals: dict[str, dict[dt.date, int]] = {c: defaultdict(int) for c in COLUMNS}
    for line in lines:
        for column in COLUMNS:
            totals[column][line.day] += getattr(line, column)
    return [d.strftime("%m-%d") for d in labels], {c: [totals[c][d] for d in labels] for c in COLUMNS}


def dead_letters() -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(state=Delivery.State.FAILED)
        .select_related("domain")
        .order_by("-failed_at", "-pk")
    )


def waiting() -> dict[str, int]:
    """How many deliveries are in each state now."""
    counts = dict(Delivery.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in Delivery.State.values}
