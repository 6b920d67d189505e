"""The pages: the unit's workspace (record, list, overdue, outcomes, 告知承诺 check) and 我的信用承诺."""

from __future__ import annotations

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.commitments.models import Commitment
from xinyong.conftest import COMPANY_USCC
from xinyong.core.testing import travel_to
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_records_a_commitment_on_the_form(officer: User) -> None:
    client = _signed_in(officer)
    assert "审批替代型-告知承诺" in client.get("/workspace/commitments/new/").content.decode()
    response = client.post("/workspace/commitments/new/", {
        "subject_kind": "organisation", "subject_code": COMPANY_USCC, "subject_name": "厦门鹭江贸易有限公司",
        "legal_representative": "陈志明", "type": "approval_substitute/notification", "matter": "粮食收购资格认定",
        "content": "承诺信息真实。", "made_on": "2026-11-20", "deadline": "2026-12-01",
        "domain": officer.unit.domains.get().pk,  # type: ignore[union-attr]
    })  # fmt: skip
    c = Commitment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/commitments/{c.pk}/"


def test_a_refused_form_says_why(officer: User) -> None:
    response = _signed_in(officer).post("/workspace/commitments/new/", {
        "subject_kind": "organisation", "subject_code": COMPANY_USCC, "subject_name": "厦门鹭江贸易有限公司",
        "legal_representative": "陈志明", "type": "approval_substitute/notification", "matter": "事项",
        "content": "内容", "made_on": "2026-11-20", "domain": officer.unit.domains.get().pk,  # type: ignore[union-attr]
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "须填写践诺期限" in page and "commitments.types@1" not in page
    assert not Commitment.objects.exists()


def test_the_workspace_lists_countdowns_and_the_overdue(commitment: Commitment, officer: User) -> None:
    client = _signed_in(officer)
    page = client.get("/workspace/commitments/").content.decode()
    assert commitment.number in page and "剩余 8 天" in page
    with travel_to("2026-12-02 09:00"):
        page = _signed_in(officer).get("/workspace/commitments/").content.decode()
    assert "已逾期 2 天" in page and "没有逾期未践诺的承诺" not in page


def test_a_breach_asks_for_confirmation_and_creates_the_record(commitment: Commitment, officer: User) -> None:
    client = _signed_in(officer)
    detail = client.get(f"/workspace/commitments/{commitment.pk}/").content.decode()
    assert 'data-confirm="确定认定该承诺违诺' in detail
    response = client.post(f"/workspace/commitments/{commitment.pk}/breach/",
                           {"outcome": "broken", "document_no": "厦发改认〔2026〕8号", "reasons": "未补交"})  # fmt: skip
    assert response.status_code == 302
    assert CreditRecord.objects.filter(kind_code="commitment_breach", subject_code=COMPANY_USCC).count() == 1
    after = client.get(f"/workspace/commitments/{commitment.pk}/").content.decode()
    assert (
        "未践诺（违诺）" in after and "data-confirm" not in after.split("<main>")[1].split("<h2>办理记录")[0]
    )


def test_the_officer_checks_notification_commitment_eligibility(
    commitment: Commitment, officer: User
) -> None:
    page = _signed_in(officer).get(f"/workspace/commitments/eligibility/?subject={COMPANY_USCC}")
    assert page.status_code == 200 and "可以适用告知承诺" in page.content.decode()


def test_my_commitments_for_the_subject(company: User, commitment: Commitment) -> None:
    page = _signed_in(company).get("/account/commitments/").content.decode()
    assert commitment.number in page and "粮食收购资格认定" in page


def test_subjects_and_anonymous_visitors_do_not_get_the_workspace(
    company: User, commitment: Commitment
) -> None:
    assert _signed_in(company).get("/workspace/commitments/").status_code == 404
    assert _signed_in(company).get(f"/workspace/commitments/{commitment.pk}/").status_code == 404
    assert Client().get("/workspace/commitments/").status_code == 302
