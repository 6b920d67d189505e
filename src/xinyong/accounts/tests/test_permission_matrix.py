"""Every persona × every page and API endpoint, generated from the one permission table.

For each route the expected audience is computed from ``accounts.permissions.TABLE`` (and the route's
object-level rule, e.g. "only the owning provider"); the test checks the answer is a success exactly
for that audience, and that no denied answer carries non-public data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Role, Unit, User
from xinyong.accounts.permissions import TABLE, Action, principals_of
from xinyong.catalog.models import Domain
from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona, centre_staff, penalty, person_penalty
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db

SECRET_FACT = "当事人于凌晨私自改装燃气管道（仅非公开查询可见）"


@dataclass
class Persona:
    name: str
    user: User | None = None
    api_key: str = ""

    def client(self) -> Client:
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        return client

    def principals(self) -> set[str]:
        if self.api_key:
            return {"provider_system"}
        return set(principals_of(self.user))


@dataclass(frozen=True)
class Route:
    label: str
    method: str
    path: str  # may contain {batch}
    actions: tuple[Action, ...]  # allowed if the persona holds any; () means public
    owner_only: Callable[[Persona], bool] | None = None  # object-level rule on top of the table
    api: bool = False
    either: bool = False  # the API route takes a signed-in session as well as a provider key


def market_owner(persona: Persona) -> bool:
    return persona.name in ("market_clerk", "market_system") or "centre" in persona.name


ROUTES = [
    Route("home", "GET", "/", ()),
    Route("openapi", "GET", "/api/v1/openapi.json", ()),
    Route("workspace", "GET", "/workspace/", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES)),
    Route("batch page", "GET", "/workspace/batches/{batch}/", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES), market_owner),
    Route("rejections csv", "GET", "/workspace/batches/{batch}/rejections.csv", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES), market_owner),
    Route("code conflicts", "GET", "/workspace/code-conflicts/", (Action.VIEW_OWN_CODE_CONFLICTS, Action.VIEW_ALL_CODE_CONFLICTS)),
    Route("my account", "GET", "/account/", (Action.VIEW_OWN_RECORD,)),
    Route("query with purpose", "GET", f"/query/?subject={PERSON_ID}&purpose=licensing_inspection_penalty", (Action.QUERY_FOR_PURPOSE,)),
    Route("admin index", "GET", "/admin/", (Action.VIEW_ALL_BATCHES,)),
    Route("audit page", "GET", "/centre/audit/", (Action.EXPORT_AUDIT,)),
    Route("audit export", "GET", "/centre/audit/export/?format=json", (Action.EXPORT_AUDIT,)),
    Route("admin add domain", "GET", "/admin/catalog/domain/add/", (Action.EDIT_CATALOGUE,)),
    Route("api batch", "GET", "/api/v1/batches/{batch}", (Action.VIEW_OWN_BATCHES,), market_owner, api=True),
    Route("api rejections", "GET", "/api/v1/batches/{batch}/rejections.csv", (Action.VIEW_OWN_BATCHES,), market_owner, api=True),
    Route("api code conflicts", "GET", "/api/v1/code-conflicts", (Action.VIEW_OWN_CODE_CONFLICTS,), api=True),
    # Object level: only a provider granted 行政处罚 may submit penalties.
    Route("api submit", "POST", "/api/v1/records", (Action.SUBMIT_RECORDS,), market_owner, api=True),
    Route("commitments workspace", "GET", "/workspace/commitments/", (Action.RECORD_COMMITMENTS,)),
    Route("record commitment form", "GET", "/workspace/commitments/new/", (Action.RECORD_COMMITMENTS,)),
    Route("notification commitment check", "GET", f"/workspace/commitments/eligibility/?subject={COMPANY_USCC}", (Action.CHECK_NOTIFICATION_COMMITMENT,)),
    Route("my commitments", "GET", "/account/commitments/", (Action.VIEW_OWN_COMMITMENTS,)),
    Route("api commitment eligibility", "GET", f"/api/v1/commitments/eligibility?subject={COMPANY_USCC}", (Action.CHECK_NOTIFICATION_COMMITMENT,), api=True, either=True),
    Route("api commitments", "GET", "/api/v1/commitments", (Action.RECORD_COMMITMENTS, Action.VIEW_OWN_COMMITMENTS), api=True, either=True),
    Route("my objections", "GET", "/account/objections/", (Action.FILE_OBJECTION,)),
    Route("objection inbox", "GET", "/workspace/objections/", (Action.ANSWER_OBJECTION,)),
    Route("objection queue", "GET", "/centre/objections/", (Action.HANDLE_OBJECTIONS,)),
    Route("overdue objections", "GET", "/centre/objections/overdue/", (Action.HANDLE_OBJECTIONS,)),
    Route("upstream queue", "GET", "/centre/upstream/", (Action.HANDLE_OBJECTIONS,)),
    # The objection API takes the signed-in session, like the pages.
    Route("api objection list", "GET", "/api/v1/objections", (Action.HANDLE_OBJECTIONS,)),
    Route("repairs home", "GET", "/repairs/", (Action.REPAIRS_APPLY,)),
    Route("repair city queue", "GET", "/centre/repairs/city/", (Action.REPAIRS_REVIEW_CITY,)),
    Route("repair provincial queue", "GET", "/centre/repairs/province/", (Action.REPAIRS_REVIEW_PROVINCE,)),
    Route("report confirmations", "GET", "/reports/confirmations/", (Action.CONFIRM_REPORT_PART,)),
    Route("financial list", "GET", "/reports/financial-list/", (Action.MANAGE_FINANCIAL_LIST,)),
    # The change feed answers everyone; what each gets is tested in exchange/tests/test_feed.py.
    Route("change feed", "GET", "/api/v1/changes", (), api=True),
    Route("upstream reconciliation", "GET", "/centre/exchange/", (Action.MANAGE_EXCHANGE,)),
    Route("upstream dead letters", "GET", "/centre/exchange/failed/", (Action.MANAGE_EXCHANGE,)),
    Route("api watches", "GET", "/api/v1/watches", (Action.WATCH_SUBJECTS,)),
    Route("my watches", "GET", "/account/watches/", (Action.WATCH_SUBJECTS,)),
    Route("api financial list", "GET", "/api/v1/reports/financial-list", (Action.MANAGE_FINANCIAL_LIST,)),
]  # fmt: skip


@pytest.fixture
def world(client: Client, market_bureau: ProviderPersona, tax_bureau: ProviderPersona) -> dict[str, Any]:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        response = market_bureau.post(
            client,
            [
                penalty(),
                person_penalty(违法事实=SECRET_FACT),
                penalty(行政处罚决定书文号="X", 处罚决定日期="bad"),
            ],
        )
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    unit.domains.add(Domain.objects.get(number=2))
    # The financial bureau (金融工作局): a unit like the others, which also keeps the financial list.
    bureau = Unit.objects.create(
        code=complete_uscc("1135020000987655"),
        name="厦门市地方金融监督管理局",
        purposes=["licensing_inspection_penalty"],
        financial_bureau=True,
    )
    bureau.domains.add(Domain.objects.get(number=31))
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=company.pk).update(subject_code=COMPANY_USCC, verified_at="2026-11-01T00:00:00Z")
    personas = [
        Persona("anonymous"),
        Persona("unverified_subject", User.objects.create_user("newcomer", kind=User.Kind.SUBJECT)),
        Persona("verified_company", User.objects.get(pk=company.pk)),
        Persona(
            "market_clerk",
            User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider),
        ),
        Persona(
            "tax_clerk",
            User.objects.create_user("swj", kind=User.Kind.PROVIDER, provider=tax_bureau.provider),
        ),
        Persona("market_system", api_key=market_bureau.key),
        Persona("tax_system", api_key=tax_bureau.key),
        Persona("unit_officer", User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit)),
        Persona("financial_officer", User.objects.create_user("jrj", kind=User.Kind.UNIT, unit=bureau)),
        *(Persona(f"centre_{role.value}", centre_staff(f"c-{role.value}", role)) for role in Role),
    ]
    return {"batch": response.json()["batch"]["id"], "personas": personas}


def expected(route: Route, persona: Persona) -> bool:
    if not route.actions:
        return True
    holds = any(persona.principals() & {p.value for p in TABLE[a]} for a in route.actions)
    if not route.either and ((route.api and not persona.api_key) or (not route.api and persona.api_key)):
        holds = False  # pages take a signed-in session; the API takes a provider key
    return holds and (route.owner_only is None or route.owner_only(persona))


def call(route: Route, persona: Persona, batch: int) -> Any:
    client = Client() if persona.api_key else persona.client()
    headers = {"Authorization": f"Bearer {persona.api_key}"} if persona.api_key else {}
    path = route.path.format(batch=batch)
    if route.method == "POST":
        return client.post(path, {"kind": "penalty", "records": [penalty(行政处罚决定书文号="M-1")]},
                           content_type="application/json", headers=headers)  # fmt: skip
    return client.get(path, headers=headers)


def body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("route", ROUTES, ids=[r.label for r in ROUTES])
def test_each_persona_gets_exactly_what_the_table_allows(world: dict[str, Any], route: Route) -> None:
    outcomes = {}
    for persona in world["personas"]:
        with time_machine.travel("2026-11-22 11:00 +0800", tick=False):
            response = call(route, persona, world["batch"])
        # Sent to sign in, or (an unverified subject account) to real-name verification first.
        redirected_to_login = response.status_code == 302 and any(
            step in response["Location"] for step in ("/login/", "/account/verify/")
        )
        granted = response.status_code == 200
        outcomes[persona.name] = response.status_code
        assert granted == expected(route, persona), (route.label, persona.name, response.status_code)
        if not granted:
            assert response.status_code in (400, 401, 403, 404) or redirected_to_login, (
                route.label,
                persona.name,
            )
            text = body(response)
            assert SECRET_FACT not in text, (route.label, persona.name)
            assert PERSON_ID not in text or PERSON_ID in route.path, (
                route.label,
                persona.name,
            )  # echoed input
    assert any(code == 200 for code in outcomes.values())


def test_only_the_centre_and_the_person_ever_see_a_full_id_number(world: dict[str, Any]) -> None:
    for persona in world["personas"]:
        if persona.name.startswith("centre"):
            continue
        for route in ROUTES:
            with time_machine.travel("2026-11-22 11:00 +0800", tick=False):
                response = call(route, persona, world["batch"])
            if route.label in ("rejections csv", "api rejections") or PERSON_ID in route.path:
                continue  # a provider's own rejection report returns what it submitted; a query echoes its input
            assert PERSON_ID not in body(response), (route.label, persona.name)
