"""GET /api/v1/subjects/{code} and /api/v1/publicity/…: what a caller sees follows its credentials."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona, penalty, person_penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def records(client: Client, market_bureau: ProviderPersona) -> Any:
    with travel_to("2026-11-22 10:00"):
        market_bureau.post(
            client,
            [
                penalty(处罚类别="通报批评"),
                penalty(
                    行政处罚决定书文号="厦市监罚〔2026〕7号", 处罚类别="警告"
                ),  # not published (总局令第45号)
                person_penalty(),
            ],
        )
    with travel_to(NOW):
        yield


def test_anonymous_callers_get_the_public_view(client: Client) -> None:
    body = client.get(f"/api/v1/subjects/{COMPANY_USCC}").json()

    assert body["audience"] == "public"
    assert [r["key"] for r in body["records"]] == ["厦市监罚〔2026〕101号"]
    assert body["records"][0]["explanation"].startswith("公示至 2027-02-01")
    assert not AuditEntry.objects.filter(action__startswith="subject.view").exists()


def test_a_person_has_no_public_entry(client: Client) -> None:
    assert client.get(f"/api/v1/subjects/{PERSON_ID}").status_code == 404


def test_a_unit_officer_sees_the_government_view_on_the_record(client: Client) -> None:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"), name="厦门市发展和改革委员会", purposes=["commendation"]
    )
    client.force_login(User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit))

    body = client.get(f"/api/v1/subjects/{COMPANY_USCC}?purpose=commendation").json()

    assert body["audience"] == "government"
    assert {r["state"] for r in body["records"]} == {"公示中", "不予公示"}
    assert (
        AuditEntry.objects.filter(action="subject.view_nonpublic", unit="厦门市发展和改革委员会").count() == 1
    )


def _officer(client: Client) -> None:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"), name="发改委", purposes=["commendation"]
    )
    client.force_login(User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit))


def test_without_a_purpose_a_unit_officer_gets_the_public_view(client: Client) -> None:
    _officer(client)

    response = client.get(f"/api/v1/subjects/{COMPANY_USCC}")

    assert (response.status_code, response.json()["audience"]) == (200, "public")
    assert [r["key"] for r in response.json()["records"]] == ["厦市监罚〔2026〕101号"]
    assert not AuditEntry.objects.filter(action__startswith="subject.view").exists()


def test_a_purpose_outside_the_units_duties_is_still_refused(client: Client) -> None:
    _officer(client)

    response = client.get(f"/api/v1/subjects/{COMPANY_USCC}?purpose=tax")

    assert (response.status_code, response.json()["code"]) == (403, "query.purpose_not_allowed")


@pytest.mark.parametrize("kind", ["subject", "provider"])
def test_a_signed_in_account_without_a_basis_gets_the_public_view(
    client: Client, market_bureau: ProviderPersona, kind: str
) -> None:
    """GIVEN another company's verified account, or provider staff WHEN they open a company's page
    THEN they see what anyone sees (it used to be 403 query.no_basis)."""
    account = {
        "subject": {
            "kind": User.Kind.SUBJECT,
            "subject_code": complete_uscc("9135020699999999"),
            "verified_at": NOW,
        },
        "provider": {"kind": User.Kind.PROVIDER, "provider": market_bureau.provider},
    }[kind]
    client.force_login(User.objects.create_user("other", **account))  # type: ignore[arg-type]  # keyword fields

    response = client.get(f"/api/v1/subjects/{COMPANY_USCC}")

    assert (response.status_code, response.json()["audience"]) == (200, "public")


def test_the_penalty_list_pages_with_masked_people(client: Client) -> None:
    body = client.get("/api/v1/publicity/penalties?per_page=1").json()

    assert (body["total"], body["pages"], len(body["items"])) == (2, 2, 1)
    second = client.get("/api/v1/publicity/penalties?per_page=1&page=2").json()["items"][0]
    people = [i for i in (body["items"][0], second) if i["subject_code"] != COMPANY_USCC]
    assert people[0]["subject_name"] == "林**" and PERSON_ID not in str(people)


def test_a_bad_filter_is_a_400_with_a_code(client: Client) -> None:
    response = client.get("/api/v1/publicity/penalties?since=yesterday")

    assert (response.status_code, response.json()["code"]) == (400, "request.invalid")
