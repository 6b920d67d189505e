"""Overdue steps are flagged once, however often or late the job runs, and their reviewers told."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.accounts.models import Notification, User
from xinyong.core.testing import travel_to
from xinyong.repairs import services
from xinyong.repairs.models import RepairApplication, RepairEvent
from xinyong.repairs.tests.conftest import STATEMENT, Post, at

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_city_review_past_its_due_day_is_flagged_once(
    post_penalty: Post, company: User, city: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    with travel_to(at("2026-02-24", 23)):
        assert len(services.flag_overdue_repairs()) == 0  # the due day itself is still in time
    with travel_to(at("2026-02-25", 1)):
        assert len(services.flag_overdue_repairs()) == 1
        assert len(services.flag_overdue_repairs()) == 0
        assert len(services.flag_overdue_repairs(D(2026, 3, 10))) == 0  # late runs too
    application.refresh_from_db()
    assert application.city_overdue_at == at("2026-02-25", 1)
    assert RepairEvent.objects.filter(application=application, action="city_overdue").count() == 1
    assert Notification.objects.filter(user=city, title__contains="市级初审已逾期").count() == 1


def test_the_provincial_step_has_its_own_flag(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    with travel_to("2026-02-13"):
        services.city_approve(application, actor=city)  # provincial due: 7 working days → 2026-03-02
    application.refresh_from_db()
    assert application.provincial_due == D(2026, 3, 2)
    assert len(services.flag_overdue_repairs(D(2026, 3, 2))) == 0
    assert len(services.flag_overdue_repairs(D(2026, 3, 3))) == 1
    assert len(services.flag_overdue_repairs(D(2026, 3, 3))) == 0
    application.refresh_from_db()
    assert application.city_overdue_at is None and application.provincial_overdue_at is not None
    assert Notification.objects.filter(user=province, title__contains="省级复核已逾期").count() == 1
    assert application.state == RepairApplication.State.PROVINCIAL_REVIEW
