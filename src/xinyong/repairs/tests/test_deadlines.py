"""Deadlines across Spring Festival 2026, the countdown shown, and a missing calendar year refusing the application."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.accounts.models import User
from xinyong.core.calendar import WorkingCalendar, countdown
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.repairs import services
from xinyong.repairs.models import RepairApplication, RepairEvent
from xinyong.repairs.tests.conftest import STATEMENT, Post

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_repair_filed_before_spring_festival_2026_is_due_after_it(
    post_penalty: Post, company: User, city: User
) -> None:
    record = post_penalty("2025-11-12")  # general: 3 months → may apply from 2026-02-12
    with travel_to("2026-02-12"):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    # 02-13 Fri (1), 02-14 Sat make-up (2), 02-15..23 off, 02-24 Tue (3)
    assert application.city_due == D(2026, 2, 24)
    # then 02-25 (4), 02-26 (5), 02-27 (6), 02-28 Sat make-up (7), 03-02 (8), 03-03 (9), 03-04 (10)
    assert application.overall_due == D(2026, 3, 4)
    assert application.provincial_due == D(2026, 3, 4)  # planned: city due + 7 working days
    assert application.deadline_rule == "repair.deadlines@1"
    assert application.state == RepairApplication.State.CITY_REVIEW
    assert application.number == f"XF{application.filed_on:%Y%m%d}-{application.pk:04d}"

    with travel_to("2026-02-13"):
        services.city_approve(application, actor=city)
    # The province's 7 working days start on the city's approval day: 02-14 (1), 02-24 (2), 02-25 (3),
    # 02-26 (4), 02-27 (5), 02-28 (6), 03-02 (7).
    application.refresh_from_db()
    assert application.provincial_due == D(2026, 3, 2)


@pytest.mark.parametrize(
    ("today", "label", "overdue"),
    [
        (D(2026, 2, 12), "剩余 3 个工作日", False),
        (D(2026, 2, 13), "剩余 2 个工作日", False),
        (D(2026, 2, 20), "剩余 1 个工作日", False),  # a holiday: only 02-24 is left
        (D(2026, 2, 24), "今日到期", False),
        (D(2026, 2, 25), "已逾期 1 个工作日", True),
    ],
)
def test_the_countdown_counts_working_days_to_the_due_day(today: dt.date, label: str, overdue: bool) -> None:
    result = countdown(D(2026, 2, 24), today, WorkingCalendar.load())
    assert (result.text, result.overdue) == (label, overdue)


def test_it_refuses_to_file_when_the_calendar_lacks_the_year_the_deadline_needs(
    post_penalty: Post, company: User
) -> None:
    record = post_penalty("2026-09-01")
    with travel_to("2026-12-24"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(record, actor=company, obligations_statement=STATEMENT, committed=True)
    assert refused.value.error.code == "calendar.missing"
    assert refused.value.error.status == 503
    assert "2027" in refused.value.message
    assert not RepairApplication.objects.exists()
    assert not RepairEvent.objects.exists()
