"""Rejection (不予修复) gives reasons; the subject may apply once more for the record (repair.resubmission,
platform policy), and no more after a second rejection."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import Notification, User
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.records.models import Overlay
from xinyong.repairs import services
from xinyong.repairs.models import RepairApplication, RepairEvent
from xinyong.repairs.tests.conftest import STATEMENT, Post

pytestmark = pytest.mark.django_db
State = RepairApplication.State


def test_a_rejection_needs_reasons_and_changes_nothing_without_them(
    post_penalty: Post, company: User, city: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
        events = RepairEvent.objects.count()
        with pytest.raises(PlatformError) as refused:
            services.city_reject(application, actor=city, reasons="  ")
    assert refused.value.error.code == "repair.reasons_required"
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW
    assert RepairEvent.objects.count() == events


def test_it_allows_one_resubmission_after_a_rejection_and_no_more(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        first = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
        services.city_reject(first, actor=city, reasons="未提供罚款缴纳凭证")
    first.refresh_from_db()
    assert (first.state, first.decision_reasons) == (State.REJECTED, "未提供罚款缴纳凭证")
    assert Notification.objects.filter(user=company, body__contains="未提供罚款缴纳凭证").exists()
    assert not Overlay.objects.filter(record=record).exists()

    with travel_to("2026-02-13"):
        second = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    assert second.previous == first
    assert second.resubmission_rule == "repair.resubmission@1"
    with travel_to("2026-02-24"):
        services.city_approve(second, actor=city)
        services.provincial_reject(second, actor=province, reasons="整改材料与处罚内容不符")

    with travel_to("2026-02-25"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(record, actor=company, obligations_statement=STATEMENT, committed=True)
    assert refused.value.error.code == "repair.resubmission_exhausted"
    assert refused.value.error.status == 409
    assert RepairApplication.objects.count() == 2
