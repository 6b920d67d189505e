"""What each audience sees once an entry has ended (移出 / 缴清), and one publication end date shown where
a provider sent its own 公示截止期."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from xinyong.conftest import COMPANY_USCC, MARKET_BUREAU_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.disclosure.audience import Audience, state_of
from xinyong.disclosure.queries import public_subject
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2026, 6, 1, 10, 0, tzinfo=CHINA)


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=CHINA)


def subject_block() -> dict[str, str]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明", "认定机关": "厦门市市场监督管理局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
        "数据来源单位": "厦门市市场监督管理局", "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
    }  # fmt: skip


def serious_listing(**changes: str) -> dict[str, Any]:
    return subject_block() | {
        "名单类型": "严重违法失信企业(市场监管)", "认定文书号": "厦市监严〔2025〕1号", "列入事由": "食品安全违法",
        "列入依据": "《市场监督管理严重违法失信名单管理办法》第九条", "列入日期": "2025-03-01",
    } | changes  # fmt: skip


def arrear(**changes: str) -> dict[str, Any]:
    block = subject_block()
    return {k: v for k, v in block.items() if not k.startswith("认定机关")} | {
        "欠缴类别": "欠缴税款", "欠缴认定文书号": "厦税欠〔2026〕8号", "欠缴金额(万元)": "12.5", "认定日期": "2026-03-01",
        "认定机关": "国家税务总局厦门市税务局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
    } | changes  # fmt: skip


def send(persona: ProviderPersona, kind: str, row: dict[str, Any]) -> None:
    with travel_to(RECEIVED):
        response = persona.post(Client(), [row], kind=kind)
    assert response.json()["results"][0]["status"] != "rejected", response.json()


@pytest.mark.parametrize(
    ("day", "listed"), [("2026-06-09", True), ("2026-06-10", False), ("2026-06-11", False)]
)
def test_a_removed_entry_leaves_the_black_list_on_its_exit_date(
    client: Client, market_bureau: ProviderPersona, day: str, listed: bool
) -> None:
    send(
        market_bureau, "serious_dishonesty_list", serious_listing(移出日期="2026-06-10", 移出原因="信用修复")
    )

    with travel_to(at(day)):
        page = client.get("/publicity/black/").content.decode()
        subject_page = client.get(f"/s/{COMPANY_USCC}/").content.decode()

    assert ("厦市监严〔2025〕1号" in page) is listed
    assert ("厦市监严〔2025〕1号" in subject_page) is listed  # a list ends publication on removal
    record = CreditRecord.objects.get()
    for audience in (Audience.AUTHORISED, Audience.GOVERNMENT, Audience.SELF):
        state = state_of(record, [], audience, at(day))
        assert state.visible
        assert state.label == ("公示中" if listed else "已移出")
    assert record.publication_note == "已于 2026-06-10 移出，失信状态自当日终止，停止公示"


@pytest.mark.parametrize(("day", "label"), [("2026-05-31", "公示中"), ("2026-06-01", "已缴清")])
def test_a_settled_arrear_is_history_not_dishonesty(
    market_bureau: ProviderPersona, day: str, label: str
) -> None:
    send(market_bureau, "arrears", arrear(缴清日期="2026-06-01"))

    view = public_subject(COMPANY_USCC, at=at(day))

    sections = view.by_category()
    (shown,) = view.records
    assert shown.state == label
    history = sections.get("历史信息（已移出、已缴清、已解除）", [])
    if label == "已缴清":
        assert (sections["失信信息"], [r.standing for r in history]) == ([], ["2026-06-01 缴清"])
    else:
        assert (len(sections["失信信息"]), history) == (1, [])


def test_the_provider_end_date_is_shown_once_with_the_platform_date(
    client: Client, market_bureau: ProviderPersona
) -> None:
    """A 罚款 in domain 13's national rule would do; the market bureau's penalties follow 总局令第45号's fixed
    three years, so the provider's 2026-12-31 cannot shorten them: one date, 2029-05-31, everywhere."""
    with travel_to(RECEIVED):
        market_bureau.post(
            client, [penalty(处罚决定日期="2026-06-01", 处罚类别="罚款", 公示截止期="2026-12-31")]
        )
        api = client.get(f"/api/v1/subjects/{COMPANY_USCC}").json()
        listed = client.get("/api/v1/publicity/penalties").json()["items"][0]

    (record,) = api["records"]
    assert record["explanation"].startswith("公示至 2029-05-31")
    assert "早于最短公示期，以法定期限为准" in record["explanation"]
    assert (
        record["fields"]["公示截止期"]
        == "2026-12-31（信息提供单位报送；本平台依法确定的公示截止日为 2029-05-31）"
    )
    assert listed["publish_until"] == "2029-05-31"
