"""The commitments API: record, list, fulfil, breach, with the platform's error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.commitments.models import Commitment
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _payload(**changes: Any) -> dict[str, Any]:
    return {
        "subject_code": COMPANY_USCC, "subject_name": "厦门鹭江贸易有限公司", "subject_kind": "organisation",
        "legal_representative": "陈志明", "type": "approval_substitute/fault_tolerant_acceptance",
        "matter": "建设工程规划许可", "content": "承诺30日内补交地形图。", "made_on": "2026-11-20",
        "deadline": "2026-12-20",
    } | changes  # fmt: skip


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(
        path, json.dumps(body, ensure_ascii=False), content_type="application/json", headers=headers
    )


def test_a_unit_officer_records_fulfils_and_lists(officer: User) -> None:
    client = _signed_in(officer)
    created = _post(client, "/api/v1/commitments", _payload())
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["type_name"], body["countdown"]) == (
        "pending",
        "审批替代型-容缺受理",
        "剩余 28 天",
    )
    done = _post(client, f"/api/v1/commitments/{body['id']}/fulfilment", {"note": "已补交"})
    assert done.status_code == 200 and done.json()["state_label"] == "已践诺"
    listed = client.get(f"/api/v1/commitments?subject={COMPANY_USCC}").json()
    assert [c["number"] for c in listed] == [body["number"]]


def test_a_provider_system_records_and_breaches_with_its_key(market_bureau: ProviderPersona) -> None:
    auth = {"Authorization": f"Bearer {market_bureau.key}"}
    created = _post(Client(), "/api/v1/commitments", _payload(), **auth).json()
    path = f"/api/v1/commitments/{created['id']}/breach"
    body = {"outcome": "false", "reasons": "地形图系伪造", "document_no": "厦市监认〔2026〕5号"}
    broken = _post(Client(), path, body, **auth)
    assert broken.status_code == 200 and broken.json()["breach_record_id"]
    again = _post(Client(), path, body, **auth)
    assert again.status_code == 409
    assert again.json()["code"] == "workflow.transition_not_allowed"
    assert set(again.json()) == {"code", "field", "row", "message"}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (_payload(deadline=None), 400, "commitments.deadline_required", "deadline"),
        (_payload(type="pledge"), 400, "commitments.type_unknown", "type"),
        (_payload(made_on="2026-13-01"), 400, "request.invalid", "made_on"),
        ({"subject_code": COMPANY_USCC}, 400, "request.invalid", "subject_kind"),
        (_payload(domain=99), 400, "commitments.no_domain", "domain"),
        # Before the first version of rule commitments.types: the caller's date, not a server error.
        (_payload(made_on="2018-12-31", deadline="2019-01-31"), 400, "commitments.date_invalid", "made_on"),
        # Only registered subjects, under their registered name and kind (S2).
        (_payload(subject_code=OTHER_COMPANY_USCC), 400, "commitments.subject_unknown", "subject_code"),
        (_payload(subject_name="厦门鹭江贸易公司"), 400, "commitments.subject_mismatch", "subject_name"),
        (_payload(subject_kind="individual_business"), 400, "commitments.subject_mismatch", "subject_kind"),
        (_payload(domain=25), 400, "commitments.no_domain", "domain"),  # not one of the unit's domains
        # Longer than the columns: refused before the database (PostgreSQL would raise, a 500).
        (_payload(matter="事" * 501), 400, "request.invalid", "matter"),
        (_payload(legal_representative="张" * 101), 400, "request.invalid", "legal_representative"),
    ],
)
def test_bad_requests_get_a_stable_code_and_change_nothing(
    officer: User, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    response = _post(_signed_in(officer), "/api/v1/commitments", body)
    assert response.status_code == status
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert not Commitment.objects.exists()
    assert not Subject.objects.filter(code=OTHER_COMPANY_USCC).exists()  # a commitment creates no subject


def test_the_first_day_of_the_types_rule_is_accepted(officer: User) -> None:
    response = _post(_signed_in(officer), "/api/v1/commitments", _payload(made_on="2019-01-01"))
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("CN2019")


def test_the_name_is_taken_from_the_registry(officer: User) -> None:
    response = _post(_signed_in(officer), "/api/v1/commitments", _payload(subject_name=""))
    assert response.status_code == 201, response.content
    c = Commitment.objects.get()
    assert c.subject_name == "厦门鹭江贸易有限公司"


def test_a_session_without_the_csrf_token_is_refused_with_403(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    refused = _post(client, "/api/v1/commitments", _payload())
    assert refused.status_code == 403
    assert refused.json()["code"] == "request.csrf_failed"
    assert not Commitment.objects.exists()
    client.get("/workspace/commitments/new/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    created = _post(client, "/api/v1/commitments", _payload(), **{"X-CSRFToken": token})
    assert created.status_code == 201, created.content
    path = f"/api/v1/commitments/{created.json()['id']}/fulfilment"
    assert _post(client, path, {}).json()["code"] == "request.csrf_failed"


def test_a_subject_cannot_record_and_sees_only_its_own(company: User, commitment: Commitment) -> None:
    client = _signed_in(company)
    refused = _post(client, "/api/v1/commitments", _payload())
    assert refused.status_code == 403 and refused.json()["code"] == "commitments.not_allowed"
    assert [c["id"] for c in client.get("/api/v1/commitments").json()] == [commitment.pk]
    assert _post(client, f"/api/v1/commitments/{commitment.pk}/fulfilment", {}).status_code == 403


def test_another_unit_gets_404_for_a_commitment_it_did_not_accept(
    commitment: Commitment, market_bureau: ProviderPersona
) -> None:
    response = _post(Client(), f"/api/v1/commitments/{commitment.pk}/fulfilment", {},
                     Authorization=f"Bearer {market_bureau.key}")  # fmt: skip
    assert response.status_code == 404 and response.json()["code"] == "request.not_found"


def test_anonymous_callers_are_refused() -> None:
    response = _post(Client(), "/api/v1/commitments", _payload())
    assert response.status_code == 401 and response.json()["code"] == "auth.required"
