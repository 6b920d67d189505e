"""GET /api/v1/repairs/eligibility, POST /api/v1/repairs, GET /api/v1/repairs/{number} (session)."""

from __future__ import annotations

import pytest
from django.test import Client

from xinyong.accounts.models import Role, User
from xinyong.conftest import OTHER_COMPANY_USCC, centre_staff
from xinyong.core.testing import travel_to
from xinyong.repairs.models import RepairApplication
from xinyong.repairs.tests.conftest import STATEMENT, Post, at

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_subject_asks_files_and_follows_a_repair(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    client = signed_in(company)
    with travel_to("2026-02-11"):
        early = client.get(f"/api/v1/repairs/eligibility?record={record.pk}").json()
    assert early["eligible"] is False and early["earliest"] == "2026-02-12"
    assert "repair.minimum_period@1" in early["rules"]
    with travel_to("2026-02-12"):
        assert client.get(f"/api/v1/repairs/eligibility?record={record.pk}").json()["eligible"] is True
        filed = client.post(
            "/api/v1/repairs",
            {"record": record.pk, "obligations_statement": STATEMENT, "committed": True},
            content_type="application/json",
        )
        assert filed.status_code == 201, filed.content
        body = filed.json()
        assert body["state"] == "city_review" and body["city_due"] == "2026-02-24"
        assert body["countdown"] == "剩余 3 个工作日"
        assert "厦门鹭江贸易有限公司" in body["commitment_text"]
        case = client.get(f"/api/v1/repairs/{body['number']}")
    assert case.status_code == 200
    assert [e["label"] for e in case.json()["events"]] == ["提交信用修复申请", "提交申请"]


def test_it_refuses_with_a_stable_code_and_writes_nothing(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        unticked = signed_in(company).post(
            "/api/v1/repairs",
            {"record": record.pk, "obligations_statement": STATEMENT, "committed": False},
            content_type="application/json",
        )
    assert unticked.status_code == 400
    assert unticked.json()["code"] == "repair.commitment_required"
    assert not RepairApplication.objects.exists()


def test_others_see_nothing_and_staff_see_the_case(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        number = (
            signed_in(company)
            .post(
                "/api/v1/repairs",
                {"record": record.pk, "obligations_statement": STATEMENT, "committed": True},
                content_type="application/json",
            )
            .json()["number"]
        )
    other = User.objects.create_user(
        "other", kind=User.Kind.SUBJECT, subject_code=OTHER_COMPANY_USCC, verified_at=at("2025-01-01")
    )
    assert signed_in(other).get(f"/api/v1/repairs/eligibility?record={record.pk}").status_code == 404
    assert signed_in(other).get(f"/api/v1/repairs/{number}").json()["code"] == "request.not_found"
    assert Client().get(f"/api/v1/repairs/{number}").status_code == 401
    auditor = centre_staff("auditor", Role.AUDITOR)
    assert signed_in(auditor).get(f"/api/v1/repairs/{number}").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    client = Client(enforce_csrf_checks=True)
    client.force_login(company)
    with travel_to("2026-02-12"):
        response = client.post(
            "/api/v1/repairs",
            {"record": record.pk, "obligations_statement": STATEMENT, "committed": True},
            content_type="application/json",
        )
    assert (response.status_code, response.json()["code"]) == (403, "request.csrf_failed")
    assert "CSRF" in response.json()["message"]
    assert not RepairApplication.objects.exists()
