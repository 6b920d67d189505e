"""Interviews (约谈): a department with a record in a warning, or the department that decided a dishonesty
record, records a 提示约谈 or 警示约谈; it enters the subject's credit record as an ``interview`` record (not
published), is queued for the provincial platform, and its outcome is a second version, queued again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.accounts.models import Notification
from xinyong.audit.models import AuditEntry
from xinyong.cases.workflow import TRANSITION_NOT_ALLOWED
from xinyong.catalog.services import issue_key
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, UpstreamNotice
from xinyong.supervision import errors
from xinyong.supervision.interviews import flag_overdue_interviews, record_interview, record_outcome
from xinyong.supervision.models import Interview, RiskWarning
from xinyong.supervision.tests.conftest import NOW, Department, listing_row, penalties, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(departments: list[Department]) -> RiskWarning:
    for department in departments[:3]:
        penalties(department, 1, "2026-06-01")
    return RiskWarning.objects.get(state=RiskWarning.State.STANDING)


def details(**changes: Any) -> dict[str, Any]:
    return {
        "type": "caution", "held_on": dt.date(2026, 11, 23), "place": "厦门市市场监督管理局第三会议室",
        "attendees": "市场监管局：张三、李四；公司：陈志明", "obligations": "缴清罚款，整改虚假宣传", "deadline": dt.date(2026, 12, 31),
    } | changes  # fmt: skip


def interview(department: Department, warning: RiskWarning, **changes: Any) -> Interview:
    with time_machine.travel("2026-11-23 15:00 +0800", tick=False):
        return record_interview(actor=department.clerk, warning=warning, **details(**changes))


def test_a_department_in_the_warning_records_an_interview_that_enters_the_credit_record(
    departments: list[Department], warning: RiskWarning
) -> None:
    done = interview(departments[0], warning)

    assert (done.state, done.number, done.due_on) == (
        Interview.State.RECTIFYING,
        f"YT2026{done.pk:06d}",
        dt.date(2026, 12, 31),
    )
    record = CreditRecord.objects.get(pk=done.record_id)
    assert (record.kind_code, record.provider, record.key, record.published) == (
        "interview",
        departments[0].provider,
        done.number,
        False,
    )
    assert record.versions.get().data["ytjl_lx"] == "警示约谈"
    notice = UpstreamNotice.objects.get(record=record)
    assert (notice.change, notice.source) == (UpstreamNotice.Change.INTERVIEW, f"约谈 {done.number}")
    assert AuditEntry.objects.filter(action="interviews.record", object_id=str(done.pk)).exists()
    assert [e.label for e in done.events.all()] == ["录入约谈"]


def test_a_department_without_a_record_in_the_warning_may_not_interview(
    departments: list[Department], warning: RiskWarning
) -> None:
    outsider = Department(departments[0].provider, departments[0].clerk, 25)
    warning.departments.remove(outsider.provider)
    warning.records.remove(*warning.records.filter(provider=outsider.provider))

    with pytest.raises(PlatformError) as refused:
        interview(outsider, warning)

    assert refused.value.error is errors.NOT_YOUR_DEPARTMENT
    assert not Interview.objects.exists() and not CreditRecord.objects.filter(kind_code="interview").exists()


def test_the_outcome_is_a_new_version_of_the_record_queued_again(
    departments: list[Department], warning: RiskWarning
) -> None:
    done = interview(departments[0], warning)

    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        record_outcome(done, actor=departments[0].clerk, rectified=True, note="罚款已缴清，广告已下架")

    assert (done.state, done.outcome_on) == (Interview.State.RECTIFIED, dt.date(2026, 12, 20))
    latest = CreditRecord.objects.get(pk=done.record_id).versions.order_by("-version").first()
    assert latest is not None and latest.version == 2
    assert (latest.data["ytjl_zgjg"], latest.data["ytjl_yy"]) == (
        "整改完成",
        done.record.versions.get(version=1).data["ytjl_yy"],
    )
    assert UpstreamNotice.objects.filter(record_id=done.record_id).count() == 2
    with pytest.raises(PlatformError) as again:
        record_outcome(done, actor=departments[0].clerk, rectified=False, note="")
    assert again.value.error is TRANSITION_NOT_ALLOWED


def test_only_the_interviewing_department_decides_the_outcome(
    departments: list[Department], warning: RiskWarning
) -> None:
    done = interview(departments[0], warning)

    with pytest.raises(PlatformError) as refused:
        record_outcome(done, actor=departments[1].clerk, rectified=False, note="未整改")

    assert refused.value.error is errors.NOT_YOUR_DEPARTMENT
    assert Interview.objects.get(pk=done.pk).state == Interview.State.RECTIFYING


def test_an_interview_on_a_withdrawn_warning_is_refused(
    departments: list[Department], warning: RiskWarning
) -> None:
    with time_machine.travel("2027-06-02 10:00 +0800", tick=False):
        call_command("supervision", "warnings")

    with pytest.raises(PlatformError) as refused:
        interview(departments[0], RiskWarning.objects.get(pk=warning.pk))

    assert refused.value.error is errors.WARNING_WITHDRAWN


def test_a_department_interviews_on_a_dishonesty_record_it_decided_itself(
    departments: list[Department],
) -> None:
    market = departments[0]
    send(market, "serious_dishonesty_list", [listing_row(market, 1, "失信被执行人", "2026-03-01")])
    listed = CreditRecord.objects.get(kind_code="serious_dishonesty_list")

    with time_machine.travel("2026-11-23 15:00 +0800", tick=False):
        done = record_interview(actor=market.clerk, basis=listed, **details(type="reminder"))
        with pytest.raises(PlatformError) as refused:
            record_interview(actor=departments[1].clerk, basis=listed, **details())

    assert (done.basis, done.warning, done.get_type_display()) == (listed, None, "提示约谈")
    assert refused.value.error is errors.NOT_YOUR_DEPARTMENT


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"deadline": dt.date(2026, 11, 22)}, errors.DEADLINE_BEFORE_INTERVIEW),
        ({"held_on": dt.date(2026, 11, 24)}, errors.FUTURE_INTERVIEW),
        ({"type": "summons"}, errors.TYPE_UNKNOWN),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(
    departments: list[Department], warning: RiskWarning, changes: dict[str, Any], error: object
) -> None:
    with pytest.raises(PlatformError) as refused:
        interview(departments[0], warning, **changes)

    assert refused.value.error is error
    assert not Interview.objects.exists()


def test_a_deadline_on_a_holiday_runs_to_the_next_working_day_before_the_interview_is_overdue(
    departments: list[Department], warning: RiskWarning
) -> None:
    # National Day 2026: 10-01..10-07 off, 10-08 (Thursday) a working day.
    with time_machine.travel("2026-09-30 15:00 +0800", tick=False):
        done = record_interview(
            actor=departments[0].clerk, warning=warning,
            **details(held_on=dt.date(2026, 9, 30), deadline=dt.date(2026, 10, 1)),
        )  # fmt: skip
    assert done.due_on == dt.date(2026, 10, 8)

    for day, flagged in (("2026-10-02", 0), ("2026-10-08", 0), ("2026-10-09", 1), ("2026-10-10", 0)):
        with time_machine.travel(f"{day} 01:40 +0800", tick=False):
            assert len(flag_overdue_interviews()) == flagged, day

    done.refresh_from_db()
    assert done.overdue_flagged_at is not None and done.state == Interview.State.RECTIFYING
    assert (
        Notification.objects.filter(user=departments[0].clerk, title__startswith="约谈整改逾期").count() == 1
    )
    assert [e.label for e in done.events.all()][-1] == "整改期限届满未认定结果"


def test_an_interview_with_an_outcome_is_never_overdue(
    departments: list[Department], warning: RiskWarning
) -> None:
    done = interview(departments[0], warning, deadline=dt.date(2026, 11, 30))
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        record_outcome(done, actor=departments[0].clerk, rectified=False, note="未缴清罚款")

    assert flag_overdue_interviews(dt.date(2026, 12, 2)) == []


def test_the_interview_api_takes_the_department_key_and_refuses_others(
    client: Client, departments: list[Department], warning: RiskWarning, market_bureau: Any
) -> None:
    key = issue_key(departments[1].provider)
    body = {k: str(v) for k, v in details().items()}
    with time_machine.travel("2026-11-23 15:00 +0800", tick=False):
        ok = client.post(f"/api/v1/warnings/{warning.pk}/interviews", body, content_type="application/json",
                         headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        other = client.post(f"/api/v1/warnings/{warning.pk}/interviews", body, content_type="application/json",
                            headers={"Authorization": f"Bearer {market_bureau.key}"})  # fmt: skip
    assert ok.status_code == 201, ok.json()
    assert ok.json()["department"] == departments[1].code
    assert (other.status_code, other.json()["code"]) == (403, "interviews.not_your_department")


def test_the_warnings_api_is_for_government_and_staff(
    client: Client, departments: list[Department], warning: RiskWarning
) -> None:
    client.force_login(departments[0].clerk)
    with time_machine.travel(NOW, tick=False):
        mine = client.get(f"/api/v1/warnings?department={departments[0].code}&state=standing")
        none = client.get("/api/v1/warnings?state=withdrawn")

    assert [w["id"] for w in mine.json()] == [warning.pk]
    assert mine.json()[0]["rule"] == "supervision.risk_warning.penalty_departments@1"
    assert none.json() == []


def test_a_deadline_in_a_year_without_a_holiday_calendar_is_refused(
    departments: list[Department], warning: RiskWarning
) -> None:
    with pytest.raises(PlatformError) as refused:
        interview(departments[0], warning, deadline=dt.date(2099, 1, 5))

    assert (refused.value.error, refused.value.field) == (errors.DEADLINE_BEYOND_CALENDAR, "deadline")
    assert not Interview.objects.exists()
