"""The shared test kit (docs/architecture.md, principle 10; docs/recipes.md, "Write a test").

- Record builders: ``penalty(**changes)`` and ``person_penalty(**changes)`` give a valid row keyed by
  Chinese field names; ``market_bureau.store([...], at=...)`` stores rows through the intake service
  without HTTP and returns their records (``market_bureau.post(client, [...])`` goes through the API).
- Providers: ``market_bureau`` (every kind, domain 25), ``tax_bureau`` (arrears, domain 33).
- Accounts: ``company_account`` and ``person_account`` (verified subject accounts of ``COMPANY_USCC`` and
  ``PERSON_ID``), ``market_clerk``, ``unit_officer``, ``financial_officer``, ``centre_staff(username,
  *roles)`` and ``centre_admin`` (every sub-role); ``signed_in_client(user)`` signs in at each request,
  so a test may travel days ahead of its session.
- Time: ``xinyong.core.testing.travel_to`` (a date, a datetime or an ISO string, China time).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import Role, RoleAssignment, Unit, User
from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.catalog.services import create_provider
from xinyong.collection.services import submit_records
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to

# The browser-test fixtures (a running platform, Chromium pages), for the tests of every app.
from xinyong.portal.tests.browser import browser_page, chromium, console_messages, live_platform  # noqa: F401
from xinyong.records.models import CreditRecord
from xinyong.reports import signing, storage
from xinyong.subjects.codes import complete_resident_id, complete_uscc

#: Codes that pass every check, made the way real ones are computed.
MARKET_BUREAU_USCC = complete_uscc("1135020000413900")  # 1135020000413900XC, a public example
COMPANY_USCC = complete_uscc("9135020378418774")
OTHER_COMPANY_USCC = complete_uscc("9135020612345678")
PERSON_ID = complete_resident_id("35020319850612003")
#: When the subject accounts of the kit passed real-name verification.
VERIFIED_AT = dt.datetime(2026, 1, 5, 10, 0, tzinfo=CHINA)


def penalty(**changes: Any) -> dict[str, Any]:
    """A complete, valid penalty record keyed by Chinese field names, as departments export them."""
    record: dict[str, Any] = {
        "行政相对人名称": "厦门鹭江贸易有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明",
        "行政处罚决定书文号": "厦市监罚〔2026〕101号",
        "违法行为类型": "虚假宣传",
        "违法事实": "当事人在网店发布虚假广告。",
        "处罚依据": "《中华人民共和国广告法》第五十五条",
        "处罚类别": "警告;罚款",
        "处罚内容": "警告，罚款人民币2万元",
        "罚款金额(万元)": "2",
        "处罚决定日期": "2026-11-02",
        "处罚有效期": "2027-11-02",
        "处罚机关": "厦门市市场监督管理局",
        "处罚机关统一社会信用代码": MARKET_BUREAU_USCC,
        "数据来源单位": "厦门市市场监督管理局",
        "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


def person_penalty(**changes: Any) -> dict[str, Any]:
    base = penalty(
        行政相对人名称="林小华",
        行政相对人类别="自然人",
        统一社会信用代码=None,
        法定代表人=None,
        证件类型="身份证",
        证件号码=PERSON_ID,
        行政处罚决定书文号="厦市监罚〔2026〕201号",
        程序类型="普通程序",
    )
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def centre_staff(username: str, *roles: str) -> User:
    """A centre account holding the given sub-roles (岗位)."""
    user = User.objects.create_user(username, kind=User.Kind.CENTRE, is_staff=True)
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in roles)
    return user


@dataclass
class ProviderPersona:
    provider: Provider
    key: str

    def post(self, client: Client, records: list[dict[str, Any]], kind: str = "penalty") -> Any:
        return client.post(
            "/api/v1/records",
            # ASCII JSON, as many clients send it: a lone surrogate travels as the escape "\ud800".
            json.dumps({"kind": kind, "records": records}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.key}"},
        )

    def store(
        self,
        records: list[dict[str, Any]],
        kind: str = "penalty",
        *,
        at: dt.datetime | dt.date | str | None = None,
    ) -> list[CreditRecord]:
        """Stores ``records`` through the intake service, as one API call would but without HTTP, at
        ``at`` (see ``travel_to``) or now; returns their records in order. Any rejected row fails the
        test with its error codes: a builder that stores less than asked would hide the mistake."""
        with travel_to(at) if at is not None else nullcontext():
            _, outcomes = submit_records(self.provider, kind, records)
        rejected = {o.row_number: [e.code for e in o.errors] for o in outcomes if o.stored is None}
        assert not rejected, f"rows rejected: {rejected}"
        ids = [o.stored.record_id for o in outcomes if o.stored is not None]
        by_id = CreditRecord.objects.in_bulk(ids)
        return [by_id[i] for i in ids]


@pytest.fixture
def market_bureau(db: None) -> ProviderPersona:
    """厦门市市场监督管理局: reports every kind in domain 25 (市场监督管理领域)."""
    provider, key = create_provider(
        code=MARKET_BUREAU_USCC,
        name="厦门市市场监督管理局",
        domains=[Domain.objects.get(number=25)],
        kind_codes=set(RecordKind.objects.values_list("code", flat=True)),
    )
    return ProviderPersona(provider, key)


@pytest.fixture
def tax_bureau(db: None) -> ProviderPersona:
    """厦门市税务局: reports only arrears (欠缴税费) in domain 33."""
    provider, key = create_provider(
        code=complete_uscc("1135020001234567"),
        name="国家税务总局厦门市税务局",
        domains=[Domain.objects.get(number=33)],
        kind_codes=["arrears"],
    )
    return ProviderPersona(provider, key)


@pytest.fixture
def report_dirs(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where a test's reports are signed and filed: one development key for the whole session
    (generating RSA keys is slow), a fresh archive per test."""
    settings.REPORT_KEY_DIR = tmp_path_factory.getbasetemp() / "report-keys"
    settings.REPORT_DIR = tmp_path_factory.mktemp("reports")
    signing.get_signer.cache_clear()
    storage.get_storage.cache_clear()
    yield settings.REPORT_DIR
    signing.get_signer.cache_clear()
    storage.get_storage.cache_clear()


