"""Reads for the commitment pages and API: whose commitments a viewer sees, and deadline countdowns."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from xinyong.accounts.models import User
from xinyong.catalog.models import Provider
from xinyong.commitments.models import Commitment
from xinyong.commitments.rules import DEADLINE_COUNTING, Counting
from xinyong.commitments.services import party_of
from xinyong.core.calendar import Countdown, WorkingCalendar
from xinyong.core.calendar import countdown as core_countdown


def accepted_by(actor: User | Provider) -> QuerySet[Commitment]:
    """Commitments the actor's unit or provider accepted (refuses anyone else, see ``party_of``)."""
    unit, provider = party_of(actor)
    found = (
        Commitment.objects.filter(unit=unit)
        if unit is not None
        else Commitment.objects.filter(provider=provider)
    )
    return found.select_related("unit", "provider", "domain")


def of_subject(subject_code: str) -> QuerySet[Commitment]:
    return Commitment.objects.filter(subject_code=subject_code).select_related("unit", "provider")


def counting_calendar(today: dt.date) -> WorkingCalendar | None:
    """The calendar countdowns count with: rule commitments.deadline_counting says natural days (None)
    or working days (the holiday calendar)."""
    if DEADLINE_COUNTING.on(today).value is Counting.WORKING_DAY:
        return WorkingCalendar.load()
    return None


def countdown(c: Commitment, today: dt.date, calendar: WorkingCalendar | None = None) -> Countdown | None:
    """Time left to the deadline of a pending commitment (None without a deadline or once closed), in
    the unit rule commitments.deadline_counting says; ``calendar`` saves loading it once per row."""
    if c.deadline is None or c.state != Commitment.State.PENDING:
        return None
    if DEADLINE_COUNTING.on(today).value is not Counting.WORKING_DAY:
        return core_countdown(c.deadline, today, None)
    return core_countdown(c.deadline, today, calendar or WorkingCalendar.load())
