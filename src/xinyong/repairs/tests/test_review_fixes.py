"""Fixes from the 2026-11-22 review: audited reads of cases and evidence (S5, S6), what the subject sees
of a reviewer (S6), the deadline rule by filing day (C2), approval re-checking the record (C3), the
batched, paged eligibility list (C5), the rejection message (R1), the statement's limits (R2), the one
countdown (Q1) and the city queue's states (Q2)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.core import calendar, errors, rulebook
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay
from xinyong.repairs import forms, queries, services
from xinyong.repairs.models import RepairApplication
from xinyong.repairs.rules import DEADLINES
from xinyong.repairs.tests.conftest import STATEMENT, Post, at
from xinyong.repairs.workflow import KIT

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _file(record: CreditRecord, company: User, day: str = "2026-02-12", **kw: Any) -> RepairApplication:
    with travel_to(at(day)):
        return services.apply_for_repair(
            record, actor=company, obligations_statement=STATEMENT, committed=True, **kw
        )


def _audits(action: str, number: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_id=number))


# --- S5 / S6: evidence served as an audited download; case reads by staff audited ---------------------


def test_it_serves_evidence_as_an_audited_download_never_inline(
    post_penalty: Post, company: User, city: User, upload_dir: Any
) -> None:
    record = post_penalty("2025-11-12")
    application = _file(record, company, uploads=[SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.7\nreceipt\n")])
    item = application.attachments.get()
    with travel_to("2026-02-13"):
        response = signed_in(city).get(f"/repairs/{application.number}/attachments/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    read = AuditEntry.objects.get(action="evidence.read")
    assert read.subject_code == application.subject_code and read.object_id == item.sha256
    assert json.loads(read.detail) == {
        "case": application.number,
        "name": "缴款凭证.pdf",
        "path": item.path,
    }


def test_it_audits_a_case_read_by_staff_but_not_by_its_subject(
    post_penalty: Post, company: User, city: User
) -> None:
    application = _file(post_penalty("2025-11-12"), company)
    with travel_to("2026-02-13"):
        assert signed_in(company).get(f"/repairs/{application.number}/").status_code == 200
        assert signed_in(company).get(f"/api/v1/repairs/{application.number}").status_code == 200
        assert _audits("repair.view", application.number) == []
        assert signed_in(city).get(f"/repairs/{application.number}/").status_code == 200
        assert signed_in(city).get(f"/api/v1/repairs/{application.number}").status_code == 200
    views = _audits("repair.view", application.number)
    assert len(views) == 2
    assert {v.subject_code for v in views} == {application.subject_code}


def test_it_shows_the_subject_the_reviewers_post_not_their_login_name(
    post_penalty: Post, company: User, city: User
) -> None:
    application = _file(post_penalty("2025-11-12"), company)
    with travel_to("2026-02-13"):
        services.city_approve(application, actor=city)
        page = signed_in(company).get(f"/repairs/{application.number}/").content.decode()
        api = signed_in(company).get(f"/api/v1/repairs/{application.number}").json()
    assert "city-reviewer" not in page
    assert "信用中心·市级信用修复审核员" in page
    assert api["events"][-1]["actor"] == "信用中心·市级信用修复审核员"
    city.first_name, city.last_name = "明", "王"
    assert KIT.actor_name(city) in {
        "明 王（信用中心·市级信用修复审核员）",
        "王明（信用中心·市级信用修复审核员）",
    }


# --- C2: the provincial deadline by the rule in force on the filing day -------------------------------


def test_it_takes_the_provincial_deadline_from_the_rule_in_force_on_the_filing_day(
    post_penalty: Post, company: User, city: User
) -> None:
    record = post_penalty("2025-11-12")
    first = DEADLINES.on(dt.date(2026, 2, 12)).value
    # A second version from the day after filing, with a 1-day provincial review: it must not apply.
    shorter = first.model_copy(update={"provincial_review": 1})
    with rulebook.override(DEADLINES, shorter, from_=dt.date(2026, 2, 13)):
        application = _file(record, company)  # filed 2026-02-12
        with travel_to("2026-02-13"):
            services.city_approve(application, actor=city)
    application.refresh_from_db()
    assert application.provincial_due == dt.date(2026, 3, 2)  # 7 working days from 02-13, not 1
    entry = AuditEntry.objects.get(action="repair.city_approve")
    assert json.loads(entry.detail)["rule"] == "repair.deadlines@1"


# --- C3: provincial approval re-checks the record -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (Overlay.Kind.REVOKED, "已被撤销"),
        (Overlay.Kind.OBJECTION_PENDING, "有办理中的异议"),
        (Overlay.Kind.REPAIRED, "已完成信用修复"),
    ],
)
def test_it_refuses_provincial_approval_when_the_record_changed_meanwhile(
    post_penalty: Post, company: User, city: User, province: User, kind: str, words: str
) -> None:
    record = post_penalty("2025-11-12")
    application = _file(record, company)
    with travel_to("2026-02-13"):
        services.city_approve(application, actor=city)
    with travel_to("2026-02-16"):
        add_overlay(record, kind, actor=Actor.system("test"), reason="测试", source="测试")
    with travel_to("2026-02-17"), pytest.raises(PlatformError) as refused:
        services.provincial_approve(application, actor=province)
    assert refused.value.error.code == "repair.record_changed" and refused.value.error.status == 409
    assert words in refused.value.message
    application.refresh_from_db()
    assert application.state == RepairApplication.State.PROVINCIAL_REVIEW
    assert Overlay.objects.filter(record=record, kind=Overlay.Kind.REPAIRED).count() == (
        1 if kind == Overlay.Kind.REPAIRED else 0
    )
    # Rejecting remains possible.
    with travel_to("2026-02-17"):
        services.provincial_reject(application, actor=province, reasons="该记录已变化")
    assert application.state == RepairApplication.State.REJECTED


# --- C5: the subject's list is paged and judged in a fixed number of queries --------------------------


def test_it_judges_a_page_of_records_in_a_fixed_number_of_queries(post_penalty: Post, company: User) -> None:
    for n in range(3):
        post_penalty("2025-11-12", key=f"厦市监罚〔2025〕{n + 201}号")
    records = CreditRecord.objects.filter(subject_code=company.subject_code).order_by("pk")
    one = records.filter(pk=records.values_list("pk", flat=True)[0])
    with CaptureQueriesContext(connection) as few:
        queries.judged(one, None, dt.date(2026, 2, 12))
    with CaptureQueriesContext(connection) as many:
        page, judged = queries.judged(records, None, dt.date(2026, 2, 12))
    assert len(many) == len(few)
    assert [r.key for r, _ in judged] == [r.key for r in records]
    assert all(result.eligible for _, result in judged)
    assert page.paginator.count == 3


def test_it_pages_the_subjects_records(
    post_penalty: Post, company: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        post_penalty("2025-11-12", key=f"厦市监罚〔2025〕{n + 301}号")
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    with travel_to("2026-02-12"):
        first = signed_in(company).get("/repairs/").content.decode()
        second = signed_in(company).get("/repairs/?rpage=2").content.decode()
    assert first.count("申请信用修复</a>") == 2 and "?rpage=2" in first
    assert second.count("申请信用修复</a>") == 1


# --- R1: the rejection says what is left ----------------------------------------------------------------


def test_it_tells_the_subject_whether_a_resubmission_is_left(
    post_penalty: Post, company: User, city: User
) -> None:
    record = post_penalty("2025-11-12")
    first = _file(record, company)
    with travel_to("2026-02-13"):
        services.city_reject(first, actor=city, reasons="材料不全")
    second = _file(record, company, day="2026-02-16")
    with travel_to("2026-02-17"):
        services.city_reject(second, actor=city, reasons="材料仍不全")
    bodies = {n.title: n.body for n in Notification.objects.filter(user=company, title__endswith="不予修复")}
    assert "可按规定重新申请一次（本平台办理规则）" in bodies[f"信用修复申请 {first.number} 不予修复"]
    last = bodies[f"信用修复申请 {second.number} 不予修复"]
    assert "不可再申请" in last and "重新申请一次" not in last


# --- R2: the statement's length limits ------------------------------------------------------------------


def test_it_refuses_a_statement_longer_than_5000_characters(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"), pytest.raises(PlatformError) as refused:
        services.apply_for_repair(record, actor=company, obligations_statement="说" * 5001, committed=True)
    assert refused.value.error.code == "repair.statement_too_long"
    assert refused.value.field == "obligations_statement"
    assert not RepairApplication.objects.exists()
    assert services.MAX_STATEMENT_CHARS == 5000
    assert not forms.ApplyForm({"obligations_statement": "说" * 5001, "committed": "on"}).is_valid()
    assert forms.ApplyForm({"obligations_statement": "说" * 5000, "committed": "on"}).is_valid()
    assert "repair.statement_too_long" in errors.REGISTRY
    with travel_to("2026-02-12"):
        exact = services.apply_for_repair(
            record, actor=company, obligations_statement="说" * 5000, committed=True
        )
    assert len(exact.obligations_statement) == 5000


# --- Q1 / Q2: the core countdown; the city queue is the city_review state ------------------------------


def test_it_counts_down_with_the_core_countdown(post_penalty: Post, company: User, city: User) -> None:
    application = _file(post_penalty("2025-11-12"), company)  # city due 2026-02-24
    assert queries.Countdown is calendar.Countdown  # type: ignore[attr-defined]  # the one in core, no twin
    with travel_to("2026-02-24"):
        assert "今日到期" in signed_in(city).get("/centre/repairs/city/").content.decode()
    with travel_to("2026-02-26"):
        body = signed_in(company).get(f"/api/v1/repairs/{application.number}").json()
    assert body["countdown"] == "已逾期 2 个工作日"


def test_it_lists_open_city_reviews_only(post_penalty: Post, company: User) -> None:
    application = _file(post_penalty("2025-11-12"), company)
    assert [a.number for a in queries.city_queue(None).object_list] == [application.number]
    assert [a.number for a in queries.city_queue(None, overdue_on=dt.date(2026, 2, 25)).object_list] == [
        application.number
    ]
    assert list(queries.city_queue(None, overdue_on=dt.date(2026, 2, 24)).object_list) == []
    # ``submitted`` never outlives filing; a row forced into it is not a city review.
    RepairApplication.objects.filter(pk=application.pk).update(state=RepairApplication.State.SUBMITTED)
    assert list(queries.city_queue(None).object_list) == []
    # No index for overall_due: nothing queries it (each step is flagged against its own deadline).
    assert "repairs_app_overall_due_idx" not in {i.name for i in RepairApplication._meta.indexes}
