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
from django.test import Client

from xinyong.accounts.models import Role, Unit, User
from xinyong.accounts.permissions import TABLE, Action, principals_of
from xinyong.catalog.models import Domain
from xinyong.conftest import (
    COMPANY_USCC,
    MARKET_BUREAU_USCC,
    PERSON_ID,
    ProviderPersona,
    centre_staff,
    penalty,
    person_penalty,
)
from xinyong.core.testing import travel_to
from xinyong.evaluation.services import evaluate
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
    # A rule of the route's own where no action of the table gates it (any signed-in account, every
    # centre account): who gets it; ``actions`` is then ().
    audience: Callable[[Persona], bool] | None = None
    body: dict[str, Any] | None = None  # what a POST sends (default: records to submit)


def signed_in(persona: Persona) -> bool:
    return persona.user is not None


def centre_account(persona: Persona) -> bool:
    return persona.user is not None and persona.user.kind == User.Kind.CENTRE


def subject_account(persona: Persona) -> bool:
    return persona.user is not None and persona.user.kind == User.Kind.SUBJECT


def market_owner(persona: Persona) -> bool:
    return persona.name in ("market_clerk", "market_system") or "centre" in persona.name


ROUTES = [
    Route("home", "GET", "/", ()),
    Route("robots", "GET", "/robots.txt", ()),
    Route("notices", "GET", "/notices/notice/", ()),
    Route("policies", "GET", "/notices/policy/", ()),
    Route("black list export", "GET", "/publicity/black/?format=csv", ()),
    Route("openapi", "GET", "/api/v1/openapi.json", ()),
    Route("api docs", "GET", "/api/v1/docs", ()),
    Route("search", "GET", "/search/?q=鹭江", ()),
    Route("subject page", "GET", f"/s/{COMPANY_USCC}/", ()),
    Route("publicity list", "GET", "/publicity/penalties/", ()),
    Route("report verification", "GET", "/verify/", ()),
    Route("api subject search", "GET", "/api/v1/subjects?q=鹭江", (), api=True),
    Route("api subject", "GET", f"/api/v1/subjects/{COMPANY_USCC}", (), api=True),
    Route("api publicity", "GET", "/api/v1/publicity/penalties", (), api=True),
    Route("api report verification", "GET", "/api/v1/reports/verify?number=XY000000&code=ABCD", (), api=True),
    Route("job health", "GET", "/centre/jobs/", (), audience=centre_account),
    Route("backup codes", "GET", "/accounts/backup-codes/", (), audience=centre_account),
    Route("notifications", "GET", "/account/notifications/", (), audience=signed_in),
    Route("my reports", "GET", "/reports/", (), audience=signed_in),
    Route("real-name verification", "GET", "/account/verify/", (), audience=subject_account),
    Route("workspace", "GET", "/workspace/", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES)),
    Route("batch page", "GET", "/workspace/batches/{batch}/", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES), market_owner),
    Route("rejections csv", "GET", "/workspace/batches/{batch}/rejections.csv", (Action.VIEW_OWN_BATCHES, Action.VIEW_ALL_BATCHES), market_owner),
    Route("code conflicts", "GET", "/workspace/code-conflicts/", (Action.VIEW_OWN_CODE_CONFLICTS, Action.VIEW_ALL_CODE_CONFLICTS)),
    Route("kind template", "GET", "/workspace/templates/penalty.xlsx", (Action.UPLOAD_FILES,)),
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
    Route("quality centre", "GET", "/centre/quality/?month=2026-11", (Action.VIEW_ALL_QUALITY,)),
    Route("quality provider page", "GET", f"/centre/quality/providers/{MARKET_BUREAU_USCC}/?month=2026-11&measure=decided", (Action.VIEW_ALL_QUALITY,)),
    Route("quality notice", "GET", "/centre/quality/notice.xlsx?month=2026-11", (Action.VIEW_ALL_QUALITY,)),
    Route("quality samples", "GET", f"/centre/quality/providers/{MARKET_BUREAU_USCC}/samples/?month=2026-10", (Action.SAMPLE_RECORDS,)),
    Route("quality code issues", "GET", "/centre/quality/codes/", (Action.JUDGE_CODES,)),
    Route("quality workspace", "GET", "/workspace/quality/?month=2026-11&measure=decided", (Action.VIEW_OWN_QUALITY,)),
    Route("api quality providers", "GET", "/api/v1/quality/providers?month=2026-11", (Action.VIEW_ALL_QUALITY,), api=True, either=True),
    # Object level: a provider reads its own card only; the centre reads every card.
    Route("api quality provider", "GET", f"/api/v1/quality/providers/{MARKET_BUREAU_USCC}?month=2026-11", (Action.VIEW_ALL_QUALITY, Action.VIEW_OWN_QUALITY), market_owner, api=True, either=True),
    Route("api quality rows", "GET", f"/api/v1/quality/providers/{MARKET_BUREAU_USCC}/rows?month=2026-11&measure=decided", (Action.VIEW_ALL_QUALITY, Action.VIEW_OWN_QUALITY), market_owner, api=True, either=True),
    Route("api quality declare", "POST", "/api/v1/quality/declarations", (Action.DECLARE_TOTALS,), api=True, either=True,
          body={"month": "2026-11", "totals": [{"kind": "arrears", "count": 1}]}),
    Route("my evaluation", "GET", "/account/evaluation/", (Action.VIEW_OWN_EVALUATION,)),
    # A unit officer is asked for a legal purpose first (a form), then sees the grade.
    Route("evaluation page", "GET", f"/evaluation/{COMPANY_USCC}/", (Action.VIEW_OWN_EVALUATION, Action.VIEW_EVALUATIONS, Action.QUERY_FOR_PURPOSE)),
    Route("api evaluation", "GET", f"/api/v1/subjects/{COMPANY_USCC}/evaluation", (Action.VIEW_OWN_EVALUATION, Action.VIEW_EVALUATIONS), api=True, either=True),
    Route("evaluation distribution", "GET", "/centre/evaluation/", (Action.VIEW_EVALUATIONS,)),
    Route("spot checks", "GET", "/workspace/spot-checks/", (Action.SPOT_CHECKS,)),
    # Object level: a department draws its own list; the centre any department's.
    Route("api spot checks", "GET", f"/api/v1/spot-checks/{MARKET_BUREAU_USCC}?grades=A,B&seed=m", (Action.SPOT_CHECKS,), market_owner, api=True, either=True),
    Route("risk warnings", "GET", "/supervision/warnings/?state=standing", (Action.VIEW_RISK_WARNINGS,)),
    Route("governance ledger", "GET", "/supervision/ledger/", (Action.VIEW_GOVERNANCE_LEDGER,)),
    Route("governance ledger xlsx", "GET", "/supervision/ledger/?format=xlsx", (Action.VIEW_GOVERNANCE_LEDGER,)),
    Route("my risk warnings", "GET", "/account/warnings/", (Action.VIEW_OWN_RISK_WARNINGS,)),
    # Read with a session only: a provider's system has no business listing warnings (403).
    Route("api risk warnings", "GET", "/api/v1/warnings?state=standing", (Action.VIEW_RISK_WARNINGS,), api=True, either=True),
    Route("api measure catalogue", "GET", "/api/v1/measures/scenarios", ()),
    Route("counter check page", "GET", "/checks/", (Action.RUN_CHECKS,)),
    Route("counter check result page", "GET", f"/checks/?code={COMPANY_USCC}&scenario=bidding&purpose=licensing_inspection_penalty", (Action.RUN_CHECKS,)),
    # The check API takes the signed-in session of a unit officer, like the pages.
    Route("api counter check", "GET", f"/api/v1/checks?code={COMPANY_USCC}&scenario=bidding&purpose=licensing_inspection_penalty", (Action.RUN_CHECKS,)),
    Route("feedback statistics", "GET", "/centre/measures/statistics/", (Action.VIEW_MEASURE_STATISTICS,)),
    Route("batch checks page", "GET", "/checks/batch/", (Action.RUN_CHECKS,)),
    Route("batch check verification", "GET", "/checks/verify/", ()),
    Route("assist inbox", "GET", "/workspace/assists/", (Action.ANSWER_ASSIST,)),
]  # fmt: skip


