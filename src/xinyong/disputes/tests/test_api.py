"""The objection API: filing by the subject, a case for each party to it, the centre's paged list, and
every refusal in the platform's error envelope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.core.testing import travel_to
from xinyong.disputes.models import Objection
from xinyong.disputes.services import forward_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> object:
    with travel_to(MONDAY):
        yield


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/objections", json.dumps(body, ensure_ascii=False), content_type="application/json"
    )


def body(record: CreditRecord, **changes: Any) -> dict[str, Any]:
    return {"record_id": record.pk, "grounds": "error", "statement": "罚款金额有误", **changes}


def test_a_subject_files_and_reads_its_case(record: CreditRecord, company: User) -> None:
    client = signed_in(company)
    response = post(client, body(record, requested_correction="罚款1万元"))
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["number"] == "YY20261123-0001"
    assert (case["state"], case["state_label"], case["record_key"]) == (
        "accepted", "已受理，信用中心比对中", record.key,
    )  # fmt: skip
    assert case["deadlines"] == {
        "compare_due": "2026-11-25", "provider_due": None, "process_due": None, "overall_due": "2026-12-01",
        "rule": "objection.deadlines@1", "step_due": "2026-11-25", "step_remaining_working_days": 2,
        "overall_remaining_working_days": 6, "overdue": False,
    }  # fmt: skip
    assert [e["action"] for e in case["events"]] == ["filed"]
    assert client.get(f"/api/v1/objections/{case['number']}").json() == case


def test_each_party_and_nobody_else_reads_the_case(
    record: CreditRecord, company: User, other_company: User, clerk: User, handler: User, auditor: User
) -> None:
    number = post(signed_in(company), body(record)).json()["number"]
    url = f"/api/v1/objections/{number}"
    assert signed_in(handler).get(url).status_code == 200
    assert signed_in(clerk).get(url).status_code == 404  # not forwarded to the provider yet
    forward_objection(Objection.objects.get(number=number), actor=handler)
    assert signed_in(clerk).get(url).json()["state"] == "forwarded"
    for outsider in (other_company, auditor):
        response = signed_in(outsider).get(url)
        assert (response.status_code, response.json()["code"]) == (404, "request.not_found")
    response = Client().get(url)
    assert (response.status_code, response.json()["code"]) == (401, "auth.required")


def test_reads_by_anyone_but_the_subject_are_audited(
    record: CreditRecord, company: User, clerk: User, handler: User
) -> None:
    number = post(signed_in(company), body(record)).json()["number"]
    url = f"/api/v1/objections/{number}"
    reads = AuditEntry.objects.filter(action="objection.view")
    assert signed_in(company).get(url).status_code == 200
    assert not reads.exists()  # the subject reading its own case
    assert signed_in(handler).get(url).status_code == 200
    forward_objection(Objection.objects.get(number=number), actor=handler)
    assert signed_in(clerk).get(url).status_code == 200
    assert [(e.actor_name, e.subject_code, e.object_id) for e in reads.order_by("seq")] == [
        ("yiyi", record.subject_code, number), ("scjg", record.subject_code, number),
    ]  # fmt: skip
    assert signed_in(clerk).get("/api/v1/objections/YY20261123-0099").status_code == 404
    assert reads.count() == 2  # a refused read shows nothing and logs nothing


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"statement": "  "}, 400, "objection.statement_required"),
        ({"grounds": "mood"}, 400, "request.invalid"),
        ({"statement": "金额\x00有误"}, 400, "request.invalid"),  # PostgreSQL refuses NUL in text
        ({"record_id": 999999}, 404, "request.not_found"),
    ],
)
def test_bad_filings_are_refused(
    record: CreditRecord, company: User, changes: dict[str, Any], status: int, code: str
) -> None:
    response = post(signed_in(company), body(record, **changes))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert set(response.json()) == {"code", "field", "row", "message"}
    assert not Objection.objects.exists()


def test_filing_refusals_by_who_asks(record: CreditRecord, other_company: User, handler: User) -> None:
    # Another subject's record answers exactly as an unknown id does: no oracle of what exists.
    response = post(signed_in(other_company), body(record))
    unknown = post(signed_in(other_company), body(record, record_id=999999))
    assert (response.status_code, response.json()["code"]) == (404, "request.not_found")
    assert response.json() == unknown.json()
    response = post(signed_in(handler), body(record))
    assert (response.status_code, response.json()["code"]) == (403, "objection.not_allowed")
    response = post(Client(), body(record))
    assert (response.status_code, response.json()["code"]) == (401, "auth.required")
    assert not Objection.objects.exists()


def test_a_second_open_objection_is_a_conflict(record: CreditRecord, company: User) -> None:
    client = signed_in(company)
    first = post(client, body(record)).json()["number"]
    response = post(client, body(record))
    assert (response.status_code, response.json()["code"]) == (409, "objection.already_open")
    assert first in response.json()["message"]


def test_a_session_post_needs_the_csrf_token(record: CreditRecord, company: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(company)
    response = post(client, body(record))
    assert (response.status_code, response.json()["code"]) == (403, "request.csrf_failed")
    assert not Objection.objects.exists()
    client.get("/account/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/objections",
        json.dumps(body(record)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_the_centre_lists_cases_by_state_and_overdue(
    market_bureau: Any, record: CreditRecord, company: User, handler: User
) -> None:
    from xinyong.disputes.tests.conftest import post_penalty

    second = post_penalty(market_bureau, MONDAY, 行政处罚决定书文号="厦市监罚〔2026〕102号")
    client = signed_in(company)
    first_number = post(client, body(record)).json()["number"]
    post(client, body(second))
    forward_objection(Objection.objects.get(number=first_number), actor=handler)
    centre = signed_in(handler)
    listing = centre.get("/api/v1/objections?per_page=1").json()
    assert (listing["count"], listing["pages"], len(listing["items"])) == (2, 2, 1)
    assert listing["items"][0]["events"] == []  # the list leaves out each case's history
    forwarded = centre.get("/api/v1/objections?state=forwarded").json()
    assert [i["number"] for i in forwarded["items"]] == [first_number]
    assert centre.get("/api/v1/objections?overdue=true").json()["count"] == 0
    with travel_to("2026-11-25 09:00"):  # both steps are due today
        assert signed_in(handler).get("/api/v1/objections?overdue=true").json()["count"] == 0
    with travel_to("2026-11-26 09:00"):
        late = signed_in(handler).get("/api/v1/objections?overdue=true").json()
    assert [i["deadlines"]["overdue"] for i in late["items"]] == [True, True]
    # Once a step is overdue its remaining days are null (core.calendar's countdown counts negative).
    assert [i["deadlines"]["step_remaining_working_days"] for i in late["items"]] == [None, None]
    assert [i["deadlines"]["overall_remaining_working_days"] for i in late["items"]] == [3, 3]
    response = signed_in(company).get("/api/v1/objections")
    assert (response.status_code, response.json()["code"]) == (403, "objection.not_allowed")


def test_the_openapi_document_describes_the_endpoints() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/objections", "/api/v1/objections/{number}"} <= set(spec["paths"])