def signed_in_client(user: User) -> Client:
    """A client signed in as ``user`` afresh at each request, so a test may travel days ahead of the
    session (which would otherwise have expired)."""
    return _SignedIn(user)


class _SignedIn(Client):
    def __init__(self, user: User) -> None:
        super().__init__()
        self.user = user

    def request(self, **request: Any) -> Any:
        self.force_login(self.user)
        return super().request(**request)


def subject_account(username: str, code: str, *, verified_at: dt.datetime | None = VERIFIED_AT) -> User:
    """A subject account (信用主体账号) bound to ``code`` by real-name verification (unbound if
    ``verified_at`` is None)."""
    return User.objects.create_user(
        username,
        email=f"{username}@example.cn",
        kind=User.Kind.SUBJECT,
        subject_code=code if verified_at else "",
        verified_at=verified_at,
        verified_by="test" if verified_at else "",
    )


@pytest.fixture
def company_account(db: None) -> User:
    """厦门鹭江贸易有限公司's verified account (the company of ``penalty()``)."""
    return subject_account("lujiang-co", COMPANY_USCC)


@pytest.fixture
def person_account(db: None) -> User:
    """林小华's verified account (the person of ``person_penalty()``)."""
    return subject_account("linxiaohua", PERSON_ID)


@pytest.fixture
def market_clerk(market_bureau: ProviderPersona) -> User:
    """A clerk of the market bureau (报送单位工作人员)."""
    return User.objects.create_user(
        "scjg-clerk", email="scjg-clerk@example.cn", kind=User.Kind.PROVIDER, provider=market_bureau.provider
    )


def unit(name: str, code: str, *, domains: tuple[int, ...] = (2,), financial_bureau: bool = False) -> Unit:
    """A government unit that queries for the licensing purpose (行政许可、检查、处罚) in ``domains``."""
    made = Unit.objects.create(
        code=code, name=name, purposes=["licensing_inspection_penalty"], financial_bureau=financial_bureau
    )
    made.domains.add(*Domain.objects.filter(number__in=domains))
    return made


@pytest.fixture
def unit_officer(db: None) -> User:
    """An officer of 厦门市发展和改革委员会 (政务共享查询)."""
    fgw = unit("厦门市发展和改革委员会", complete_uscc("1135020000987654"))
    return User.objects.create_user("fgw-officer", kind=User.Kind.UNIT, unit=fgw)


@pytest.fixture
def financial_officer(db: None) -> User:
    """An officer of the financial bureau (金融工作部门), which keeps the financial edition's list."""
    bureau = unit(
        "厦门市地方金融监督管理局", complete_uscc("1135020000987655"), domains=(31,), financial_bureau=True
    )
    return User.objects.create_user("jrj-officer", kind=User.Kind.UNIT, unit=bureau)


@pytest.fixture
def centre_admin(db: None) -> User:
    """A centre account holding every sub-role, as the demo's ``centre``."""
    return centre_staff("centre-all", *Role)
