"""Overdue objections: the daily job marks and escalates each late step once, however often it runs;
the queue shows 已逾期 from the dates even when the job has not run."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import Q

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.services import file_objection, flag_overdue_objections, forward_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.disputes.workflow import KIT
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db
D = dt.date


def on(day: dt.date) -> time_machine.travel:
    return travel_to(dt.datetime.combine(day, dt.time(8), tzinfo=CHINA))


@pytest.fixture
def objection(record: CreditRecord, company: User) -> Objection:
    """Accepted Mon 2026-11-23: comparison due Wed 11-25, overall Tue 12-01."""
    with travel_to(MONDAY):
        return file_objection(actor=company, record=record, grounds="error", statement="金额有误")


def escalations(objection: Objection) -> int:
    return ObjectionEvent.objects.filter(objection=objection, action="escalated").count()


def test_nothing_is_overdue_on_the_due_day(objection: Objection, handler: User) -> None:
    with on(D(2026, 11, 25)):
        assert flag_overdue_objections() == []
    objection.refresh_from_db()
    assert objection.escalated_at is None


def test_a_late_comparison_is_escalated_once(
    objection: Objection, handler: User, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    # The email goes when the sweep's transaction commits, not before (accounts.notify).
    with on(D(2026, 11, 26)), django_capture_on_commit_callbacks(execute=True):
        assert [o.number for o in flag_overdue_objections()] == [objection.number]
        assert flag_overdue_objections() == []  # a second run finds nothing to do
    with on(D(2026, 11, 27)):
        assert flag_overdue_objections() == []  # nor does a later one
    objection.refresh_from_db()
    assert objection.escalated_at is not None and objection.escalated_step == "accepted"
    assert escalations(objection) == 1
    assert AuditEntry.objects.filter(action="objection.escalate").count() == 1
    assert [m.to for m in mail.outbox] == [[handler.email]]
    assert Notification.objects.filter(user=handler, title__contains="已逾期").count() == 1


def test_each_late_step_is_escalated_and_the_provider_is_told_of_its_own(
    objection: Objection, handler: User, clerk: User
) -> None:
    with on(D(2026, 11, 26)):
        flag_overdue_objections()
        forward_objection(objection, actor=handler)  # a day late: the provider has until Mon 11-30
    with on(D(2026, 11, 30)):
        assert flag_overdue_objections() == []
    with on(D(2026, 12, 1)):
        assert len(flag_overdue_objections()) == 1
        assert flag_overdue_objections() == []
    assert escalations(objection) == 2
    assert Notification.objects.filter(user=clerk, title__contains="已逾期").count() == 1


def test_the_command_runs_the_job(objection: Objection, handler: User) -> None:
    out = StringIO()
    call_command("disputes", "overdue", "--date", "2026-11-26", stdout=out)
    assert objection.number in out.getvalue()
    out = StringIO()
    call_command("disputes", "overdue", "--date", "2026-11-26", stdout=out)
    assert "新标记逾期异议 0 件" in out.getvalue()


def test_the_overdue_list_reads_the_dates_not_the_job(objection: Objection, handler: User) -> None:
    client = signed_in(handler)
    with on(D(2026, 11, 25)):
        assert objection.number not in client.get("/centre/objections/overdue/").content.decode()
    with on(D(2026, 11, 26)):
        page = client.get("/centre/objections/overdue/").content.decode()
        queue = client.get("/centre/objections/").content.decode()
    assert f'id="case-{objection.number}" class="overdue"' in page
    assert "已逾期" in queue
    objection.refresh_from_db()
    assert objection.escalated_at is None  # the job never ran


def test_a_case_a_parallel_run_claimed_first_is_left_to_it(objection: Objection, handler: User) -> None:
    """GIVEN a run has read a late case, WHEN another run escalates it before the first one's claiming
    UPDATE, THEN the first run skips it (the kit's sweep): one escalation, not two."""
    acted: list[Objection] = []

    def parallel_run_first(o: Objection) -> dict[str, object]:
        assert len(flag_overdue_objections()) == 1  # the other run
        return {"escalated_at": clock.now(), "escalated_step": o.state}

    with on(D(2026, 11, 26)):
        done = KIT.sweep(
            Objection.objects.filter(pk=objection.pk),
            still_due=lambda o: Q(state=o.state) & ~Q(escalated_step=o.state),
            mark=parallel_run_first,
            act=acted.append,
        )
    assert done == [] and acted == []
    assert escalations(objection) == 1
