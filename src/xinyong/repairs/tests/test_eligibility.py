"""Eligibility (可否申请信用修复): minimum periods by severity and rule version, the never-repairable
list, and the states that block an application, at their boundaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xinyong.catalog.models import Category, RecordKind
from xinyong.core import rulebook
from xinyong.repairs.eligibility import Facts, assess, eligibility
from xinyong.repairs.tests.conftest import Post

D = dt.date


def penalty_facts(counted_from: dt.date, severity: str = "general", **changes: object) -> Facts:
    values: dict[str, object] = {
        "kind_code": "penalty",
        "kind_name": "行政处罚",
        "category": "dishonesty",
        "severity": severity,
        "counted_from": counted_from,
        "domain_number": 25,
        "penalty_types": frozenset({"警告", "罚款"}),
        "behaviour": "虚假宣传",
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "eligible"), [(D(2025, 9, 14), False), (D(2025, 9, 15), True), (D(2025, 9, 16), True)]
)
def test_it_allows_a_general_record_from_three_months_after_publication(on: dt.date, eligible: bool) -> None:
    result = assess(penalty_facts(D(2025, 6, 15)), on)
    assert result.eligible is eligible
    assert result.earliest == D(2025, 9, 15)
    assert "repair.minimum_period@1" in result.rules
    if not eligible:
        assert "最短公示期未满，2025-09-15 起方可申请" in result.reasons


@pytest.mark.parametrize(
    ("on", "eligible", "earliest", "rule"),
    [
        (D(2026, 3, 29), False, D(2026, 3, 30), "repair.minimum_period@1"),
        (D(2026, 3, 30), True, D(2026, 3, 30), "repair.minimum_period@1"),
        (D(2026, 3, 31), True, D(2026, 3, 30), "repair.minimum_period@1"),
        # From 2026-04-01 36号令 needs a year for serious dishonesty, whatever passed under 《厦门市公共信用信息管理办法》.
        (D(2026, 4, 1), False, D(2026, 9, 30), "repair.minimum_period@2"),
        (D(2026, 9, 29), False, D(2026, 9, 30), "repair.minimum_period@2"),
        (D(2026, 9, 30), True, D(2026, 9, 30), "repair.minimum_period@2"),
        (D(2026, 10, 1), True, D(2026, 9, 30), "repair.minimum_period@2"),
    ],
)
def test_it_judges_a_serious_record_by_the_rule_in_force_on_the_application_day(
    on: dt.date, eligible: bool, earliest: dt.date, rule: str
) -> None:
    result = assess(penalty_facts(D(2025, 9, 30), "serious"), on)
    assert (result.eligible, result.earliest) == (eligible, earliest)
    assert rule in result.rules


def test_it_explains_the_six_month_minimum_of_seed_001() -> None:
    result = assess(penalty_facts(D(2025, 9, 30), "serious"), D(2026, 3, 31))
    assert result.reasons[0] == (
        "依据《厦门市公共信用信息管理办法》，严重失信信息最短公示期6个月，自 2025-09-30 起算，2026-03-30 起可申请修复"
    )


def test_a_general_record_keeps_three_months_across_2026_04_01() -> None:
    before = assess(penalty_facts(D(2026, 1, 1)), D(2026, 3, 31))
    after = assess(penalty_facts(D(2026, 1, 1)), D(2026, 4, 1))
    assert (before.eligible, after.eligible) == (False, True)
    assert before.earliest == after.earliest == D(2026, 4, 1)


def test_a_minor_record_under_36_ling_may_be_repaired_at_once() -> None:
    result = assess(penalty_facts(D(2026, 5, 6), "minor"), D(2026, 5, 6))
    assert result.eligible
    assert "轻微失信信息无最短公示期" in result.reasons[0]


def test_a_longer_publication_minimum_of_the_record_itself_counts() -> None:
    facts = penalty_facts(
        D(2025, 1, 10), minimum_until=D(2026, 1, 10), publication_rule="publication.penalty@1"
    )
    assert not assess(facts, D(2026, 1, 9)).eligible
    result = assess(facts, D(2026, 1, 10))
    assert result.eligible and result.earliest == D(2026, 1, 10)
    assert "publication.penalty@1" in result.rules


@pytest.mark.parametrize(
    ("changes", "entry"),
    [
        ({"domain_number": 21, "penalty_types": frozenset({"罚款", "责令停产停业"})}, "在安全生产领域被处以责令停产停业"),
        ({"domain_number": 34, "penalty_types": frozenset({"吊销许可证件"})}, "在消防安全领域被处以吊销许可证件"),
        ({"behaviour": "生产销售不符合食品安全标准的食品", "penalty_types": frozenset({"吊销许可证件"})},
         "在食品药品领域"),
        ({"behaviour": "偷税", "domain_number": 33, "penalty_types": frozenset({"责令停产停业"})},
         "因逃税骗税行为被处以责令停产停业"),
        ({"behaviour": "串通投标", "domain_number": 2, "penalty_types": frozenset({"吊销许可证件", "罚款"})},
         "因围标串标行为被处以吊销许可证件"),
    ],
)  # fmt: skip
def test_it_names_the_never_repairable_entry(changes: dict[str, Any], entry: str) -> None:
    result = assess(penalty_facts(D(2023, 1, 1), **changes), D(2026, 6, 1))
    assert not result.eligible
    assert result.earliest is None
    assert entry in result.reasons[-1]
    assert "repair.never_repairable@1" in result.rules


@pytest.mark.parametrize(
    "changes",
    [
        {"domain_number": 21, "penalty_types": frozenset({"罚款"})},  # a fine only: repairable
        {"behaviour": "偷税", "penalty_types": frozenset({"罚款", "没收违法所得"})},
        {"domain_number": 14, "penalty_types": frozenset({"吊销许可证件"}), "behaviour": "未按规定办理备案"},
    ],
)
def test_other_penalties_in_those_fields_stay_repairable(changes: dict[str, Any]) -> None:
    assert assess(penalty_facts(D(2023, 1, 1), **changes), D(2026, 6, 1)).eligible


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"repaired": True}, "该记录已完成信用修复"),
        ({"revoked": True}, "该记录已被撤销，无需信用修复"),
        ({"open_application": "XF-2026-000001"}, "已有办理中的信用修复申请 XF-2026-000001"),
    ],
)
def test_it_refuses_a_repaired_revoked_or_pending_record(changes: dict[str, Any], reason: str) -> None:
    result = assess(penalty_facts(D(2023, 1, 1), **changes), D(2026, 6, 1))
    assert not result.eligible
    assert reason in result.reasons


def test_information_that_is_not_dishonesty_needs_no_repair() -> None:
    facts = penalty_facts(D(2023, 1, 1), kind_code="licence", kind_name="行政许可", category="basic")
    result = assess(facts, D(2026, 6, 1))
    assert not result.eligible
    assert result.reasons == ["行政许可不是失信信息，无需信用修复"]


@pytest.mark.django_db
def test_it_reads_severity_penalty_types_and_behaviour_from_the_stored_record(post_penalty: Post) -> None:
    serious = post_penalty("2025-09-30", 失信严重程度="严重")
    assert eligibility(serious, D(2026, 3, 31)).eligible
    assert eligibility(serious, D(2026, 4, 1)).earliest == D(2026, 9, 30)
    never = post_penalty(
        "2025-01-06", key="厦市监罚〔2025〕7号", 处罚类别="吊销许可证件", 违法行为类型="销售假冒伪劣产品"
    )
    result = eligibility(never, D(2026, 6, 1))
    assert not result.eligible
    assert "因制售假冒伪劣产品行为被处以吊销许可证件的行政处罚信息不可修复" in result.reasons[-1]


def listing_facts(kind_code: str, list_type: str = "") -> Facts:
    return Facts(
        kind_code=kind_code, kind_name="严重失信主体名单", category="dishonesty", severity="serious",
        counted_from=D(2023, 4, 16), fields={"名单类型": list_type} if list_type else {},
    )  # fmt: skip


def test_a_court_judgment_defaulter_listing_is_not_a_city_repair_case() -> None:
    result = assess(listing_facts("serious_dishonesty_list", "失信被执行人"), D(2026, 12, 5))

    assert (result.eligible, result.offered, result.earliest) == (False, False, None)
    assert result.rules == ["repair.routes@1"]
    assert len(result.reasons) == 1 and result.reasons[0].startswith(
        "失信被执行人名单由人民法院依法删除（移出）"
    )


def test_other_serious_dishonesty_lists_are_city_repair_cases() -> None:
    result = assess(listing_facts("serious_dishonesty_list", "重大税收违法失信主体"), D(2026, 12, 5))

    assert result.offered and result.eligible


def test_an_abnormal_operation_entry_is_removed_by_market_supervision() -> None:
    result = assess(listing_facts("abnormal_operation"), D(2026, 12, 5))

    assert not result.offered
    assert "市场监督管理部门" in result.reasons[0]


@pytest.mark.django_db
def test_every_dishonesty_kind_has_a_route() -> None:
    routes = rulebook.rule("repair.routes", D(2026, 12, 5)).value
    dishonesty = set(RecordKind.objects.filter(category=Category.DISHONESTY).values_list("code", flat=True))
    assert dishonesty == set(routes)
