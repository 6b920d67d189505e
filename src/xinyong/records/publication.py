"""The publication clock (公示期): for a record version, whether it is published, from when, until when,
its severity, and which rule (id@version) decided it, with one sentence of explanation.

Which rule applies (docs/publication.md): administrative penalties in the market-supervision domains
follow 总局令第45号 while it is in force; other penalties follow the national rule in force on the
decision date (发改办财金〔2019〕527号 until 2023-04-30, 58号令 until 2026-03-31, 36号令 from 2026-04-01);
other dishonesty kinds follow the Xiamen periods; basic and trust information is published while it is
valid. Within the legal window a provider's own 公示截止期 may shorten publication, never below the legal
minimum; an exit (移出, 缴清, 解除) ends the dishonest state on its date. All numbers come from
``rulebook/publication.yaml``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.catalog.models import Category, RecordKind, Severity
from xinyong.core import rulebook
from xinyong.records.rules import (
    EXIT,
    MARKET_SUPERVISION_PENALTY,
    NOT_PUBLISHED,
    PENALTY,
    PROVIDER_END_DATE,
    SERIOUS_PENALTY_TYPES,
    XIAMEN_DISHONESTY,
    AfterExit,
    MarketSupervisionPeriods,
    PenaltyPeriods,
    XiamenPeriods,
)

SEVERITY_BY_LABEL = {"轻微": Severity.MINOR, "一般": Severity.GENERAL, "严重": Severity.SERIOUS}
SEVERITY_LABEL: dict[str, str] = {str(v): k for k, v in SEVERITY_BY_LABEL.items()}
#: Kinds whose Xiamen period is their own, whatever their severity (《厦门市公共信用信息管理办法》).
LIST_PERIODS = {
    "serious_dishonesty_list": "joint_punishment_list",
    "key_attention_list": "key_attention_list",
}
LONG_TERM = dt.date(2099, 12, 31)  # 有效期至 2099-12-31 means long-term


@dataclass(frozen=True)
class Publication:
    published: bool
    publish_from: dt.date
    publish_until: dt.date | None  # last day published; None: while valid, no end
    minimum_until: dt.date | None  # publication must last at least until this day (repair)
    severity: str
    rule: str  # id@version of every rule applied, comma-separated; "" for basic information while valid
    explanation: str
    ended_on: dt.date | None = None  # exit date (移出/缴清/解除): the dishonest state ends on this day


@dataclass(frozen=True)
class Exit:
    """How a kind's dishonest state ends (rule publication.exit): the field whose date ends it, the verb
    and labels shown (移出 / 已移出 / 至今未移出), and whether publication stops on that day."""

    field: str  # the field's Chinese name in the kind's schema
    verb: str
    label: str
    ongoing: str
    ends_publication: bool
    rule: str  # id@version


@dataclass(frozen=True)
class _Window:
    """A dishonesty record's legal window: its publication, and the last day of its legal minimum (the
    same as the end where a rule sets one fixed period). A provider's date may move the end in between."""

    publication: Publication
    floor: dt.date | None = None
    title: str = ""


def exit_of(kind_code: str, on: dt.date) -> Exit | None:
    """How records of ``kind_code`` end, under the exit rule in force on ``on``; None if they do not."""
    rule = EXIT.on_or_none(on)
    entry = rule.value.get(kind_code) if rule is not None else None
    if rule is None or entry is None:
        return None
    return Exit(
        entry.field, entry.verb, entry.label, entry.ongoing, entry.after_exit is AfterExit.END, rule.ref
    )


def exit_kinds(on: dt.date) -> list[str]:
    """The kinds whose records are in force from entry until their exit (lists, arrears, enforcement)."""
    rule = EXIT.on_or_none(on)
    return sorted(rule.value) if rule is not None else []


def provider_end_field(on: dt.date) -> str:
    """The name of the field in which a provider may send its own publication end date (公示截止期)."""
    rule = PROVIDER_END_DATE.on_or_none(on)
    return rule.value.field if rule is not None else ""


@dataclass(frozen=True)
class _Codes:
    """Where a kind keeps what publication reads: the field code by Chinese name, by code list, and
    the fine (``…_fk``); the first field of the schema wins, as a scan of it would find."""

    by_name: dict[str, str]
    by_codelist: dict[str, str]
    fine: str


