"""Who may see which objections, and the lists and case view the pages and the API show.

The applicant side (the subject's verified accounts), the record's provider once the case was
forwarded to it, and the centre's objection handlers; nobody else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.core import clock
from xinyong.core import errors as core_errors
from xinyong.core.calendar import Countdown, WorkingCalendar, countdown
from xinyong.core.errors import PlatformError
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.services import overdue_filter

CASE_RELATED = ("record", "provider", "applicant")


def visible_to(user: User) -> QuerySet[Objection]:
    """The objections ``user`` may see (none for anyone else)."""
    cases = Objection.objects.select_related(*CASE_RELATED)
    if allowed(user, Action.HANDLE_OBJECTIONS):
        return cases
    if allowed(user, Action.ANSWER_OBJECTION) and user.provider_id:
        return cases.filter(provider_id=user.provider_id, forwarded_at__isnull=False)
    if allowed(user, Action.FILE_OBJECTION):
        return cases.filter(subject_code=user.subject_code)
    return cases.none()


def case_for(user: User, number: str) -> Objection:
    """The case if ``user`` may see it; "not found" otherwise, never a hint that it exists."""
    objection = visible_to(user).filter(number=number).first()
    if objection is None:
        raise PlatformError(core_errors.NOT_FOUND, field="number")
    return objection


def overdue(cases: QuerySet[Objection], today: dt.date) -> QuerySet[Objection]:
    return cases.filter(overdue_filter(today))


@dataclass(frozen=True)
class CaseRow:
    """An objection with its countdowns, computed when read."""

    objection: Objection
    step: Countdown | None
    overall: Countdown | None
    overdue: bool


def with_countdowns(objections: list[Objection], *, today: dt.date | None = None) -> list[CaseRow]:
    today = today or clock.today()
    calendar = WorkingCalendar.load()
    rows = []
    for o in objections:
        step_due = o.step_due()
        rows.append(
            CaseRow(
                o,
                countdown(step_due, today, calendar) if step_due and o.is_open else None,
                countdown(o.overall_due, today, calendar) if o.is_open else None,
                o.is_overdue(today),
            )
        )
    return rows


def timeline(objection: Objection) -> list[ObjectionEvent]:
    return list(objection.events.order_by("at", "pk"))
