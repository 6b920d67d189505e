"""Credit risk warnings (信用风险预警): 60 penalties in one year, penalties from 3 departments in one year,
two serious-dishonesty lists in force. Raised at intake and by the daily job, sent to every department
with a record in them, withdrawn with a note when the condition no longer holds."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.conftest import COMPANY_USCC
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay
from xinyong.supervision.models import RiskWarning
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.tests.conftest import NOW, Department, listing_row, penalties, send

pytestmark = pytest.mark.django_db

COUNT = "supervision.risk_warning.penalty_count"
DEPARTMENTS = "supervision.risk_warning.penalty_departments"
LISTS = "supervision.risk_warning.serious_lists"


def standing(rule_id: str) -> list[RiskWarning]:
    return list(RiskWarning.objects.filter(rule_id=rule_id, state=RiskWarning.State.STANDING))


def test_fifty_nine_penalties_raise_nothing_and_the_sixtieth_raises_a_warning(
    departments: list[Department],
) -> None:
    market = departments[0]
    penalties(market, 59, "2026-06-01")
    assert not standing(COUNT)

    penalties(market, 1, "2026-11-20", first=60)

    (warning,) = standing(COUNT)
    assert (warning.rule, warning.measured, warning.threshold) == (f"{COUNT}@1", 60, 60)
    assert (str(warning.window_start), str(warning.window_end)) == ("2025-11-23", "2026-11-22")
    assert warning.records.count() == 60
    assert list(warning.departments.all()) == [market.provider]
    assert "受到行政处罚60次，达到60次" in warning.explanation
    note = Notification.objects.get(user=market.clerk)
    assert note.link == reverse("supervision:warning", args=[warning.pk])
    assert AuditEntry.objects.filter(action="risk_warning.raise", object_id=str(warning.pk)).exists()


def test_a_penalty_on_the_first_day_of_the_window_counts(departments: list[Department]) -> None:
    penalties(departments[0], 59, "2026-06-01")
    penalties(departments[0], 1, "2025-11-23", first=60)

    assert len(standing(COUNT)) == 1


def test_a_penalty_the_day_before_the_window_does_not_count(departments: list[Department]) -> None:
    penalties(departments[0], 59, "2026-06-01")
    penalties(departments[0], 1, "2025-11-22", first=60)

    assert not standing(COUNT)


def test_a_penalty_decided_on_the_last_day_of_the_window_counts(departments: list[Department]) -> None:
    penalties(departments[0], 59, "2026-06-01")
    penalties(departments[0], 1, "2026-11-22", first=60)

    assert len(standing(COUNT)) == 1


def test_the_warning_is_withdrawn_when_a_penalty_ages_out_of_the_window(
    departments: list[Department],
) -> None:
    penalties(departments[0], 59, "2026-06-01")
    penalties(departments[0], 1, "2025-11-23", first=60)

    for day, count in (("2026-11-22", 1), ("2026-11-23", 0)):
        with time_machine.travel(f"{day} 23:00 +0800", tick=False):
            call_command("supervision", "warnings")
        assert len(standing(COUNT)) == count, day

    warning = RiskWarning.objects.get(rule_id=COUNT)
    assert warning.state == RiskWarning.State.WITHDRAWN
    assert "2025-11-24 至 2026-11-23受到行政处罚59次，不足60次" in warning.withdrawal_note
    assert AuditEntry.objects.filter(action="risk_warning.withdraw", object_id=str(warning.pk)).exists()


def test_two_departments_raise_nothing_and_a_third_raises_a_warning_sent_to_all_three(
    departments: list[Department],
) -> None:
    market, environment, construction = departments
    penalties(market, 1, "2026-03-01")
    penalties(environment, 1, "2026-04-01")
    assert not standing(DEPARTMENTS)

    penalties(construction, 1, "2026-11-01")

    (warning,) = standing(DEPARTMENTS)
    assert warning.measured == 3
    assert set(warning.departments.all()) == {d.provider for d in departments}
    for department in departments:
        assert Notification.objects.filter(
            user=department.clerk, link=f"/supervision/warnings/{warning.pk}/"
        ).exists()


def test_a_department_outside_the_window_does_not_count(departments: list[Department]) -> None:
    market, environment, construction = departments
    penalties(market, 1, "2025-11-22")
    penalties(environment, 1, "2026-04-01")
    penalties(construction, 1, "2026-11-01")

    assert not standing(DEPARTMENTS)


def test_a_revoked_penalty_withdraws_the_warning_at_the_next_daily_run(departments: list[Department]) -> None:
    for department in departments:
        penalties(department, 1, "2026-06-01")
    (warning,) = standing(DEPARTMENTS)

    with time_machine.travel(NOW, tick=False):
        revoked = CreditRecord.objects.filter(provider=departments[2].provider).get()
        add_overlay(
            revoked, Overlay.Kind.REVOKED, actor=Actor.system("test"), reason="异议成立", source="异议 1"
        )
    with time_machine.travel("2026-11-22 11:00 +0800", tick=False):
        changes = review_risk_warnings(None)

    assert changes.withdrawn == [warning]
    warning.refresh_from_db()
    assert "作出行政处罚的部门2个部门，不足3个部门" in warning.withdrawal_note


def test_one_serious_list_raises_nothing_and_a_second_raises_a_warning(departments: list[Department]) -> None:
    market, environment, _ = departments
    send(market, "serious_dishonesty_list", [listing_row(market, 1, "失信被执行人", "2024-03-01"),
                                             listing_row(market, 2, "失信被执行人", "2025-03-01")])  # fmt: skip
    assert not standing(LISTS)

    send(
        environment,
        "serious_dishonesty_list",
        [listing_row(environment, 3, "重大税收违法失信主体", "2021-05-01")],
    )

    (warning,) = standing(LISTS)
    assert (warning.measured, warning.window_start) == (2, None)
    assert warning.records.count() == 3


def test_a_list_exit_withdraws_the_warning_at_intake(departments: list[Department]) -> None:
    market, environment, _ = departments
    send(market, "serious_dishonesty_list", [listing_row(market, 1, "失信被执行人", "2024-03-01")])
    send(
        environment,
        "serious_dishonesty_list",
        [listing_row(environment, 3, "重大税收违法失信主体", "2021-05-01")],
    )
    assert len(standing(LISTS)) == 1

    removed = listing_row(environment, 3, "重大税收违法失信主体", "2021-05-01", removed="2026-11-20")
    send(environment, "serious_dishonesty_list", [removed], "2026-11-22 12:00 +0800")

    assert not standing(LISTS)
    assert (
        "在列的严重失信主体名单1个名单，不足2个名单" in RiskWarning.objects.get(rule_id=LISTS).withdrawal_note
    )


def test_the_daily_job_is_idempotent_and_raises_again_after_a_withdrawal(
    departments: list[Department],
) -> None:
    for department in departments:
        penalties(department, 1, "2026-06-01")
    with time_machine.travel("2026-11-22 11:00 +0800", tick=False):
        call_command("supervision", "warnings")
        call_command("supervision", "warnings", "--date", "2026-11-22")
    assert RiskWarning.objects.filter(rule_id=DEPARTMENTS).count() == 1

    with time_machine.travel("2027-06-02 10:00 +0800", tick=False):
        call_command("supervision", "warnings")
    penalties(departments[0], 1, "2027-06-10", first=2, now="2027-06-12 10:00 +0800")
    penalties(departments[1], 1, "2027-06-10", first=2, now="2027-06-12 10:00 +0800")
    penalties(departments[2], 1, "2027-06-10", first=2, now="2027-06-12 10:00 +0800")

    assert [w.state for w in RiskWarning.objects.filter(rule_id=DEPARTMENTS).order_by("pk")] == [
        RiskWarning.State.WITHDRAWN,
        RiskWarning.State.STANDING,
    ]


def test_the_subject_sees_its_own_warning_and_why_and_the_public_sees_nothing(
    client: Client, departments: list[Department]
) -> None:
    for department in departments:
        penalties(department, 1, "2026-06-01")
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=company.pk).update(subject_code=COMPANY_USCC, verified_at="2026-11-01T00:00:00Z")

    with time_machine.travel("2026-11-22 11:00 +0800", tick=False):
        public = client.get(f"/s/{COMPANY_USCC}/").content.decode()
        client.force_login(User.objects.get(pk=company.pk))
        own = client.get("/account/warnings/").content.decode()

    assert "信用风险预警" not in public
    assert "一年内受到3个及以上部门行政处罚" in own
    assert "厦13罚〔2026〕1号" in own
