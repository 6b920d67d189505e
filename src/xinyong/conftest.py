"""Test personas (docs/architecture.md, principle 10): a provider, a company, a person, centre staff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import RoleAssignment, User
from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.catalog.services import create_provider

# The browser-test fixtures (a running platform, Chromium pages), for the tests of every app.
from xinyong.portal.tests.browser import browser_page, chromium, console_messages, live_platform  # noqa: F401
from xinyong.reports import signing, storage
from xinyong.subjects.codes import complete_resident_id, complete_uscc

#: Codes that pass every check, made the way real ones are computed.
MARKET_BUREAU_USCC = complete_uscc("1135020000413900")  # 1135020000413900XC, a public example
COMPANY_USCC = complete_uscc("9135020378418774")
OTHER_COMPANY_USCC = complete_uscc("9135020612345678")
PERSON_ID = complete_resident_id("35020319850612003")


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