@pytest.fixture
def world(client: Client, market_bureau: ProviderPersona, tax_bureau: ProviderPersona) -> dict[str, Any]:
    with travel_to("2026-11-22 10:00"):
        response = market_bureau.post(
            client,
            [
                penalty(),
                person_penalty(违法事实=SECRET_FACT),
                penalty(行政处罚决定书文号="X", 处罚决定日期="bad"),
            ],
        )
        evaluate()
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
    if route.audience is not None:
        holds = route.audience(persona)
    elif not route.actions:
        return True
    else:
        holds = any(persona.principals() & {p.value for p in TABLE[a]} for a in route.actions)
    if not route.either and ((route.api and not persona.api_key) or (not route.api and persona.api_key)):
        holds = False  # pages take a signed-in session; the API takes a provider key
    return holds and (route.owner_only is None or route.owner_only(persona))


def call(route: Route, persona: Persona, batch: int) -> Any:
    client = Client() if persona.api_key else persona.client()
    headers = {"Authorization": f"Bearer {persona.api_key}"} if persona.api_key else {}
    path = route.path.format(batch=batch)
    if route.method == "POST":
        sent = route.body or {"kind": "penalty", "records": [penalty(行政处罚决定书文号="M-1")]}
        return client.post(path, sent, content_type="application/json", headers=headers)
    return client.get(path, headers=headers)


def body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("route", ROUTES, ids=[r.label for r in ROUTES])
def test_each_persona_gets_exactly_what_the_table_allows(world: dict[str, Any], route: Route) -> None:
    outcomes = {}
    for persona in world["personas"]:
        with travel_to("2026-11-22 11:00"):
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
            with travel_to("2026-11-22 11:00"):
                response = call(route, persona, world["batch"])
            if route.label in ("rejections csv", "api rejections") or PERSON_ID in route.path:
                continue  # a provider's own rejection report returns what it submitted; a query echoes its input
            assert PERSON_ID not in body(response), (route.label, persona.name)
