"""The publication clock (公示期): for a record version, whether it is published, from when, until when,
its severity, and which rule (id@version) decided it, with one sentence of explanation.

Which rule applies (docs/publication.md): administrative penalties in the market-supervision domains
follow 总局令第45号 while it is in force; other penalties follow the national rule in force on the
decision date (58号令 until 2026-03-31, 36号令 from 2026-04-01); other dishonesty kinds follow the
Xiamen periods of seed 001; basic and trust information is published while it is valid. All numbers
come from ``rulebook/publication.yaml``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.catalog.models import Category, RecordKind, Severity
from xinyong.core import rulebook

PENALTY_RULE = "publication.penalty"
MARKET_RULE = "publication.market_supervision_penalty"
XIAMEN_RULE = "publication.xiamen_dishonesty"
SERIOUS_TYPES_RULE = "publication.serious_penalty_types"
SEVERITY_BY_LABEL = {"轻微": Severity.MINOR, "一般": Severity.GENERAL, "严重": Severity.SERIOUS}
SEVERITY_LABEL: dict[str, str] = {str(v): k for k, v in SEVERITY_BY_LABEL.items()}
#: Kinds whose Xiamen period is their own, whatever their severity (seed 001).
LIST_PERIODS = {
    "serious_dishonesty_list": "joint_punishment_list",
    "key_attention_list": "key_attention_list",
}
LONG_TERM = dt.date(2099, 12, 31)  # 有效期至 2099-12-31 means long-term (DOMAIN.md §3)


@dataclass(frozen=True)
class Publication:
    published: bool
    publish_from: dt.date
    publish_until: dt.date | None  # last day published; None: while valid, no end
    minimum_until: dt.date | None  # publication must last at least until this day (repair)
    severity: str
    rule: str  # id@version, or "" for basic information published while valid
    explanation: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (2024-08-31 + 6 → 2025-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _field(kind: RecordKind, data: dict[str, Any], codelist: str) -> str:
    return next((data.get(f["code"], "") for f in kind.schema if f.get("codelist") == codelist), "")


def severity_of(kind: RecordKind, data: dict[str, Any], decided: dt.date) -> str:
    """The provider's classification (失信严重程度) if given; else serious penalty types; else the kind's."""
    given = SEVERITY_BY_LABEL.get(_field(kind, data, "severity"))
    if given is not None:
        return given
    if kind.code == "penalty":
        serious_types = rulebook.rule_or_none(SERIOUS_TYPES_RULE, decided)
        types = set(_field(kind, data, "penalty_type").split(";"))
        if serious_types is not None and types & set(serious_types.value):
            return Severity.SERIOUS
    return kind.severity


def _wan(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _market_supervision(
    rule: rulebook.Rule, kind: RecordKind, data: dict[str, Any], decided: dt.date, severity: str
) -> Publication:
    types = {t for t in _field(kind, data, "penalty_type").split(";") if t}
    values = rule.value
    title = values["title"]
    if types == {"警告"}:
        return Publication(
            False, decided, None, None, severity, rule.ref, f"依据{title}，仅受到警告的行政处罚不予公示"
        )
    fine = _wan(next((data.get(f["code"], "") for f in kind.schema if f["code"].endswith("_fk")), ""))
    small = values["small_fine_max_wan"]
    small_fine = (
        "罚款" in types
        and types <= {"罚款", "通报批评"}
        and small is not None
        and fine is not None
        and fine <= Decimal(str(small))
    )
    if types == {"通报批评"} or small_fine:
        months, reason = values["notice_or_small_fine"]["max"], "仅受到通报批评或者较低数额罚款"
    else:
        months, reason = values["other"]["max"], "其他行政处罚"
    until = add_months(decided, months) - dt.timedelta(days=1)
    return Publication(
        True,
        decided,
        until,
        None,
        severity,
        rule.ref,
        f"公示至 {until}，依据{title}：{reason}的公示期{months}个月",
    )


def _national_penalty(
    rule: rulebook.Rule, domain_number: int, decided: dt.date, severity: str
) -> Publication:
    values = rule.value
    period = values.get(severity) or values[Severity.GENERAL]
    minimum = period.get("min", 0)
    longer = values.get("longer_minimum")
    if longer and domain_number in longer["domains"]:
        minimum = max(minimum, longer["min"])
    label = SEVERITY_LABEL.get(severity, "一般")
    if period.get("publish", True) is False:
        return Publication(
            False,
            decided,
            None,
            None,
            severity,
            rule.ref,
            f"依据{values['title']}，{label}失信信息原则上不予公示",
        )
    until = add_months(decided, period["max"]) - dt.timedelta(days=1)
    return Publication(
        True, decided, until, add_months(decided, minimum), severity, rule.ref,
        f"公示至 {until}，依据{values['title']}：{label}失信信息最长公示{period['max']}个月",
    )  # fmt: skip


def _xiamen(rule: rulebook.Rule, kind: RecordKind, decided: dt.date, severity: str) -> Publication:
    values = rule.value
    key = LIST_PERIODS.get(kind.code) or ("serious" if severity == Severity.SERIOUS else "general")
    months = values[key]
    until = add_months(decided, months) - dt.timedelta(days=1)
    what = kind.name if kind.code in LIST_PERIODS else f"{SEVERITY_LABEL.get(severity, '一般')}失信行为信息"
    return Publication(
        True,
        decided,
        until,
        None,
        severity,
        rule.ref,
        f"公示至 {until}，依据{values['title']}：{what}公示期{months}个月",
    )


def _while_valid(kind: RecordKind, data: dict[str, Any], decided: dt.date) -> Publication:
    """Basic and trust information: published from the decision while it is valid."""
    valid_to = next((data.get(f["code"], "") for f in kind.schema if f["name"] == "有效期至"), "")
    until = dt.date.fromisoformat(valid_to) if valid_to and valid_to != LONG_TERM.isoformat() else None
    text = f"有效期内公示，至 {until}" if until else "长期公示"
    return Publication(
        True,
        decided,
        until,
        None,
        Severity.NONE,
        "",
        f"{kind.name}属于{Category(kind.category).label}，{text}",
    )


def decide(kind: RecordKind, domain_number: int, data: dict[str, Any], decided: dt.date) -> Publication:
    """The publication of a record version. Raises ``rulebook.NoRuleInForce`` for a dishonesty record
    decided when no rule was in force (before the platform's data start)."""
    if kind.category != Category.DISHONESTY:
        return _while_valid(kind, data, decided)
    severity = severity_of(kind, data, decided)
    if kind.code == "penalty":
        market = rulebook.rule_or_none(MARKET_RULE, decided)
        if market is not None and domain_number in market.value["domains"]:
            return _market_supervision(market, kind, data, decided, severity)
        return _national_penalty(rulebook.rule(PENALTY_RULE, decided), domain_number, decided, severity)
    return _xiamen(rulebook.rule(XIAMEN_RULE, decided), kind, decided, severity)
