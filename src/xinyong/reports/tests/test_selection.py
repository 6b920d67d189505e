"""Which records a report counts: a list entry (or arrear, enforcement) in force at any time in the period
counts whatever its decision date; one that ended before the period began does not; an exit after the
report supersedes it."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from django.test import Client

from xinyong.accounts.models import User
from xinyong.catalog.models import Domain
from xinyong.catalog.services import create_provider
from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.testing import travel_to
from xinyong.reports import services
from xinyong.reports.models import Report
from xinyong.reports.queries import Status, verify_by_number
from xinyong.reports.storage import get_storage
from xinyong.reports.tests.conftest import NOW
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
COURT_USCC = complete_uscc("1135020000587654")
#: 3 years back from the data cut-off (2026-11-19) of a report asked on 2026-11-30.
PERIOD_FROM = dt.date(2023, 11, 19)


@pytest.fixture
def court(db: None) -> ProviderPersona:
    """厦门市中级人民法院: reports 失信被执行人 in domain 1 (法院执行领域)."""
    provider, key = create_provider(
        code=COURT_USCC, name="厦门市中级人民法院", domains=[Domain.objects.get(number=1)],
        kind_codes=["serious_dishonesty_list"],
    )  # fmt: skip
    return ProviderPersona(provider, key)


def defaulter(**changes: str) -> dict[str, Any]:
    row = {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明", "名单类型": "失信被执行人", "认定文书号": "（2023）闽02执1234号",
        "列入事由": "有履行能力而拒不履行生效法律文书确定的义务",
        "列入依据": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条", "列入日期": "2023-04-16",
        "认定机关": "厦门市中级人民法院", "认定机关统一社会信用代码": COURT_USCC,
        "数据来源单位": "厦门市中级人民法院", "数据来源单位统一社会信用代码": COURT_USCC,
    }  # fmt: skip
    return row | changes


def send(court: ProviderPersona, row: dict[str, Any], when: dt.datetime = NOW) -> None:
    with travel_to(when):
        response = court.post(Client(), [row], kind="serious_dishonesty_list")
    assert response.json()["results"][0]["status"] in ("created", "versioned"), response.json()


def report_text(company: User) -> tuple[Report, str]:
    with travel_to(NOW):
        report = services.request_report(
            services.Requester(company, company.username), COMPANY_USCC, edition="special", years=3
        )
    pdf = get_storage().open(report.pdf_name)
    out = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return report, "".join(out.stdout.decode().split())


def test_a_court_listing_from_before_the_period_still_in_force_is_reported(
    court: ProviderPersona, company: User
) -> None:
    """The demo case: listed 2023-04-16, never removed; a 3-year report from 2023-11-19 must not say
    法院执行领域 未发现违法违规记录."""
    send(court, defaulter())

    report, text = report_text(company)

    assert report.items.count() == 1
    assert "（2023）闽02执1234号" in text and "2023-04-16" in text and "至今未移出" in text
    assert "法院执行领域未发现违法违规记录" not in text
    assert "本报告覆盖37个领域：1个领域发现记录（共1条）" in text
    assert "至查询期间开始之日仍未移出" in text  # the explanatory section says how records are chosen


@pytest.mark.parametrize(
    ("removed", "reported"),
    [
        (PERIOD_FROM - dt.timedelta(days=1), False),  # removed the day before the period began
        (PERIOD_FROM, True),  # removed on its first day: still on the list that day
        (PERIOD_FROM + dt.timedelta(days=1), True),
    ],
)
def test_a_listing_removed_before_the_period_began_is_not_reported(
    court: ProviderPersona, company: User, removed: dt.date, reported: bool
) -> None:
    send(court, defaulter(移出日期=removed.isoformat(), 移出原因="已履行"))

    report, text = report_text(company)

    assert report.items.exists() is reported
    if reported:
        assert f"{removed}移出" in text and "已移出" in text


def test_a_removal_after_the_report_supersedes_it(court: ProviderPersona, company: User) -> None:
    send(court, defaulter())
    report, _ = report_text(company)

    send(court, defaulter(移出日期="2026-12-01", 移出原因="已履行"), NOW + dt.timedelta(days=1))

    with travel_to(NOW + dt.timedelta(days=2)):
        assert verify_by_number(report.number, report.verification_code).status is Status.SUPERSEDED


def test_a_penalty_decided_before_the_period_is_not_reported(
    market_bureau: ProviderPersona, company: User
) -> None:
    with travel_to(NOW):
        response = market_bureau.post(Client(), [penalty(处罚决定日期="2023-11-18", 处罚类别="罚款")])
    assert response.json()["results"][0]["status"] == "created", response.json()

    report, _ = report_text(company)

    assert not report.items.exists()
