"""Personas of the joint-measure tests: a company on a serious-dishonesty list with its past and present
legal representatives, a red-list company, a clean company, and a unit officer.

Time line (2026): the listed company was set up on 2024-01-10 with 陈志明 as legal representative; 王丽
took over on 2025-03-01; the court listed the company as 失信被执行人 on 2026-06-01. The red-list company
became a 纳税信用A级纳税人 on 2026-04-01. Checks run on 2026-11-22.
"""

from __future__ import annotations

from typing import Any

import time_machine
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.catalog.models import Domain
from xinyong.conftest import COMPANY_USCC, MARKET_BUREAU_USCC, OTHER_COMPANY_USCC, ProviderPersona
from xinyong.subjects.codes import complete_resident_id, complete_uscc

NOW = "2026-11-22 10:00 +0800"
CLEAN_USCC = complete_uscc("9135020655554444")
FORMER_REP_ID = complete_resident_id("35020319700101001")  # 陈志明, legal representative until 2025-03-01
CURRENT_REP_ID = complete_resident_id("35020319800202002")  # 王丽, from 2025-03-01
CONTROLLER_ID = complete_resident_id("35020319750303003")  # 赵强, actual controller throughout
STRANGER_ID = complete_resident_id("35020319900404004")

AUTHORITY = {
    "认定机关": "厦门市市场监督管理局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
    "数据来源单位": "厦门市市场监督管理局", "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
}  # fmt: skip


def registration(number: str, decided: str, kind: str, **people: str) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "核准文书号": number, "登记类型": kind, "核准日期": decided, "登记机关": "厦门市市场监督管理局",
        "登记机关统一社会信用代码": MARKET_BUREAU_USCC, "数据来源单位": "厦门市市场监督管理局",
        "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC, **people,
    }  # fmt: skip


def serious_listing(
    code: str = COMPANY_USCC, name: str = "厦门鹭江贸易有限公司", **changes: str
) -> dict[str, Any]:
    return {
        "行政相对人名称": name, "行政相对人类别": "法人及非法人组织", "统一社会信用代码": code,
        "法定代表人": "王丽", "名单类型": "失信被执行人", "认定文书号": "（2026）闽02执88号",
        "列入事由": "有履行能力而拒不履行生效法律文书确定的义务", "列入依据": "《最高人民法院关于公布失信被执行人名单信息的若干规定》",
        "列入日期": "2026-06-01", **AUTHORITY,
    } | changes  # fmt: skip


def red_listing(code: str = OTHER_COMPANY_USCC, **changes: str) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门守信科技有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": code,
        "法定代表人": "周敏", "名单类型": "纳税信用A级纳税人", "认定文书号": "厦税信〔2026〕1号",
        "认定依据": "《纳税信用管理办法（试行）》", "认定日期": "2026-04-01", "有效期至": "2027-03-31", **AUTHORITY,
    } | changes  # fmt: skip


def post(bureau: ProviderPersona, rows: list[dict[str, Any]], kind: str, when: str = NOW) -> None:
    with time_machine.travel(when, tick=False):
        response = bureau.post(Client(), rows, kind=kind)
    results = response.json()["results"]
    assert all(r["status"] in ("created", "versioned", "unchanged") for r in results), response.json()


def build_city(bureau: ProviderPersona) -> None:
    """The registrations, the listing and the red list of the module docstring."""
    post(bureau, [
        registration("厦市监设〔2024〕1号", "2024-01-10", "设立登记", 法定代表人="陈志明",
                     法定代表人证件号码=FORMER_REP_ID, 实际控制人="赵强", 实际控制人证件号码=CONTROLLER_ID),
        registration("厦市监变〔2025〕7号", "2025-03-01", "变更登记", 法定代表人="王丽",
                     法定代表人证件号码=CURRENT_REP_ID),
    ], "registration")  # fmt: skip
    post(bureau, [serious_listing()], "serious_dishonesty_list")
    post(bureau, [red_listing()], "red_list")
    post(bureau, [serious_listing(CLEAN_USCC, "厦门清白贸易有限公司", 认定文书号="无关", 列入日期="2021-01-04",
                                  移出日期="2022-01-04")], "serious_dishonesty_list")  # fmt: skip


def unit_officer(
    username: str = "fgw",
    purposes: tuple[str, ...] = (
        "procurement_bidding_funding_land_research",
        "licensing_inspection_penalty",
        "personnel",
    ),
) -> User:
    unit, _ = Unit.objects.get_or_create(
        code=complete_uscc("1135020000987654"),
        defaults={"name": "厦门市发展和改革委员会", "purposes": list(purposes)},
    )
    unit.domains.add(Domain.objects.get(number=2))
    return User.objects.create_user(username, kind=User.Kind.UNIT, unit=unit)
