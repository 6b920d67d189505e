"""The financial bureau keeps the list of companies entitled to the financial edition; nobody else may."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from xinyong.accounts.models import Role, Unit, User
from xinyong.audit.models import AuditEntry
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona, centre_staff
from xinyong.core.errors import PlatformError
from xinyong.reports import services
from xinyong.reports.models import FinancialListEntry
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/financial-list"


def _officer(username: str, *, financial: bool) -> User:
    unit = Unit.objects.create(
        code=complete_uscc("11350200MB0" + str(len(username)).zfill(5)),
        name="厦门市地方金融监督管理局" if financial else "厦门市发展和改革委员会",
        financial_bureau=financial,
    )
    return User.objects.create_user(username, kind=User.Kind.UNIT, unit=unit)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_financial_bureau_lists_and_removes_companies_on_its_page(db: None) -> None:
    officer = _client(_officer("jrj", financial=True))
    added = officer.post(
        "/reports/financial-list/",
        {"subject_code": COMPANY_USCC, "name": "厦门鹭江贸易有限公司", "reason": "拟上市"},
    )
    assert added.status_code == 302
    entry = FinancialListEntry.objects.get()
    assert (entry.subject_code, entry.name, entry.reason, entry.active) == (
        COMPANY_USCC, "厦门鹭江贸易有限公司", "拟上市", True,
    )  # fmt: skip
    assert COMPANY_USCC in officer.get("/reports/financial-list/").content.decode()
    officer.post(f"/reports/financial-list/{COMPANY_USCC}/remove")
    assert not FinancialListEntry.objects.get().active
    trail = AuditEntry.objects.filter(action="reports.financial_list").order_by("pk")
    assert [(json.loads(e.detail)["change"], e.actor_type) for e in trail] == [
        ("add", "user"),
        ("remove", "user"),
    ]


def test_the_financial_bureau_keeps_the_list_through_the_api(db: None) -> None:
    officer = _client(_officer("jrj", financial=True))
    bad = officer.post(
        API, {"subject_code": "91350200ABCDEFGHIJ", "name": "坏代码公司"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "report.financial_list_code"
    assert bad.json()["field"] == "subject_code"
    no_name = officer.post(API, {"subject_code": COMPANY_USCC, "name": " "}, content_type="application/json")
    assert no_name.status_code == 400 and no_name.json()["field"] == "name"
    assert not FinancialListEntry.objects.exists() and not AuditEntry.objects.filter(
        action="reports.financial_list"
    )
    created = officer.post(
        API, {"subject_code": COMPANY_USCC, "name": "厦门鹭江贸易有限公司"}, content_type="application/json"
    )
    assert created.status_code == 200 and created.json()["active"] is True
    assert [e["subject_code"] for e in officer.get(API).json()] == [COMPANY_USCC]
    removed = officer.delete(f"{API}/{COMPANY_USCC}")
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert officer.delete(f"{API}/{OTHER_COMPANY_USCC}").status_code == 404


@pytest.mark.parametrize("who", ["unit officer", "catalogue admin", "subject", "provider clerk"])
def test_only_the_financial_bureau_may_edit_the_list(
    db: None, market_bureau: ProviderPersona, who: str
) -> None:
    user = {
        "unit officer": lambda: _officer("fgw", financial=False),
        "catalogue admin": lambda: centre_staff("admin", Role.CATALOGUE_ADMIN),
        "subject": lambda: User.objects.create_user(
            "qiye", kind=User.Kind.SUBJECT, subject_code=COMPANY_USCC
        ),
        "provider clerk": lambda: User.objects.create_user(
            "scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider
        ),
    }[who]()
    client = _client(user)
    page = client.post("/reports/financial-list/", {"subject_code": COMPANY_USCC, "name": "某公司"})
    assert page.status_code in (302, 404) and not FinancialListEntry.objects.exists()
    api = client.post(API, {"subject_code": COMPANY_USCC, "name": "某公司"}, content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "request.forbidden"
    assert client.get("/admin/reports/financiallistentry/add/").status_code in (302, 403)
    assert not FinancialListEntry.objects.exists()


def test_a_company_taken_off_the_list_can_no_longer_ask_for_the_financial_edition(
    penalised: ProviderPersona, company: User
) -> None:
    officer = _client(_officer("jrj", financial=True))
    officer.post(
        API, {"subject_code": COMPANY_USCC, "name": "厦门鹭江贸易有限公司"}, content_type="application/json"
    )
    officer.delete(f"{API}/{COMPANY_USCC}")
    with pytest.raises(PlatformError) as refused:
        services.request_report(
            services.Requester(company, "qiye"), COMPANY_USCC, edition="financial", years=3
        )
    assert refused.value.error.code == "report.not_on_financial_list"
