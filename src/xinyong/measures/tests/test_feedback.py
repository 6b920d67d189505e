"""Feedback on the measures of a check (奖惩反馈) and its statistics by department and scenario."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona, centre_staff
from xinyong.measures.queries import feedback_statistics
from xinyong.measures.services import check_subject
from xinyong.measures.tests.personas import NOW, build_city, unit_officer

pytestmark = pytest.mark.django_db
PURPOSE = "licensing_inspection_penalty"


@pytest.fixture
def officer(market_bureau: ProviderPersona) -> User:
    build_city(market_bureau)
    return unit_officer()


def feedback(client: Client, check_id: int, **body: object) -> object:
    with time_machine.travel(NOW, tick=False):
        return client.post(f"/api/v1/checks/{check_id}/feedback", body, content_type="application/json")


def test_feedback_is_recorded_once_and_counted_by_unit_and_scenario(officer: User) -> None:
    with time_machine.travel(NOW, tick=False):
        listed = check_subject(officer, COMPANY_USCC, "approval", PURPOSE)
        red = check_subject(officer, OTHER_COMPANY_USCC, "approval", PURPOSE)
    client = Client()
    client.force_login(officer)
    first, second = listed.measure_refs
    assert feedback(client, listed.pk, measure=first, applied=True).status_code == 201  # type: ignore[attr-defined]
    refused = feedback(client, listed.pk, measure=second, applied=False)
    assert refused.json()["code"] == "measures.reason_required"  # type: ignore[attr-defined]
    assert (
        feedback(client, listed.pk, measure=second, applied=False, reason="申请人已完成信用修复").status_code
        == 201
    )  # type: ignore[attr-defined]
    again = feedback(client, listed.pk, measure=first, applied=False, reason="改主意")
    assert (again.status_code, again.json()["code"]) == (409, "measures.feedback_given")  # type: ignore[attr-defined]
    stranger = feedback(client, listed.pk, measure="bidding.restrict_serious@1", applied=True)
    assert stranger.json()["code"] == "measures.measure_not_in_check"  # type: ignore[attr-defined]
    assert len(red.measure_refs) == 2

    (tally,) = feedback_statistics(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (tally.unit, tally.scenario) == ("厦门市发展和改革委员会", "行政审批（容缺受理、告知承诺）")
    assert (tally.checks, tally.measures, tally.applied, tally.not_applied, tally.awaiting) == (2, 4, 1, 1, 2)
    assert tally.feedback_rate == "50%"
    assert feedback_statistics(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == []


def test_another_unit_cannot_give_feedback_on_a_check(officer: User) -> None:
    with time_machine.travel(NOW, tick=False):
        check = check_subject(officer, COMPANY_USCC, "approval", PURPOSE)
    from xinyong.accounts.models import Unit
    from xinyong.subjects.codes import complete_uscc

    other = Unit.objects.create(
        code=complete_uscc("1135020000111111"), name="厦门市财政局", purposes=[PURPOSE]
    )
    client = Client()
    client.force_login(User.objects.create_user("czj", kind=User.Kind.UNIT, unit=other))
    response = feedback(client, check.pk, measure=check.measure_refs[0], applied=True)
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_the_officer_checks_and_answers_in_the_browser_and_staff_see_the_chart(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/checks/", {"code": COMPANY_USCC, "scenario": "approval", "purpose": PURPOSE})
    text = page.content.decode()
    assert "不适用告知承诺、容缺受理" in text and "（2026）闽02执88号" in text
    check_id = int(re.search(r"/checks/(\d+)/feedback/", text).group(1))  # type: ignore[union-attr]
    with time_machine.travel(NOW, tick=False):
        answered = client.post(f"/checks/{check_id}/feedback/", {"measure": "approval.no_notification_commitment@1",
                                                                   "applied": "1"}, follow=True)  # fmt: skip
    assert "已反馈：已实施" in answered.content.decode()
    staff = Client()
    staff.force_login(centre_staff("auditor", Role.AUDITOR))
    with time_machine.travel(NOW, tick=False):
        stats = staff.get("/centre/measures/statistics/")
    assert "<svg" in stats.content.decode() and "厦门市发展和改革委员会" in stats.content.decode()
