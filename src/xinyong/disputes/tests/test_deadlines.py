"""Objection deadlines across real holidays, counted by hand from the calendar:
each step counts working days from the day it began (day 0); make-up Saturdays count; a year
without a holiday notice refuses the filing and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona
from xinyong.core.calendar import WorkingCalendar
from xinyong.core.clock import CHINA
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.disputes import deadlines
from xinyong.disputes.models import Objection
from xinyong.disputes.services import answer_objection, file_objection, forward_objection
from xinyong.disputes.tests.conftest import post_penalty, signed_in
from xinyong.records.models import CreditRecord, Overlay

pytestmark = pytest.mark.django_db
D = dt.date


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return travel_to(dt.datetime.combine(day, dt.time(hour), tzinfo=CHINA))


def file_on(day: dt.date, record: CreditRecord, company: User) -> Objection:
    with at(day):
        return file_objection(actor=company, record=record, grounds="error", statement="金额有误")


@pytest.fixture
def record_2025(market_bureau: ProviderPersona) -> CreditRecord:
    return post_penalty(market_bureau, dt.datetime(2025, 9, 10, 9, tzinfo=CHINA), 处罚决定日期="2025-09-01")


def test_it_counts_across_national_day_2025(
    record_2025: CreditRecord, company: User, clerk: User, handler: User
) -> None:
    """Accepted Mon 2025-09-29: 09-30 is day 1, 10-01..08 are off, 10-09 is day 2 (comparison due);
    10-10, the make-up Saturday 10-11, 10-13 and 10-14 are days 3–6 (overall due). Forwarded on 10-09:
    10-10 and Sat 10-11 give the provider's 2 days; answered on 10-11: Mon 10-13 for the centre."""
    objection = file_on(D(2025, 9, 29), record_2025, company)
    assert (objection.compare_due, objection.overall_due) == (D(2025, 10, 9), D(2025, 10, 14))
    with at(D(2025, 10, 9)):
        objection = forward_objection(objection, actor=handler)
    assert objection.provider_due == D(2025, 10, 11)
    with at(D(2025, 10, 11)):
        objection = answer_objection(objection, actor=clerk, answer="confirmed", reasons="信息无误")
    assert objection.process_due == D(2025, 10, 13)


def test_it_counts_across_mid_autumn_and_national_day_2026(
    market_bureau: ProviderPersona, company: User, clerk: User, handler: User
) -> None:
    """Accepted Thu 2026-09-24: 09-25..27 off, Mon 09-28 and Tue 09-29 are days 1–2 (comparison due);
    09-30 is day 3, 10-01..07 off, 10-08, 10-09 and the make-up Saturday 10-10 are days 4–6."""
    record = post_penalty(market_bureau, dt.datetime(2026, 9, 10, 9, tzinfo=CHINA), 处罚决定日期="2026-09-01")
    objection = file_on(D(2026, 9, 24), record, company)
    assert (objection.compare_due, objection.overall_due) == (D(2026, 9, 29), D(2026, 10, 10))
    with at(D(2026, 9, 29)):
        objection = forward_objection(objection, actor=handler)
    assert objection.provider_due == D(2026, 10, 8)  # 09-30, then 10-08 after the holiday
    with at(D(2026, 10, 8)):
        objection = answer_objection(objection, actor=clerk, answer="confirmed", reasons="信息无误")
    assert objection.process_due == D(2026, 10, 9)


@pytest.mark.parametrize(
    ("accepted", "compare_due", "overall_due"),
    [
        # National Day 2026 (10-01..07 off, Sat 10-10 make-up)
        (D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 14)),  # the working day before the holiday
        (D(2026, 10, 1), D(2026, 10, 9), D(2026, 10, 14)),  # on the holiday: counted from that day
        (D(2026, 10, 7), D(2026, 10, 9), D(2026, 10, 14)),  # its last day
        (D(2026, 10, 8), D(2026, 10, 10), D(2026, 10, 15)),  # the first working day after it
        # Spring Festival 2026 (02-15..23 off, Sat 02-14 and Sat 02-28 make-up)
        (D(2026, 2, 13), D(2026, 2, 24), D(2026, 2, 28)),  # Fri before: Sat 02-14 day 1, Sat 02-28 day 6
        (D(2026, 2, 14), D(2026, 2, 25), D(2026, 3, 2)),  # the make-up Saturday itself
        (D(2026, 2, 24), D(2026, 2, 26), D(2026, 3, 3)),  # first day back: 02-28 counts
        # An ordinary week: Friday's comparison is due on Tuesday
        (D(2026, 11, 20), D(2026, 11, 24), D(2026, 11, 30)),
        # A filing on a plain Saturday next to make-up days is due as the Friday before (rule note):
        (D(2026, 2, 6), D(2026, 2, 10), D(2026, 2, 14)),  # Fri: Mon 02-09 day 1 … make-up Sat 02-14 day 6
        (D(2026, 2, 7), D(2026, 2, 10), D(2026, 2, 14)),  # Sat: the same dates
        (D(2026, 2, 9), D(2026, 2, 11), D(2026, 2, 24)),  # Mon after: a day later, past the festival
        (D(2025, 9, 27), D(2025, 9, 29), D(2025, 10, 11)),  # Sat before make-up Sun 09-28 (day 1)
    ],
)
def test_deadlines_around_holidays(accepted: dt.date, compare_due: dt.date, overall_due: dt.date) -> None:
    rule = deadlines.rule_for(accepted)
    calendar = WorkingCalendar.load()
    assert deadlines.due(rule, "compare", accepted, calendar) == compare_due
    assert deadlines.due(rule, "overall", accepted, calendar) == overall_due


