"""Who may open a warning, record an interview and decide its outcome: every persona against every
object route of supervision (the list routes are in the permission matrix). Warnings are never public;
"谁认定、谁约谈": only a department with a record in the warning interviews on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, Unit, User
from xinyong.catalog.models import Provider
from xinyong.catalog.services import issue_key
from xinyong.conftest import COMPANY_USCC, centre_staff
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import complete_uscc
from xinyong.supervision.interviews import record_interview
from xinyong.supervision.models import Interview, RiskWarning
from xinyong.supervision.tests.conftest import Department, penalties

pytestmark = pytest.mark.django_db
LATER = "2026-11-23 15:00 +0800"


@pytest.fixture
def world(departments: list[Department]) -> dict[str, Any]:
    for department in departments:
        penalties(department, 1, "2026-06-01")
    warning = RiskWarning.objects.get()
    with time_machine.travel(LATER, tick=False):
        held = record_interview(actor=departments[0].clerk, warning=warning, type="reminder",
                                held_on=dt.date(2026, 11, 23), place="会议室", attendees="甲、乙",
                                obligations="整改", deadline=dt.date(2026, 12, 31))  # fmt: skip
    outsider = Provider.objects.create(
        code=complete_uscc("1135020001111111"), name="厦门市体育局", created_at=warning.raised_at
    )
    # A government unit that is also the environment department (same USCC) and one that is not.
    env_unit = Unit.objects.create(code=departments[1].code, name="厦门市生态环境局")
    other_unit = Unit.objects.create(code=complete_uscc("1135020000987654"), name="厦门市发展和改革委员会")
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=company.pk).update(subject_code=COMPANY_USCC, verified_at="2026-11-01T00:00:00Z")
    people = {
        "anonymous": None,
        "company": User.objects.get(pk=company.pk),
        "market_clerk": departments[0].clerk,
        "outsider_clerk": User.objects.create_user("tyj", kind=User.Kind.PROVIDER, provider=outsider),
        "env_officer": User.objects.create_user("sthj", kind=User.Kind.UNIT, unit=env_unit),
        "other_officer": User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=other_unit),
        "centre": centre_staff("centre", Role.OBJECTION_HANDLER),
    }
    keys = {"construction_key": issue_key(departments[2].provider), "outsider_key": issue_key(outsider)}
    return {"warning": warning, "interview": held, "people": people, "keys": keys}


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


INTERVIEW_FORM = {"type": "caution", "held_on": "2026-11-23", "place": "会议室", "attendees": "甲", "obligations": "整改",
                  "deadline": "2026-12-31"}  # fmt: skip


def test_the_warning_and_interview_pages_are_for_government_and_the_centre(world: dict[str, Any]) -> None:
    readers = {"market_clerk", "env_officer", "other_officer", "centre"}
    for name, user in world["people"].items():
        with time_machine.travel(LATER, tick=False):
            client = client_of(user)
            page = client.get(f"/supervision/warnings/{world['warning'].pk}/")
            held = client.get(f"/supervision/interviews/{world['interview'].pk}/")
        expected = 200 if name in readers else (302 if user is None else 404)
        assert (page.status_code, held.status_code) == (expected, expected), name
        if expected == 200:
            assert ("录入约谈" in page.content.decode()) is (name in {"market_clerk", "env_officer"}), name


def test_an_outsider_department_sees_no_warning_it_has_no_record_in(world: dict[str, Any]) -> None:
    with time_machine.travel(LATER, tick=False):
        listing = client_of(world["people"]["outsider_clerk"]).get("/supervision/warnings/")
    assert listing.status_code == 200
    assert COMPANY_USCC not in listing.content.decode()


def test_only_a_department_in_the_warning_records_an_interview_on_the_page(world: dict[str, Any]) -> None:
    outcomes = {}
    for name, user in world["people"].items():
        with time_machine.travel(LATER, tick=False):
            response = client_of(user).post(
                f"/supervision/warnings/{world['warning'].pk}/interviews/", INTERVIEW_FORM
            )
        outcomes[name] = response.status_code
    assert outcomes == {
        "anonymous": 302, "company": 404, "market_clerk": 302, "outsider_clerk": 404, "env_officer": 302,
        "other_officer": 403, "centre": 404,
    }  # fmt: skip
    assert Interview.objects.count() == 3  # the fixture's, the market clerk's, the environment officer's


def test_only_a_department_in_the_warning_records_an_interview_through_the_api(world: dict[str, Any]) -> None:
    path = f"/api/v1/warnings/{world['warning'].pk}/interviews"
    outcomes = {}
    for name, key in [("anonymous", ""), *world["keys"].items()]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        with time_machine.travel(LATER, tick=False):
            response = Client().post(path, INTERVIEW_FORM, content_type="application/json", headers=headers)
        outcomes[name] = response.status_code
    assert outcomes == {"anonymous": 401, "construction_key": 201, "outsider_key": 403}


def test_only_the_interviewing_department_decides_the_outcome_on_the_page(world: dict[str, Any]) -> None:
    path = f"/supervision/interviews/{world['interview'].pk}/outcome/"
    for name in ("env_officer", "centre", "company"):
        with time_machine.travel(LATER, tick=False):
            response = client_of(world["people"][name]).post(path, {"outcome": "rectified", "note": "已整改"})
        assert response.status_code in (403, 404), name
    with time_machine.travel(LATER, tick=False):
        done = client_of(world["people"]["market_clerk"]).post(
            path, {"outcome": "rectified", "note": "已整改"}
        )
    assert done.status_code == 302
    assert Interview.objects.get(pk=world["interview"].pk).state == Interview.State.RECTIFIED


def test_an_interview_on_a_record_is_for_the_department_that_decided_it(world: dict[str, Any]) -> None:
    decided = CreditRecord.objects.filter(
        provider__code=world["people"]["market_clerk"].provider.code
    ).first()
    assert decided is not None
    outcomes = {}
    for name, user in world["people"].items():
        with time_machine.travel(LATER, tick=False):
            outcomes[name] = client_of(user).get(f"/supervision/records/{decided.pk}/interview/").status_code
    assert outcomes == {
        "anonymous": 302, "company": 404, "market_clerk": 200, "outsider_clerk": 404, "env_officer": 404,
        "other_officer": 404, "centre": 404,
    }  # fmt: skip
