"""Load the working-day calendar from ``rulebook/calendar/*.yaml`` (idempotent; staff edits win)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from xinyong.core.models import CalendarDay, CalendarYear


def _expand(year: int, spec: str) -> list[dt.date]:
    first, _, last = spec.partition("..")
    start = dt.date.fromisoformat(f"{year}-{first}")
    end = dt.date.fromisoformat(f"{year}-{last}") if last else start
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def load_calendar(directory: Path) -> int:
    """Add every calendar year in ``directory`` that the database does not have yet. Returns years added."""
    added = 0
    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        year = int(document["year"])
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(year=year, source=document["source"])
        days = [
            CalendarDay(date=day, kind=kind, year=calendar_year)
            for key, kind in (("off", CalendarDay.Kind.OFF), ("makeup", CalendarDay.Kind.MAKEUP))
            for spec in document.get(key, [])
            for day in _expand(year, spec)
        ]
        CalendarDay.objects.bulk_create(days)
        added += 1
    return added
