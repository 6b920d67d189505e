"""The counter check (嵌入式核查): each scenario's measures on the personas, the person linkage through
dates, the refusals, and the audit trail the subject sees."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.disclosure.queries import lookups_of
from xinyong.measures.links import rebuild_all
from xinyong.measures.models import PersonLink
from xinyong.measures.services import check_subject
from xinyong.measures.tests.personas import (
    CLEAN_USCC,
    CONTROLLER_ID,
    CURRENT_REP_ID,
    FORMER_REP_ID,
    NOW,
    STRANGER_ID,
    build_city,
    post,
    serious_listing,
    unit_officer,
)  # fmt: skip
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
BIDDING = "procurement_bidding_funding_land_research"
LICENSING = "licensing_inspection_penalty"


@pytest.fixture
def officer(market_bureau: ProviderPersona) -> User:
    build_city(market_bureau)
    return unit_officer()


def measures(officer: User, code: str, scenario: str, purpose: str = BIDDING) -> dict[str, list[str]]:
    """measure code → the reasons' texts."""
    with time_machine.travel(NOW, tick=False):
        check = check_subject(officer, code, scenario, purpose)
    return {m["code"]: [r["text"] for r in m["reasons"]] for m in check.result["measures"]}


# --- each scenario on the personas ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scenario", "purpose", "listed", "red"),
    [
        ("bidding", BIDDING, {"bidding.restrict_serious"}, set()),
        ("procurement", BIDDING, {"procurement.bar_serious"}, set()),
        ("funding", BIDDING, {"funding.restrict_serious"}, {"funding.priority_red"}),
        ("honours", "commendation", {"honours.bar_serious"}, set()),
        ("approval", LICENSING, {"approval.no_notification_commitment", "approval.scrutiny_serious"},
         {"approval.green_channel", "approval.tolerance"}),
        ("state_assets", BIDDING, {"state_assets.restrict_serious"}, set()),
        ("civil_service", "personnel", {"civil_service.bar_serious"}, set()),
        ("market_entry", LICENSING, {"market_entry.restrict_serious"}, set()),
        ("inspection", LICENSING, {"inspection.more"}, {"inspection.fewer"}),
    ],
)  # fmt: skip
def test_each_scenario_answers_its_measures_for_each_company(
    officer: User, scenario: str, purpose: str, listed: set[str], red: set[str]
) -> None:
    if purpose not in officer.unit.purposes:  # type: ignore[union-attr]
        officer.unit.purposes.append(purpose)  # type: ignore[union-attr]
        officer.unit.save()  # type: ignore[union-attr]
    assert set(measures(officer, COMPANY_USCC, scenario, purpose)) == listed
    assert set(measures(officer, OTHER_COMPANY_USCC, scenario, purpose)) == red
    assert measures(officer, CLEAN_USCC, scenario, purpose) == {}  # its listing was removed in 2022


def test_a_measure_names_its_trigger_record_and_list(officer: User) -> None:
    (reason,) = measures(officer, COMPANY_USCC, "bidding")["bidding.restrict_serious"]
    assert reason == "列入失信被执行人（（2026）闽02执88号，2026-06-01）"


# --- persons linked to the company ------------------------------------------------------------------------
def test_the_legal_representative_at_the_listing_is_reached_through_the_company(officer: User) -> None:
    (reason,) = measures(officer, CURRENT_REP_ID, "bidding")["bidding.restrict_serious"]
    assert reason.startswith("担任法定代表人的 厦门鹭江贸易有限公司列入失信被执行人")


def test_a_legal_representative_who_left_before_the_listing_is_not_reached(officer: User) -> None:
    assert measures(officer, FORMER_REP_ID, "bidding") == {}


def test_the_actual_controller_is_reached_only_where_the_measure_names_that_role(officer: User) -> None:
    assert "bidding.restrict_serious" in measures(officer, CONTROLLER_ID, "bidding")
    # 政府采购 reaches legal representatives and principals only.
    assert measures(officer, CONTROLLER_ID, "procurement") == {}


