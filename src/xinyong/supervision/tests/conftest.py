"""Departments, penalties and list entries for the risk warning and interview tests, sent through the
platform's own intake (``collection.services.submit_records``), as departments' systems send them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from xinyong.accounts.models import User
from xinyong.catalog.models import Domain, Provider
from xinyong.catalog.services import create_provider
from xinyong.collection.services import submit_records
from xinyong.conftest import COMPANY_USCC
from xinyong.subjects.codes import complete_uscc

#: 2026-11-22 10:00 in Xiamen: the one-year window is 2025-11-23 .. 2026-11-22.
NOW = "2026-11-22 10:00 +0800"


@dataclass
class Department:
    provider: Provider
    clerk: User
    domain: int

    @property
    def code(self) -> str:
        return self.provider.code


def _department(number: int, seq: str, name: str) -> Department:
    code = complete_uscc(f"11350200{seq}")
    provider, _ = create_provider(
        code=code, name=name, domains=[Domain.objects.get(number=number)],
        kind_codes=["penalty", "serious_dishonesty_list"],
    )  # fmt: skip
    clerk = User.objects.create_user(f"clerk-{seq}", kind=User.Kind.PROVIDER, provider=provider)
    return Department(provider, clerk, number)


@pytest.fixture
def departments(db: None) -> list[Department]:
    """Three enforcement departments: market supervision, environment, construction."""
    return [
        _department(25, "00413901", "厦门市市场监督管理局"),
        _department(13, "00413902", "厦门市生态环境局"),
        _department(14, "00413903", "厦门市建设局"),
    ]


def penalty_row(
    department: Department, number: int, decided: dt.date | str, code: str = COMPANY_USCC
) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": code,
        "法定代表人": "陈志明", "行政处罚决定书文号": f"厦{department.domain}罚〔2026〕{number}号",
        "违法行为类型": "虚假宣传", "违法事实": "当事人发布虚假广告。", "处罚依据": "《中华人民共和国广告法》第五十五条",
        "处罚类别": "罚款", "处罚内容": "罚款人民币2万元", "罚款金额(万元)": "2", "处罚决定日期": str(decided), "处罚有效期": "2030-12-31",
        "处罚机关": department.provider.name, "处罚机关统一社会信用代码": department.code,
        "数据来源单位": department.provider.name, "数据来源单位统一社会信用代码": department.code,
    }  # fmt: skip


def listing_row(
    department: Department,
    number: int,
    list_type: str,
    decided: str,
    *,
    removed: str = "",
    code: str = COMPANY_USCC,
) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": code,
        "法定代表人": "陈志明", "名单类型": list_type, "认定文书号": f"厦{department.domain}列〔2026〕{number}号",
        "列入事由": "严重违法", "列入依据": "相关规定", "列入日期": decided, "认定机关": department.provider.name,
        "认定机关统一社会信用代码": department.code, "数据来源单位": department.provider.name,
        "数据来源单位统一社会信用代码": department.code,
    } | ({"移出日期": removed} if removed else {})  # fmt: skip


def send(department: Department, kind: str, rows: list[dict[str, Any]], now: str = NOW) -> None:
    with time_machine.travel(now, tick=False):
        _, outcomes = submit_records(department.provider, kind, rows)
    refused = [o.errors for o in outcomes if o.stored is None]
    assert not refused, refused


def penalties(
    department: Department, count: int, decided: dt.date | str, *, first: int = 1, now: str = NOW
) -> None:
    send(department, "penalty", [penalty_row(department, first + i, decided) for i in range(count)], now)
