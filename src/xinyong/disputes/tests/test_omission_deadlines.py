"""An objection for an omission keeps the objection deadlines (rule objection.deadlines, 2 + 2 + 1 and
6 working days overall) across a holiday, counted by hand from the calendar: National Day 2026
(10-01..07 off, Saturday 10-10 a make-up working day). The department's step is escalated the day
after it falls due, not on it."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona
from xinyong.core.errors import PlatformError
from xinyong.disputes.models import Objection
from xinyong.disputes.services import (
    answer_objection,
    file_omission,
    flag_overdue_objections,
    forward_objection,
)
from xinyong.disputes.tests.test_deadlines import at

pytestmark = pytest.mark.django_db
D = dt.date


def file_on(day: dt.date, company: User) -> Objection:
    with at(day):
        return file_omission(
            actor=company, provider="厦门市市场监督管理局", kind="行政许可", document_number="厦市监许〔2026〕55号",
            document_date=D(2026, 9, 1), statement="许可信息未归集",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("accepted", "compare_due", "overall_due"),
    [
        (D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 14)),  # the working day before the holiday
        (D(2026, 10, 1), D(2026, 10, 9), D(2026, 10, 14)),  # on the holiday: counted from that day
        (D(2026, 10, 8), D(2026, 10, 10), D(2026, 10, 15)),  # the first working day after it
    ],
)
def test_it_counts_the_steps_across_national_day(
    market_bureau: ProviderPersona,
    company: User,
    accepted: dt.date,
    compare_due: dt.date,
    overall_due: dt.date,
) -> None:
    case = file_on(accepted, company)
    assert (case.accepted_on, case.compare_due, case.overall_due) == (accepted, compare_due, overall_due)


def test_the_departments_step_crosses_the_holiday(
    market_bureau: ProviderPersona, company: User, clerk: User, handler: User
) -> None:
    """Accepted Tue 09-29; forwarded Wed 09-30 (day 0): 10-08 is day 1, 10-09 day 2 (department due);
    answered on 10-09: the centre's one day is the make-up Saturday 10-10."""
    case = file_on(D(2026, 9, 29), company)
    with at(D(2026, 9, 30)):
        case = forward_objection(case, actor=handler)
    assert case.provider_due == D(2026, 10, 9)
    with at(D(2026, 10, 9)):
        case = answer_objection(case, actor=clerk, answer="declined", reasons="未作出该许可")
    assert case.process_due == D(2026, 10, 10)


@pytest.mark.parametrize(
    ("day", "escalated"),
    [(D(2026, 10, 8), False), (D(2026, 10, 9), False), (D(2026, 10, 10), True)],  # before / on / after
)
def test_a_late_department_is_escalated_the_day_after(
    market_bureau: ProviderPersona,
    company: User,
    clerk: User,
    handler: User,
    day: dt.date,
    escalated: bool,
) -> None:
    case = file_on(D(2026, 9, 29), company)
    with at(D(2026, 9, 30)):
        forward_objection(case, actor=handler)
    with at(day, hour=8):
        flagged = flag_overdue_objections()
    assert [o.number for o in flagged] == ([case.number] if escalated else [])
    told = Notification.objects.filter(user=clerk, title__contains="已逾期").exists()
    assert told == escalated  # the department is told of its own late step


def test_a_year_without_a_calendar_refuses_and_writes_nothing(
    market_bureau: ProviderPersona, company: User
) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(PlatformError) as refused:
        file_on(D(2026, 12, 28), company)
    assert refused.value.error.code == "calendar.missing"
    assert not Objection.objects.exists() and AuditEntry.objects.count() == entries
