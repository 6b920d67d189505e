"""The full approve path: filing, city approval, provincial approval → 已修复 overlay, the record gone
from the public page, sharing stopped or not by the rule in force on the approval day, upstream queued."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC
from xinyong.core.testing import travel_to
from xinyong.disclosure.audience import Audience, state_of
from xinyong.disclosure.queries import public_subject
from xinyong.records.models import CreditRecord, Overlay, UpstreamNotice
from xinyong.repairs import services
from xinyong.repairs.eligibility import eligibility
from xinyong.repairs.models import RepairApplication, RepairEvent
from xinyong.repairs.tests.conftest import STATEMENT, Post, at
from xinyong.reports import services as reports
from xinyong.reports.queries import Status, verify_by_number

pytestmark = pytest.mark.django_db


def _approve(
    record: CreditRecord, company: User, city: User, province: User, days: tuple[str, str, str]
) -> RepairApplication:
    with travel_to(at(days[0])):
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
    with travel_to(at(days[1])):
        services.city_approve(application, actor=city)
    with travel_to(at(days[2])):
        services.provincial_approve(application, actor=province, note="材料齐全，整改到位")
    application.refresh_from_db()
    return application


def test_an_approved_repair_stops_publication_but_not_sharing_before_2026_04_01(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2025-11-12")
    with travel_to(at("2026-02-12", 9)):
        assert [r.key for r in public_subject(COMPANY_USCC).records] == [record.key]

    application = _approve(record, company, city, province, ("2026-02-12", "2026-02-13", "2026-02-26"))

    assert application.state == RepairApplication.State.APPROVED
    assert (application.stops_sharing, application.stops_sharing_rule) == (False, "repair.stops_sharing@1")
    overlay = Overlay.objects.get(record=record)
    assert overlay.kind == Overlay.Kind.REPAIRED
    assert overlay.source == f"信用修复 {application.number}"
    assert overlay.stops_sharing is False
    with travel_to(at("2026-02-26", 11)):
        assert public_subject(COMPANY_USCC).records == []
        government = state_of(record, [overlay], Audience.GOVERNMENT, at("2026-02-26", 11))
        assert (government.visible, government.label) == (True, "已修复")
    assert [e.action for e in RepairEvent.objects.filter(application=application)] == [
        "file",
        "submit",
        "city_approve",
        "provincial_approve",
    ]
    notice = UpstreamNotice.objects.get()
    assert (notice.change, notice.source, notice.record_id) == (
        "repaired",
        f"信用修复 {application.number}",
        record.pk,
    )
    assert notice.sent_at is None and notice.payload["record_key"] == record.key
    actions = set(AuditEntry.objects.filter(object_id=application.number).values_list("action", flat=True))
    assert actions == {"repair.apply", "repair.city_approve", "repair.provincial_approve"}
    titles = list(Notification.objects.filter(user=company).values_list("title", flat=True))
    assert f"信用修复申请 {application.number} 已修复" in titles


def test_an_approval_from_2026_04_01_stops_sharing_too(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2026-01-05")  # general: 3 months under either version → from 2026-04-05
    application = _approve(record, company, city, province, ("2026-04-07", "2026-04-08", "2026-04-09"))
    assert (application.stops_sharing, application.stops_sharing_rule) == (True, "repair.stops_sharing@2")
    overlay = Overlay.objects.get(record=record)
    assert overlay.stops_sharing is True
    moment = at("2026-04-09", 11)
    assert state_of(record, [overlay], Audience.GOVERNMENT, moment).visible is False
    assert state_of(record, [overlay], Audience.SELF, moment).label == "已修复"


def test_a_repaired_record_cannot_be_applied_for_again(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2026-01-05")
    _approve(record, company, city, province, ("2026-04-07", "2026-04-08", "2026-04-09"))
    with travel_to("2026-04-10"):
        result = eligibility(record, at("2026-04-10").date())
    assert not result.eligible
    assert "该记录已完成信用修复" in result.reasons


@pytest.mark.usefixtures("report_dirs")
def test_a_report_issued_before_the_repair_is_superseded_when_the_province_approves(
    post_penalty: Post, company: User, city: User, province: User
) -> None:
    record = post_penalty("2025-11-12")
    requester = reports.Requester(company, company.username)
    with travel_to("2026-02-11"):
        before = reports.request_report(requester, COMPANY_USCC, edition="special", years=3)
    assert [item.record_id for item in before.items.all()] == [record.pk]

    with travel_to("2026-02-25"):  # the city has approved, not yet the province
        application = services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True
        )
        services.city_approve(application, actor=city)
    assert verify_by_number(before.number, before.verification_code).status is Status.AUTHENTIC

    with travel_to("2026-02-26"):
        services.provincial_approve(application, actor=province, note="材料齐全，整改到位")
    answer = verify_by_number(before.number, before.verification_code)
    assert (answer.status, answer.since) == (Status.SUPERSEDED, at("2026-02-26"))

    # A fresh report lists the record as repaired (已修复), and is itself current.
    with travel_to("2026-02-27"):
        after = reports.request_report(requester, COMPANY_USCC, edition="special", years=3)
    assert after.pk != before.pk
    assert [item.state for item in after.items.all()] == ["已修复"]
    assert verify_by_number(after.number, after.verification_code).status is Status.AUTHENTIC
