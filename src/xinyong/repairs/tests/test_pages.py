"""The pages: eligibility list from the account page, the form with the commitment letter and uploads,
the case page with its countdown, the reviewers' queues and decisions (404 / 403 / 409 as they should)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.services import Actor
from xinyong.conftest import OTHER_COMPANY_USCC
from xinyong.core.testing import travel_to
from xinyong.records.models import Overlay
from xinyong.records.services import add_overlay
from xinyong.repairs.models import RepairApplication
from xinyong.repairs.tests.conftest import STATEMENT, Post, at

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def test_a_subject_finds_repair_from_the_account_page_and_files_with_evidence(
    post_penalty: Post, company: User, city: User, upload_dir: Any
) -> None:
    record = post_penalty("2025-11-12")
    client = signed_in(company)
    with travel_to("2026-02-11"):
        assert 'href="/repairs/"' in text(client.get("/account/"))
        early = text(client.get("/repairs/"))
        assert "暂不可申请（2026-02-12 起）" in early
    with travel_to("2026-02-12"):
        assert "可申请修复" in text(client.get("/repairs/"))
        form = text(client.get(f"/repairs/records/{record.pk}/"))
        assert "信用修复承诺书" in form and "厦门鹭江贸易有限公司" in form and "我已阅读并承诺" in form
        unticked = client.post(f"/repairs/records/{record.pk}/", {"obligations_statement": STATEMENT})
        assert unticked.status_code == 400
        assert "repair.commitment_required" in text(unticked)
        filed = client.post(
            f"/repairs/records/{record.pk}/",
            {
                "obligations_statement": STATEMENT, "committed": "on",
                "evidence": [SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.7\nreceipt\n")],
            },
        )  # fmt: skip
        assert filed.status_code == 302
        application = RepairApplication.objects.get()
        case = text(client.get(filed["Location"]))
    assert "剩余 3 个工作日" in case and "缴款凭证.pdf" in case
    assert application.attachments.count() == 1
    with travel_to("2026-02-13"):
        listed = text(client.get("/repairs/"))
    assert application.number in listed and "剩余 2 个工作日" in listed


@pytest.fixture
def filed(post_penalty: Post, company: User) -> RepairApplication:
    record = post_penalty("2025-11-12")
    with travel_to("2026-02-12"):
        signed_in(company).post(
            f"/repairs/records/{record.pk}/", {"obligations_statement": STATEMENT, "committed": "on"}
        )
    return RepairApplication.objects.get()


def test_reviewers_work_from_their_queues(filed: RepairApplication, city: User, province: User) -> None:
    reviewer = signed_in(city)
    with travel_to("2026-02-25"):
        queue = text(reviewer.get("/centre/repairs/city/"))
        assert queue.count(f">{filed.number}</a>") == 2  # in the overdue list and in the queue
        assert "已逾期 1 个工作日" in queue
        page = text(reviewer.get(f"/repairs/{filed.number}/"))
        assert "data-confirm" in page and "市级初审通过" in page
        assert reviewer.post(f"/repairs/{filed.number}/city_approve/").status_code == 302
        assert reviewer.post(f"/repairs/{filed.number}/city_approve/").status_code == 409
        assert signed_in(province).get("/centre/repairs/city/").status_code == 404
        assert filed.number in text(signed_in(province).get("/centre/repairs/province/"))
        refused = signed_in(province).post(f"/repairs/{filed.number}/provincial_reject/", {"reasons": ""})
        assert refused.status_code == 400 and "repair.reasons_required" in text(refused)
        assert (
            signed_in(province)
            .post(f"/repairs/{filed.number}/provincial_reject/", {"reasons": "缴款凭证不清晰"})
            .status_code
            == 302
        )
    filed.refresh_from_db()
    assert (filed.state, filed.decision_reasons) == ("rejected", "缴款凭证不清晰")


def test_the_subject_sees_its_case_but_cannot_review_it_and_others_see_nothing(
    filed: RepairApplication, company: User
) -> None:
    own = signed_in(company)
    assert own.get(f"/repairs/{filed.number}/").status_code == 200
    assert own.post(f"/repairs/{filed.number}/city_approve/").status_code == 403
    assert own.get("/centre/repairs/city/").status_code == 404
    other = User.objects.create_user(
        "other", kind=User.Kind.SUBJECT, subject_code=OTHER_COMPANY_USCC, verified_at=at("2025-01-01")
    )
    assert signed_in(other).get(f"/repairs/{filed.number}/").status_code == 404
    assert signed_in(other).get(f"/repairs/records/{filed.record_id}/").status_code == 404
    filed.refresh_from_db()
    assert filed.state == "city_review"


def test_the_home_page_states_the_rules_in_force(post_penalty: Post, company: User) -> None:
    client = Client()
    client.force_login(company)
    for day, sharing in (("2026-03-31", False), ("2026-04-01", True)):  # repair.stops_sharing@1 / @2
        with travel_to(at(day)):
            page = client.get("/repairs/").content.decode()
        assert "市级初审3个工作日，省级复核7个工作日" in page
        assert ("停止公示和共享" in page) is sharing


def test_a_record_the_subject_cannot_see_has_no_repair_page(post_penalty: Post, company: User) -> None:
    record = post_penalty("2025-11-12")
    client = Client()
    client.force_login(company)
    with travel_to("2026-02-12"):
        assert client.get(f"/repairs/records/{record.pk}/").status_code == 200
        add_overlay(record, Overlay.Kind.REVOKED, actor=Actor.system("test"), reason="撤销", source="test")
        assert client.get(f"/repairs/records/{record.pk}/").status_code == 404
        assert client.get(f"/api/v1/repairs/eligibility?record={record.pk}").status_code == 404
