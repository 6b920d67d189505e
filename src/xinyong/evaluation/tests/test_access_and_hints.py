"""Who sees a grade (GET /api/v1/subjects/{code}/evaluation), on the audit trail, and the hints the subject
gets: re-scored as if an indicator's records were repaired or removed."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, Unit, User
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Domain
from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.evaluation.services import evaluate
from xinyong.evaluation.tests.conftest import DAY, a_penalty, at_noon, company, listing, send
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
SERIOUS, LISTED = company(31), company(32)


@pytest.fixture
def graded(market_bureau: ProviderPersona) -> None:
    send(market_bureau, "penalty", [a_penalty(SERIOUS, "A-1", "2026-06-01", "严重")])
    send(market_bureau, "serious_dishonesty_list", [listing(LISTED, "A-2", "2025-03-01")])
    with time_machine.travel(at_noon(DAY), tick=False):
        evaluate()


def account(code: str) -> User:
    user = User.objects.create_user(f"u{code[-4:]}", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=user.pk).update(subject_code=code, verified_at="2026-11-01T00:00:00Z")
    return User.objects.get(pk=user.pk)


def officer() -> User:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    unit.domains.add(Domain.objects.get(number=2))
    return User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit)


def get(user: User | None, code: str, purpose: str = "") -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    with time_machine.travel(at_noon(DAY), tick=False):
        return client.get(f"/api/v1/subjects/{code}/evaluation", {"purpose": purpose} if purpose else {})


def test_the_subject_sees_its_grade_and_what_would_change_it(graded: None) -> None:
    response = get(account(SERIOUS), SERIOUS)

    body = response.json()
    assert (response.status_code, body["grade"], body["score"], body["basis"]) == (200, "C", 65, "self")
    serious = next(i for i in body["indicators"] if i["code"] == "penalty_serious")
    assert (serious["count"], serious["points"]) == (1, -15)
    assert serious["hint"] == "如完成信用修复，预计等级升至 B（得分 80）"
    assert AuditEntry.objects.filter(
        action="evaluation.view", subject_code=SERIOUS, purpose="本人查询"
    ).exists()


def test_removal_from_a_serious_list_is_the_hint_for_a_listed_subject(graded: None) -> None:
    body = get(account(LISTED), LISTED).json()

    assert (body["grade"], body["override"]) == ("D", "列入严重失信主体名单且未移出的，评价为D级")
    listed = next(i for i in body["indicators"] if i["code"] == "serious_list")
    assert listed["hint"] == "如被移出名单或解除，预计等级升至 B（得分 80）"


def test_a_unit_sees_a_grade_for_a_legal_purpose_without_hints(graded: None) -> None:
    unit_officer = officer()

    refused = get(unit_officer, SERIOUS)
    response = get(unit_officer, SERIOUS, "licensing_inspection_penalty")

    assert (refused.status_code, refused.json()["code"]) == (400, "query.purpose_required")
    assert (response.status_code, response.json()["basis"]) == (200, "purpose")
    assert all(i["hint"] == "" for i in response.json()["indicators"])
    entry = AuditEntry.objects.get(action="evaluation.view", subject_code=SERIOUS)
    assert entry.purpose.startswith("licensing_inspection_penalty")


def test_staff_see_every_grade(graded: None) -> None:
    response = get(centre_staff("c1", Role.AUDITOR), LISTED)

    assert (response.status_code, response.json()["basis"]) == (200, "staff")


@pytest.mark.parametrize("who", ["public", "other company"])
def test_the_public_and_other_companies_never_see_a_grade(graded: None, who: str) -> None:
    response = get(None if who == "public" else account(LISTED), SERIOUS)

    assert response.status_code == 403
    assert response.json()["code"] == ("evaluation.not_public" if who == "public" else "query.no_basis")
    assert "grade" not in response.json()


def test_a_subject_not_yet_evaluated_is_not_found(graded: None) -> None:
    response = get(centre_staff("c2", Role.AUDITOR), company(99))

    assert (response.status_code, response.json()["code"]) == (404, "evaluation.not_evaluated")


def test_the_subject_page_shows_the_grade_and_the_hint(graded: None) -> None:
    client = Client()
    client.force_login(account(SERIOUS))
    with time_machine.travel(at_noon(DAY), tick=False):
        page = client.get("/account/evaluation/").content.decode()

    assert "信用等级：C" in page
    assert "如完成信用修复，预计等级升至 B（得分 80）" in page