def _codes(kind: RecordKind) -> _Codes:
    # Kept on the instance: an import judges thousands of rows of one kind, and a kind's schema is
    # fixed for the life of the object (a new schema is a new RecordKind version).
    found: _Codes | None = kind.__dict__.get("_publication_codes")
    if found is None:
        by_name: dict[str, str] = {}
        by_codelist: dict[str, str] = {}
        for f in kind.schema:
            by_name.setdefault(f["name"], f["code"])
            if f.get("codelist"):
                by_codelist.setdefault(f["codelist"], f["code"])
        fine = next((f["code"] for f in kind.schema if f["code"].endswith("_fk")), "")
        found = kind.__dict__["_publication_codes"] = _Codes(by_name, by_codelist, fine)
    return found


def _date_field(kind: RecordKind, data: dict[str, Any], name: str) -> dt.date | None:
    """The date in the field of ``kind`` named ``name`` (validated ISO at intake), if given."""
    code = _codes(kind).by_name.get(name)
    value = data.get(code, "") if code is not None else ""
    return dt.date.fromisoformat(value) if value else None


def exit_date(kind: RecordKind, data: dict[str, Any], on: dt.date) -> dt.date | None:
    """The exit date a version of a record carries (None: not ended, or a kind that does not end)."""
    ends = exit_of(kind.code, on)
    return _date_field(kind, data, ends.field) if ends is not None else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (2024-08-31 + 6 → 2025-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _field(kind: RecordKind, data: dict[str, Any], codelist: str) -> str:
    code = _codes(kind).by_codelist.get(codelist)
    return data.get(code, "") if code is not None else ""


def severity_of(kind: RecordKind, data: dict[str, Any], decided: dt.date) -> str:
    """The provider's classification (失信严重程度) if given; else serious penalty types; else the kind's."""
    given = SEVERITY_BY_LABEL.get(_field(kind, data, "severity"))
    if given is not None:
        return given
    if kind.code == "penalty":
        serious_types = SERIOUS_PENALTY_TYPES.on_or_none(decided)
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
    rule: rulebook.Rule[MarketSupervisionPeriods],
    kind: RecordKind,
    data: dict[str, Any],
    decided: dt.date,
    severity: str,
) -> _Window:
    types = {t for t in _field(kind, data, "penalty_type").split(";") if t}
    values = rule.value
    title = values.title
    if types == {"警告"}:
        return _Window(
            Publication(
                False, decided, None, None, severity, rule.ref, f"依据{title}，仅受到警告的行政处罚不予公示"
            )
        )
    fine_code = _codes(kind).fine
    fine = _wan(data.get(fine_code, "") if fine_code else "")
    small = values.small_fine_max_wan
    small_fine = (
        "罚款" in types
        and types <= {"罚款", "通报批评"}
        and small is not None
        and fine is not None
        and fine <= Decimal(str(small))
    )
    if types == {"通报批评"} or small_fine:
        months, reason = values.notice_or_small_fine.max, "仅受到通报批评或者较低数额罚款"
    else:
        months, reason = values.other.max, "其他行政处罚"
    until = add_months(decided, months) - dt.timedelta(days=1)
    return _Window(
        Publication(
            True,
            decided,
            until,
            None,
            severity,
            rule.ref,
            f"公示至 {until}，依据{title}：{reason}的公示期{months}个月",
        ),
        until,
        title,
    )


def _national_penalty(
    rule: rulebook.Rule[PenaltyPeriods], domain_number: int, decided: dt.date, severity: str
) -> _Window:
    values = rule.value
    period = values.period(severity)
    minimum = period.min
    longer = values.longer_minimum
    if longer and domain_number in longer.domains:
        minimum = max(minimum, longer.min)
    label = SEVERITY_LABEL.get(severity, "一般")
    if not period.publish:
        return _Window(
            Publication(
                False, decided, None, None, severity, rule.ref,
                f"依据{values.title}，{label}失信信息原则上不予公示",
            )
        )  # fmt: skip
    until = add_months(decided, period.max) - dt.timedelta(days=1)
    minimum_until = add_months(decided, minimum)
    return _Window(
        Publication(
            True, decided, until, minimum_until, severity, rule.ref,
            f"公示至 {until}，依据{values.title}：{label}失信信息最长公示{period.max}个月",
        ),
        minimum_until - dt.timedelta(days=1),
        values.title,
    )  # fmt: skip


