"""Companies with known credit histories (personas), sent through the real intake as the market bureau."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.conftest import MARKET_BUREAU_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.subjects.codes import complete_uscc

DAY = dt.date(2026, 11, 22)
RECEIVED = "2026-11-22 08:00 +0800"
BUREAU = {
    "数据来源单位": "厦门市市场监督管理局",
    "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
}


def company(number: int) -> str:
    """A valid USCC for persona company ``number``."""
    return complete_uscc(f"91350203{number:08d}")


def named(code: str) -> dict[str, str]:
    return {
        "行政相对人名称": f"厦门评价{code[-6:-2]}有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": code,
        "法定代表人": "陈志明",
    }


def a_penalty(code: str, doc: str, decided: str, severity: str = "一般") -> dict[str, Any]:
    return penalty(**named(code), 行政处罚决定书文号=doc, 处罚决定日期=decided, 失信严重程度=severity)


def a_licence(code: str, doc: str, decided: str = "2024-03-01") -> dict[str, Any]:
    return named(code) | BUREAU | {
        "行政许可决定文书名称": "准予设立登记通知书", "行政许可决定文书号": doc, "许可类别": "登记",
        "许可编号": doc, "许可内容": "企业设立登记", "许可决定日期": decided, "有效期自": decided,
        "有效期至": "2099-12-31", "许可机关": "厦门市市场监督管理局", "许可机关统一社会信用代码": MARKET_BUREAU_USCC,
    }  # fmt: skip


def listing(code: str, doc: str, listed: str, removed: str = "") -> dict[str, Any]:
    row = named(code) | BUREAU | {
        "名单类型": "严重违法失信企业(市场监管)", "认定文书号": doc, "列入事由": "食品安全违法",
        "列入依据": "《市场监督管理严重违法失信名单管理办法》第九条", "列入日期": listed,
        "认定机关": "厦门市市场监督管理局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
    }  # fmt: skip
    return row | ({"移出日期": removed} if removed else {})


def key_attention(code: str, doc: str, listed: str, removed: str = "") -> dict[str, Any]:
    row = named(code) | BUREAU | {
        "名单类型": "纳税信用D级纳税人", "认定文书号": doc, "列入事由": "多次违法", "列入依据": "相关规定",
        "列入日期": listed, "认定机关": "厦门市市场监督管理局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
    }  # fmt: skip
    return row | ({"移出日期": removed} if removed else {})


def commendation(code: str, doc: str, decided: str = "2026-05-10") -> dict[str, Any]:
    return named(code) | BUREAU | {
        "表彰决定文号": doc, "荣誉名称": "厦门市守合同重信用企业", "表彰级别": "市级", "表彰日期": decided,
        "表彰单位": "厦门市市场监督管理局", "表彰单位统一社会信用代码": MARKET_BUREAU_USCC,
    }  # fmt: skip


def send(persona: ProviderPersona, kind: str, rows: list[dict[str, Any]], at: str = RECEIVED) -> list[int]:
    """Submit ``rows`` of ``kind``; every row must be stored. Returns the record ids."""
    with time_machine.travel(at, tick=False):
        response = persona.post(Client(), rows, kind=kind)
    results = response.json()["results"]
    assert all(r["status"] != "rejected" for r in results), results
    return [r["record_id"] for r in results]


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=CHINA)


@pytest.fixture
def travel_to_day() -> Any:
    with time_machine.travel(at_noon(DAY), tick=False):
        yield