def test_a_measure_the_catalogue_does_not_extend_to_persons_reaches_no_one_through_a_company(
    officer: User,
) -> None:
    assert measures(officer, CURRENT_REP_ID, "approval", LICENSING) == {}
    assert measures(officer, STRANGER_ID, "bidding") == {}


def test_links_follow_the_registrations(officer: User) -> None:
    spans = {
        (link.person_code, link.role): (str(link.started_on), str(link.ended_on))
        for link in PersonLink.objects.filter(organisation_code=COMPANY_USCC, source="registration")
    }
    assert spans == {
        (FORMER_REP_ID, "legal_representative"): ("2024-01-10", "2025-03-01"),
        (CURRENT_REP_ID, "legal_representative"): ("2025-03-01", "None"),
        (CONTROLLER_ID, "actual_controller"): ("2024-01-10", "None"),
    }
    assert rebuild_all() == PersonLink.objects.count()
    out = io.StringIO()
    call_command("measures", "relink", stdout=out)
    assert f"已重建 {PersonLink.objects.count()} 条" in out.getvalue()
    assert AuditEntry.objects.filter(action="measures.relink").exists()


def test_the_listing_s_own_legal_representative_field_links_the_person_on_that_day(
    market_bureau: ProviderPersona, officer: User
) -> None:
    post(market_bureau, [serious_listing(complete_uscc("9135020699998888"), "厦门另一贸易有限公司", 认定文书号="（2026）闽02执99号",
                                         法定代表人="陈志明", 法定代表人证件号码=FORMER_REP_ID)], "serious_dishonesty_list")  # fmt: skip
    reasons = measures(officer, FORMER_REP_ID, "bidding")["bidding.restrict_serious"]
    assert [r.split("（")[0] for r in reasons] == ["担任法定代表人的 厦门另一贸易有限公司列入失信被执行人"]


def test_a_removed_listing_no_longer_triggers(market_bureau: ProviderPersona, officer: User) -> None:
    post(market_bureau, [serious_listing(移出日期="2026-11-20")], "serious_dishonesty_list")
    assert measures(officer, COMPANY_USCC, "bidding") == {}
    assert measures(officer, CURRENT_REP_ID, "bidding") == {}


# --- the API: refusals, audit, who looked -----------------------------------------------------------------
def api_check(client: Client, code: str, scenario: str = "bidding", purpose: str = BIDDING) -> object:
    with time_machine.travel(NOW, tick=False):
        return client.get("/api/v1/checks", {"code": code, "scenario": scenario, "purpose": purpose})


def test_the_api_answers_a_unit_officer_and_the_subject_sees_who_looked(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    response = api_check(client, COMPANY_USCC)
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert [m["code"] for m in body["measures"]] == ["bidding.restrict_serious"]
    assert body["measures"][0]["reasons"][0]["list_name"] == "失信被执行人"
    assert body["measures"][0]["basis"].startswith("《国务院关于建立完善守信联合激励")
    (entry,) = lookups_of(COMPANY_USCC)
    assert entry.action == "measures.check"
    assert entry.unit == "厦门市发展和改革委员会"
    assert "政府采购" in entry.purpose


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"purpose": ""}, 400, "query.purpose_required"),
        ({"purpose": "commendation"}, 403, "query.purpose_not_allowed"),
        ({"code": "91350203784187740X"}, 400, "measures.subject_code_invalid"),
        ({"scenario": "casino"}, 400, "measures.scenario_unknown"),
    ],
)
def test_the_api_refuses_bad_requests_with_stable_codes(
    officer: User, params: dict[str, str], status: int, code: str
) -> None:
    client = Client()
    client.force_login(officer)
    args = {"code": COMPANY_USCC, "scenario": "bidding", "purpose": BIDDING} | params
    response = api_check(client, args["code"], args["scenario"], args["purpose"])
    assert (response.status_code, response.json()["code"]) == (status, code)  # type: ignore[attr-defined]
    assert not AuditEntry.objects.filter(action="measures.check").exists()


def test_only_unit_officers_may_check(officer: User) -> None:
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    client = Client()
    client.force_login(company)
    response = api_check(client, COMPANY_USCC)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "measures.not_allowed"  # type: ignore[attr-defined]