def _xiamen(rule: rulebook.Rule[XiamenPeriods], kind: RecordKind, decided: dt.date, severity: str) -> _Window:
    values = rule.value
    key = LIST_PERIODS.get(kind.code) or ("serious" if severity == Severity.SERIOUS else "general")
    months: int = getattr(values, key)
    until = add_months(decided, months) - dt.timedelta(days=1)
    what = kind.name if kind.code in LIST_PERIODS else f"{SEVERITY_LABEL.get(severity, '一般')}失信行为信息"
    return _Window(
        Publication(
            True,
            decided,
            until,
            None,
            severity,
            rule.ref,
            f"公示至 {until}，依据{values.title}：{what}公示期{months}个月",
        ),
        until,
        values.title,
    )


def _while_valid(kind: RecordKind, data: dict[str, Any], decided: dt.date) -> Publication:
    """Basic and trust information: published from the decision while it is valid."""
    valid_to = _date_field(kind, data, "有效期至")
    until = valid_to if valid_to != LONG_TERM else None
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


def _provider_end(window: _Window, kind: RecordKind, data: dict[str, Any], decided: dt.date) -> Publication:
    """The legal window narrowed to the provider's own 公示截止期 where the law allows (rule
    publication.provider_end_date): the earlier of the two, never before the legal minimum."""
    p = window.publication
    rule = PROVIDER_END_DATE.on_or_none(decided)
    given = _date_field(kind, data, provider_end_field(decided)) if rule is not None else None
    if (
        rule is None
        or given is None
        or not p.published
        or p.publish_until is None
        or given == p.publish_until
    ):
        return p
    floor = window.floor or p.publish_until
    until = min(max(given, floor), p.publish_until)
    if until == given:
        note = f"公示至 {until}：信息提供单位报送的公示截止期，在{window.title}规定的公示期限内"
    elif given > p.publish_until:
        note = f"{p.explanation}（信息提供单位报送的公示截止期 {given} 超过法定最长公示期，以法定期限为准）"
    else:
        note = f"公示至 {until}，依据{window.title}的最短公示期（信息提供单位报送的公示截止期 {given} 早于最短公示期，以法定期限为准）"
    return replace(p, publish_until=until, rule=f"{p.rule},{rule.ref}", explanation=note)


def _exit(p: Publication, kind: RecordKind, data: dict[str, Any], decided: dt.date) -> Publication:
    """An exit ends the dishonest state on its date; for lists it also ends publication that day."""
    ends = exit_of(kind.code, decided)
    ended = _date_field(kind, data, ends.field) if ends is not None else None
    if ends is None or ended is None:
        return p
    rule = f"{p.rule},{ends.rule}"
    if ends.ends_publication and p.published:
        until = ended - dt.timedelta(days=1)
        if p.publish_until is not None and p.publish_until < until:
            until = p.publish_until
        note = f"已于 {ended} {ends.verb}，失信状态自当日终止，停止公示"
        return replace(p, publish_until=until, rule=rule, explanation=note, ended_on=ended)
    shown = f"作为历史信息公示至 {p.publish_until}" if p.published else "不予公示"
    note = f"已于 {ended} {ends.verb}，失信状态自当日终止，{shown}"
    return replace(p, rule=rule, explanation=note, ended_on=ended)


def decide(kind: RecordKind, domain_number: int, data: dict[str, Any], decided: dt.date) -> Publication:
    """The publication of a record version. Raises ``rulebook.NoRuleInForce`` for a dishonesty record
    decided when no rule was in force."""
    withheld = NOT_PUBLISHED.on_or_none(decided)
    if withheld is not None and kind.code in withheld.value.kinds:
        return Publication(
            False, decided, None, None, Severity.NONE, withheld.ref, withheld.value.explanation
        )
    if kind.category != Category.DISHONESTY:
        return _while_valid(kind, data, decided)
    severity = severity_of(kind, data, decided)
    if kind.code == "penalty":
        market = MARKET_SUPERVISION_PENALTY.on_or_none(decided)
        if market is not None and domain_number in market.value.domains:
            window = _market_supervision(market, kind, data, decided, severity)
        else:
            window = _national_penalty(PENALTY.on(decided), domain_number, decided, severity)
    else:
        window = _xiamen(XIAMEN_DISHONESTY.on(decided), kind, decided, severity)
    return _exit(_provider_end(window, kind, data, decided), kind, data, decided)