def test_it_refuses_when_the_calendar_lacks_the_next_year(record: CreditRecord, company: User) -> None:
    """Accepted Mon 2026-12-28: 6 working days run into 2027, whose holidays are not entered yet."""
    before = AuditEntry.objects.count()
    with at(D(2026, 12, 28)):
        with pytest.raises(PlatformError) as refused:
            file_objection(actor=company, record=record, grounds="error", statement="金额有误")
        response = signed_in(company).post(
            f"/account/objections/new/{record.pk}/", {"grounds": "error", "statement": "金额有误"}
        )
    assert refused.value.error.code == "calendar.missing"
    assert "2027" in refused.value.message
    assert response.status_code == 503
    assert "calendar.missing" in response.content.decode()
    assert not Objection.objects.exists()
    assert not Overlay.objects.exists()
    assert AuditEntry.objects.count() == before


def test_pages_count_down_at_read_time_without_the_job(record: CreditRecord, company: User) -> None:
    """The cells keep their ids and show core.calendar.Countdown's text, overdue by how many days."""
    objection = file_on(D(2026, 11, 23), record, company)  # comparison due Wed 11-25, overall Tue 12-01
    client = signed_in(company)
    url = f"/objections/{objection.number}/"
    for day, step, overall in [
        (D(2026, 11, 24), "剩余 1 个工作日", "剩余 5 个工作日"),
        (D(2026, 11, 25), "今日到期", "剩余 4 个工作日"),
        (D(2026, 11, 26), "已逾期 1 个工作日", "剩余 3 个工作日"),  # core.calendar's countdown
        (D(2026, 11, 28), "已逾期 2 个工作日", "剩余 2 个工作日"),  # Saturday: Thu and Fri late
        (D(2026, 11, 30), "已逾期 3 个工作日", "剩余 1 个工作日"),
        (D(2026, 12, 1), "已逾期 4 个工作日", "今日到期"),
    ]:
        with at(day):
            page = client.get(url).content.decode()
        step_cell = page.split('id="step-countdown"')[1].split("</td>")[0]
        overall_cell = page.split('id="overall-countdown"')[1].split("</td>")[0]
        assert step in step_cell and overall in overall_cell, day
    assert 'id="case-overdue"' in page


def test_the_deadline_rule_names_its_source() -> None:
    rule = deadlines.rule_for(D(2026, 11, 23))
    assert rule.unit == "working_day"
    assert rule.value.model_dump() == {"compare": 2, "provider_check": 2, "process": 1, "overall": 6}
    assert "2个工作日内完成平台数据比对" in rule.source and "办理时限：6个工作日" in rule.source
    # How a filing on a day off counts is stated with the rule, not left to the code to tell.
    assert "day off" in rule.note and "Saturday filing falls due as the Friday before" in rule.note


def test_it_accepts_a_saturday_filing_that_day_and_counts_from_it(
    market_bureau: ProviderPersona, company: User
) -> None:
    """Filed online on Sat 2026-02-07: accepted that day (day 0); Mon 02-09 is day 1, so the comparison
    is due Tue 02-10 and the whole case on the make-up Saturday 02-14."""
    record = post_penalty(market_bureau, dt.datetime(2026, 1, 20, 9, tzinfo=CHINA), 处罚决定日期="2026-01-10")
    objection = file_on(D(2026, 2, 7), record, company)
    assert objection.accepted_on == D(2026, 2, 7)
    assert (objection.compare_due, objection.overall_due) == (D(2026, 2, 10), D(2026, 2, 14))


def test_an_unsigned_visitor_is_sent_to_sign_in(record: CreditRecord) -> None:
    assert Client().get(f"/account/objections/new/{record.pk}/").status_code == 302
