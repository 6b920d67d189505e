"""The publication clock at every rule boundary: 58号令 → 36号令 on 2026-04-01, 总局令第45号, Xiamen periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.catalog.models import RecordKind
from xinyong.conftest import ProviderPersona, penalty
from xinyong.records.models import CreditRecord
from xinyong.records.publication import add_months, decide

pytestmark = pytest.mark.django_db
D = dt.date
OTHER_DOMAIN = 13  # 生态环境: national penalty rules
SAFETY_DOMAIN = 21  # 应急管理和安全生产: a longer minimum under 58号令
MARKET_DOMAIN = 25


def kind(code: str) -> RecordKind:
    return RecordKind.objects.get(code=code)


def data(**values: str) -> dict[str, str]:
    return {"cf_cflb": "罚款", "cf_nr_fk": "2", **values}


@pytest.mark.parametrize(
    ("decided", "severity", "rule", "until"),
    [
        (D(2026, 3, 31), "", "publication.penalty@1", D(2029, 3, 30)),  # the last day of 58号令: 3 years
        (
            D(2026, 4, 1),
            "",
            "publication.penalty@2",
            D(2027, 3, 31),
        ),  # the first day of 36号令: general, 1 year
        (D(2026, 4, 1), "严重", "publication.penalty@2", D(2029, 3, 31)),
        (D(2026, 4, 2), "一般", "publication.penalty@2", D(2027, 4, 1)),
    ],
)
def test_the_national_rule_in_force_on_the_decision_date_applies(
    decided: dt.date, severity: str, rule: str, until: dt.date
) -> None:
    values = data(cf_yzcd=severity) if severity else data()

    p = decide(kind("penalty"), OTHER_DOMAIN, values, decided)

    assert (p.published, p.rule, p.publish_from, p.publish_until) == (True, rule, decided, until)
    assert p.explanation.startswith(f"公示至 {until}，依据国家发展改革委令")


def test_minor_dishonesty_is_not_published_under_36() -> None:
    p = decide(kind("penalty"), OTHER_DOMAIN, data(cf_yzcd="轻微"), D(2026, 4, 1))

    assert (p.published, p.severity) == (False, "minor")
    assert "原则上不予公示" in p.explanation


def test_under_58_safety_penalties_have_a_one_year_minimum() -> None:
    ordinary = decide(kind("penalty"), OTHER_DOMAIN, data(), D(2025, 6, 10))
    safety = decide(kind("penalty"), SAFETY_DOMAIN, data(), D(2025, 6, 10))

    assert (ordinary.minimum_until, safety.minimum_until) == (D(2025, 9, 10), D(2026, 6, 10))
    assert ordinary.publish_until == safety.publish_until == D(2028, 6, 9)


@pytest.mark.parametrize(
    ("types", "published", "months"),
    [("警告", False, None), ("通报批评", True, 3), ("罚款", True, 36), ("警告;罚款", True, 36)],
)
def test_market_supervision_follows_order_45(types: str, published: bool, months: int | None) -> None:
    p = decide(kind("penalty"), MARKET_DOMAIN, data(cf_cflb=types), D(2026, 5, 6))

    assert (p.published, p.rule) == (published, "publication.market_supervision_penalty@1")
    if months:
        assert p.publish_until == add_months(D(2026, 5, 6), months) - dt.timedelta(days=1)


def test_before_order_45_took_effect_market_penalties_follow_the_national_rule() -> None:
    assert (
        decide(kind("penalty"), MARKET_DOMAIN, data(cf_cflb="警告"), D(2021, 8, 31)).rule
        == "publication.penalty@3"
    )
    assert decide(kind("penalty"), MARKET_DOMAIN, data(cf_cflb="警告"), D(2021, 9, 1)).published is False


def test_severity_comes_from_the_provider_then_the_penalty_type_then_the_kind() -> None:
    penalty_kind = kind("penalty")
    decided = D(2026, 6, 1)

    assert decide(penalty_kind, OTHER_DOMAIN, data(), decided).severity == "general"
    assert decide(penalty_kind, OTHER_DOMAIN, data(cf_cflb="吊销许可证件"), decided).severity == "serious"
    assert (
        decide(penalty_kind, OTHER_DOMAIN, data(cf_cflb="吊销许可证件", cf_yzcd="一般"), decided).severity
        == "general"
    )


@pytest.mark.parametrize(
    ("code", "months"), [("serious_dishonesty_list", 60), ("key_attention_list", 12), ("arrears", 12)]
)
def test_other_dishonesty_follows_the_xiamen_periods(code: str, months: int) -> None:
    p = decide(kind(code), 33, {}, D(2025, 1, 15))

    assert p.rule == "publication.xiamen_dishonesty@1"
    assert p.publish_until == add_months(D(2025, 1, 15), months) - dt.timedelta(days=1)


def test_licences_are_published_while_valid() -> None:
    licence = kind("licence")

    assert decide(licence, 25, {"xk_yxqzi": "2099-12-31"}, D(2024, 1, 1)).publish_until is None
    assert decide(licence, 25, {"xk_yxqzi": "2030-06-30"}, D(2024, 1, 1)).publish_until == D(2030, 6, 30)


def test_month_arithmetic_clamps_to_the_end_of_the_month() -> None:
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


def test_intake_stores_the_publication_with_its_rule_and_sentence(
    client: Client, market_bureau: ProviderPersona
) -> None:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        market_bureau.post(client, [penalty(处罚类别="通报批评", 处罚决定日期="2026-11-02")])

    record = CreditRecord.objects.get()
    assert (record.published, str(record.publish_until)) == (True, "2027-02-01")
    assert record.publication_rule == "publication.market_supervision_penalty@1"
    assert (
        record.publication_note
        == "公示至 2027-02-01，依据市场监管总局令第45号：仅受到通报批评或者较低数额罚款的公示期3个月"
    )


def test_a_dishonesty_record_from_before_any_rule_is_kept_but_not_published(
    client: Client, market_bureau: ProviderPersona
) -> None:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        result: Any = market_bureau.post(client, [penalty(处罚决定日期="2019-05-01")]).json()["results"][0]

    assert result["status"] == "created"
    assert CreditRecord.objects.get().published is False
