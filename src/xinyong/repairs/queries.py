"""Reads of repair cases: queues, a subject's own cases with countdowns (core.calendar.countdown), and a
subject's dishonesty records with their eligibility judged in one batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from xinyong.core.calendar import Countdown, WorkingCalendar, countdown
from xinyong.records.models import CreditRecord
from xinyong.repairs.eligibility import Eligibility, assess, facts_for
from xinyong.repairs.models import RepairApplication

PAGE_SIZE = 20
State = RepairApplication.State


@dataclass(frozen=True)
class Row:
    application: RepairApplication
    countdown: Countdown | None


def rows(page: Page[RepairApplication], today: dt.date, calendar: WorkingCalendar) -> list[Row]:
    out = []
    for application in page.object_list:
        due = application.step_due()
        out.append(Row(application, countdown(due, today, calendar) if due else None))
    return out


def _page(query: QuerySet[RepairApplication], number: int | str | None) -> Page[RepairApplication]:
    return Paginator(query.select_related("record"), PAGE_SIZE).get_page(number)


def own(subject_code: str, page: int | str | None) -> Page[RepairApplication]:
    """A subject's applications, newest first."""
    return _page(
        RepairApplication.objects.filter(subject_code=subject_code).order_by("-filed_at", "-pk"), page
    )


def city_queue(page: int | str | None, *, overdue_on: dt.date | None = None) -> Page[RepairApplication]:
    """Cases awaiting the city's first review, earliest deadline first (only the overdue ones if asked)."""
    # ``submitted`` never lasts past the filing transaction (apply_for_repair takes ``submit`` at once).
    query = RepairApplication.objects.filter(state=State.CITY_REVIEW)
    if overdue_on is not None:
        query = query.filter(city_due__lt=overdue_on)
    return _page(query.order_by("city_due", "pk"), page)


def provincial_queue(page: int | str | None, *, overdue_on: dt.date | None = None) -> Page[RepairApplication]:
    query = RepairApplication.objects.filter(state=State.PROVINCIAL_REVIEW)
    if overdue_on is not None:
        query = query.filter(provincial_due__lt=overdue_on)
    return _page(query.order_by("provincial_due", "pk"), page)


def judged(
    records: QuerySet[CreditRecord], page: int | str | None, on: dt.date
) -> tuple[Page[CreditRecord], list[tuple[CreditRecord, Eligibility]]]:
    """One page of ``records`` with the eligibility of each on ``on``: the facts of the whole page are
    loaded in a few queries (facts_for), then judged by the pure ``assess``."""
    page_of = Paginator(records.select_related("domain"), PAGE_SIZE).get_page(page)
    chosen = list(page_of.object_list)
    facts = facts_for(chosen)
    return page_of, [(r, assess(facts[r.pk], on)) for r in chosen]
