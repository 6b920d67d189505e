"""May this record be repaired (可否申请信用修复), and if not, why not and from when.

``assess(facts, on)`` is pure: it reads only the facts of one record and the rulebook, so the
boundaries (the day before, the day, the day after a minimum period; either side of 2026-04-01) are
tested without a database. ``eligibility(record, on)`` loads the facts and calls it.

Which rule version applies (rulebook/repair.yaml): the one in force on the application day ``on``.
The minimum period counts from the record's publication start (``publish_from``, the decision date);
where the record's own publication minimum (``minimum_until``) ends later, that day counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F

from xinyong.catalog.models import Category, RecordKind, Severity
from xinyong.core import clock, rulebook
from xinyong.records.models import CreditRecord, Overlay, RecordVersion
from xinyong.records.publication import SEVERITY_LABEL, add_months
from xinyong.repairs.rules import MINIMUM_PERIOD, NEVER_REPAIRABLE, ROUTES, NeverRepairable, Route, Routing

PENALTY = "penalty"
BEHAVIOUR_FIELD = "违法行为类型"


@dataclass(frozen=True)
class Facts:
    """What eligibility depends on, for one record (loaded by ``facts_of``)."""

    kind_code: str
    kind_name: str
    category: str
    severity: str
    counted_from: dt.date  # publication start (publish_from), else the decision date
    minimum_until: dt.date | None = None  # the record's own publication minimum, if any
    publication_rule: str = ""
    domain_number: int = 0
    penalty_types: frozenset[str] = frozenset()
    behaviour: str = ""  # 违法行为类型
    fields: dict[str, str] = field(default_factory=dict)  # the latest version's values by field name
    repaired: bool = False
    revoked: bool = False
    open_application: str = ""  # number of a repair application still under review


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[str]  # Chinese, one sentence each, shown to the subject and stored at filing
    earliest: dt.date | None  # first day an application may be made (None: never, or not applicable)
    rules: list[str] = field(default_factory=list)  # id@version of every rule used
    offered: bool = True  # False: not a city repair case at all (repaired elsewhere), no application form


def never_repairable(facts: Facts, rule: rulebook.Rule[NeverRepairable]) -> str | None:
    """The entry of the never-repairable list this penalty falls under, as a sentence, or None."""
    if facts.kind_code != PENALTY:
        return None
    values = rule.value
    heavy = sorted(facts.penalty_types & set(values.penalty_types))
    if not heavy:
        return None
    penalties = "、".join(heavy)
    for entry in values.fields:
        if facts.domain_number in entry.domain_numbers or any(k in facts.behaviour for k in entry.keywords):
            return f"在{entry.name}领域被处以{penalties}的行政处罚信息不可修复"
    for behaviour in values.behaviours:
        if any(k in facts.behaviour for k in behaviour.keywords):
            return f"因{behaviour.name}行为被处以{penalties}的行政处罚信息不可修复"
    return None


def elsewhere(facts: Facts, rule: rulebook.Rule[dict[str, Routing]]) -> str | None:
    """How this record ends if it is not a city repair case (rule repair.routes), as a sentence, else None."""
    routing = rule.value.get(facts.kind_code)
    entry = routing.for_fields(facts.fields) if routing is not None else None
    return entry.how.strip() if entry is not None and entry.route is Route.ELSEWHERE else None


def _minimum(facts: Facts, on: dt.date) -> tuple[dt.date | None, list[str], list[str]]:
    """(earliest application day, sentences, rule refs) of the minimum publication period."""
    rule = MINIMUM_PERIOD.on_or_none(on)
    if rule is None:
        return None, [f"{on} 没有在施行的信用修复最短公示期规则"], []
    severity = (
        facts.severity
        if facts.severity in (Severity.GENERAL, Severity.SERIOUS, Severity.MINOR)
        else Severity.GENERAL
    )
    months = rule.value.months(severity)
    label = SEVERITY_LABEL.get(severity, "一般")
    earliest = add_months(facts.counted_from, months)
    title = rule.value.title
    if months == 0:
        sentences = [f"依据{title}，{label}失信信息无最短公示期，履行法定责任后即可申请修复"]
    else:
        sentences = [
            f"依据{title}，{label}失信信息最短公示期{months}个月，"
            f"自 {facts.counted_from} 起算，{earliest} 起可申请修复"
        ]
    refs = [rule.ref]
    if facts.minimum_until is not None and facts.minimum_until > earliest:
        earliest = facts.minimum_until
        sentences.append(
            f"该记录的公示规则要求至少公示至 {earliest}（{rulebook.citation(facts.publication_rule)}）"
        )
        refs.extend(facts.publication_rule.split(","))
    return earliest, sentences, refs


def assess(facts: Facts, on: dt.date) -> Eligibility:
    """Whether an application for this record may be made on ``on``, with every reason it may not."""
    if facts.category != Category.DISHONESTY:
        return Eligibility(False, [f"{facts.kind_name}不是失信信息，无需信用修复"], None)
    reasons: list[str] = []
    refs: list[str] = []
    routes = ROUTES.on_or_none(on)
    how = elsewhere(facts, routes) if routes is not None else None
    if routes is not None and how is not None:
        return Eligibility(False, [how], None, [routes.ref], offered=False)
    if facts.revoked:
        reasons.append("该记录已被撤销，无需信用修复")
    if facts.repaired:
        reasons.append("该记录已完成信用修复")
    never = NEVER_REPAIRABLE.on_or_none(on)
    if never is not None:
        refs.append(never.ref)
        entry = never_repairable(facts, never)
        if entry is not None:
            reasons.append(f"依据{never.value.title}，{entry}")
            return Eligibility(False, reasons, None, refs)
    if facts.open_application:
        reasons.append(f"已有办理中的信用修复申请 {facts.open_application}")
    earliest, sentences, minimum_refs = _minimum(facts, on)
    refs.extend(minimum_refs)
    if earliest is None or on < earliest:
        reasons.extend(sentences)
        if earliest is not None:
            reasons.append(f"最短公示期未满，{earliest} 起方可申请")
        return Eligibility(False, reasons, earliest, refs)
    if reasons:
        return Eligibility(False, reasons, earliest, refs)
    return Eligibility(True, [*sentences, "符合信用修复的期限条件，可申请修复"], earliest, refs)


def _field_by(kind: RecordKind, *, name: str = "", codelist: str = "") -> str:
    for f in kind.schema:
        if (name and f.get("name") == name) or (codelist and f.get("codelist") == codelist):
            return str(f["code"])
    return ""


def facts_for(records: Sequence[CreditRecord], *, at: dt.datetime | None = None) -> dict[int, Facts]:
    """The facts of each of ``records`` now (overlays active at ``at``, the latest version's content),
    by record id, in four queries whatever their number (a subject's list page judges a whole page).
    The records should come with ``domain`` loaded (select_related)."""
    from xinyong.repairs.models import RepairApplication  # models import this module's types

    at = at or clock.now()
    ids = [r.pk for r in records]
    versions = {
        v.record_id: v
        for v in RecordVersion.objects.filter(
            record_id__in=ids, version=F("record__latest_version")
        ).select_related("kind")
    }
    overlays: dict[int, set[str]] = defaultdict(set)
    for overlay in Overlay.objects.filter(record_id__in=ids):
        if overlay.active_at(at):
            overlays[overlay.record_id].add(overlay.kind)
    open_cases = dict(
        RepairApplication.objects.filter(
            record_id__in=ids, state__in=RepairApplication.OPEN_STATES
        ).values_list("record_id", "number")
    )
    out: dict[int, Facts] = {}
    for record in records:
        version = versions[record.pk]
        kind = version.kind
        data = version.data
        types_code = _field_by(kind, codelist="penalty_type")
        out[record.pk] = Facts(
            kind_code=record.kind_code,
            kind_name=kind.name,
            category=kind.category,
            severity=record.severity or kind.severity,
            counted_from=record.publish_from or record.decision_date,
            minimum_until=record.minimum_until,
            publication_rule=record.publication_rule,
            domain_number=record.domain.number,
            penalty_types=frozenset(t for t in str(data.get(types_code, "")).split(";") if t),
            behaviour=str(data.get(_field_by(kind, name=BEHAVIOUR_FIELD), "")),
            fields={f["name"]: str(data.get(f["code"], "")) for f in kind.schema if data.get(f["code"])},
            repaired=Overlay.Kind.REPAIRED in overlays[record.pk],
            revoked=Overlay.Kind.REVOKED in overlays[record.pk],
            open_application=open_cases.get(record.pk, ""),
        )
    return out


def facts_of(record: CreditRecord, *, at: dt.datetime | None = None) -> Facts:
    """The facts of one record now (see ``facts_for``)."""
    return facts_for([record], at=at)[record.pk]


def eligibility(record: CreditRecord, on: dt.date) -> Eligibility:
    """May an application for ``record`` be made on ``on`` (the application day)?"""
    return assess(facts_of(record), on)
