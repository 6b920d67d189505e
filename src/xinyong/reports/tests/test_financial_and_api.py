"""The financial edition waits for each department's confirmation; the API and pages follow the same rules."""

from __future__ import annotations

import pytest
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona
from xinyong.core import clock
from xinyong.reports.models import Confirmation, FinancialListEntry, Report
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(penalised: ProviderPersona) -> None:
    FinancialListEntry.objects.create(
        subject_code=COMPANY_USCC, name="厦门鹭江贸易有限公司", added_at=clock.now()
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _clerk(bureau: ProviderPersona) -> User:
    return User.objects.create_user("clerk", kind=User.Kind.PROVIDER, provider=bureau.provider)


def test_the_financial_edition_issues_when_every_department_has_answered(
    listed: None, penalised: ProviderPersona, company: User
) -> None:
    created = _client(company).post(
        "/api/v1/reports", {"subject": COMPANY_USCC, "edition": "financial"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "awaiting"
    assert _client(company).get(body["pdf"]).json()["code"] == "report.not_ready"
    confirmation = Confirmation.objects.get()
    assert confirmation.provider == penalised.provider
    clerk = _client(_clerk(penalised))
    inbox = clerk.get("/reports/confirmations/")
    assert body["number"] in inbox.content.decode()
    refused = clerk.post(
        f"/reports/confirmations/{confirmation.pk}/", {"answer": "refer", "instructions": ""}
    )
    assert refused.status_code == 302 and Confirmation.objects.get().state == "pending"
    too_long = clerk.post(
        f"/reports/confirmations/{confirmation.pk}/", {"answer": "refer", "instructions": "请" * 501}
    )
    assert too_long.status_code == 302 and Confirmation.objects.get().state == "pending"
    clerk.post(
        f"/reports/confirmations/{confirmation.pk}/",
        {"answer": "refer", "instructions": "请到湖滨北路市民中心3号窗口办理"},
    )
    report = Report.objects.get()
    assert report.state == Report.State.ISSUED
    pdf = _client(company).get(body["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="reports.download", object_id=report.number).exists()
    assert AuditEntry.objects.filter(action="reports.refer").exists()


def test_a_department_cannot_answer_twice_or_for_another(
    listed: None, penalised: ProviderPersona, company: User, tax_bureau: ProviderPersona
) -> None:
    _client(company).post(
        "/api/v1/reports", {"subject": COMPANY_USCC, "edition": "financial"}, content_type="application/json"
    )
    confirmation = Confirmation.objects.get(provider=penalised.provider)
    other = User.objects.create_user("taxclerk", kind=User.Kind.PROVIDER, provider=tax_bureau.provider)
    assert (
        _client(other).post(f"/reports/confirmations/{confirmation.pk}/", {"answer": "confirm"}).status_code
        == 404
    )
    clerk = _client(_clerk(penalised))
    clerk.post(f"/reports/confirmations/{confirmation.pk}/", {"answer": "confirm"})
    clerk.post(f"/reports/confirmations/{confirmation.pk}/", {"answer": "refer", "instructions": "x"})
    assert Confirmation.objects.get(pk=confirmation.pk).state == "confirmed"


def test_the_api_refuses_without_a_session_and_with_bad_input(
    penalised: ProviderPersona, company: User
) -> None:
    anonymous = Client().post("/api/v1/reports", {"subject": COMPANY_USCC}, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "auth.required"
    bad = _client(company).post(
        "/api/v1/reports", {"subject": COMPANY_USCC, "years": 4}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "years"
    assert not Report.objects.exists()


def test_only_the_requester_and_the_subject_may_download(penalised: ProviderPersona, company: User) -> None:
    body = (
        _client(company)
        .post("/api/v1/reports", {"subject": COMPANY_USCC}, content_type="application/json")
        .json()
    )
    stranger = User.objects.create_user("stranger", kind=User.Kind.SUBJECT)
    assert _client(stranger).get(body["pdf"]).status_code == 404
    assert _client(stranger).get(f"/reports/{body['number']}/").status_code == 404
    assert _client(company).get(f"/reports/{body['number']}/pdf").status_code == 200


def test_the_subject_requests_and_downloads_from_the_portal(
    penalised: ProviderPersona, company: User
) -> None:
    client = _client(company)
    response = client.post("/reports/", {"edition": "special", "years": "3"})
    assert response.status_code == 302
    report = Report.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert report.number in page and report.verification_code in page
    assert client.get(f"/reports/{report.number}/pdf").status_code == 200


def test_the_api_needs_the_csrf_token_of_the_session(penalised: ProviderPersona, company: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(company)
    # A form on another site can post text/plain: refused without the token, nothing issued.
    forged = client.post("/api/v1/reports", f'{{"subject": "{COMPANY_USCC}"}}', content_type="text/plain")
    assert forged.status_code == 403 and forged.json()["code"] == "request.csrf_failed"
    assert not Report.objects.exists()


def test_a_second_requester_gets_a_report_of_their_own(penalised: ProviderPersona, company: User) -> None:
    unit = Unit.objects.create(code=complete_uscc("1135020000987654"), name="发改委", purposes=["personnel"])
    officer = User.objects.create_user("officer", kind=User.Kind.UNIT, unit=unit)
    mine = _client(company).post(
        "/api/v1/reports", {"subject": COMPANY_USCC}, content_type="application/json"
    )
    theirs = _client(officer).post(
        "/api/v1/reports", {"subject": COMPANY_USCC, "purpose": "personnel"}, content_type="application/json"
    )
    assert theirs.status_code == 201 and theirs.json()["number"] != mine.json()["number"]
    assert _client(officer).get(theirs.json()["pdf"]).status_code == 200


def test_a_refusal_does_not_say_whether_a_code_is_on_the_platform(db: None) -> None:
    unit = Unit.objects.create(code=complete_uscc("1135020000987654"), name="发改委", purposes=["personnel"])
    officer = _client(User.objects.create_user("officer", kind=User.Kind.UNIT, unit=unit))
    known = officer.post("/api/v1/reports", {"subject": COMPANY_USCC}, content_type="application/json")
    unknown = officer.post("/api/v1/reports", {"subject": PERSON_ID}, content_type="application/json")
    assert known.json()["code"] == unknown.json()["code"] == "query.purpose_required"
