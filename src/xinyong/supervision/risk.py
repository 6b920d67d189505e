"""Credit risk warnings (信用风险预警), raised and withdrawn automatically.

《厦门市社会信用体系建设2022年工作要点》 (二十四): the platform analyses what it has collected and warns a
market subject that, within one year, received 60 or more administrative penalties, or penalties from 3
or more departments, or that is on several serious-dishonesty lists; the warning goes to every
enforcement department concerned, which interviews the subject (约谈) and follows up rectification and
repair. Each condition is a rule of its own (rulebook/supervision.yaml, ``supervision.risk_warning.*``).

Every condition is one GROUP BY … HAVING over the credit records, for all subjects at once (the daily
job) or for those intake just touched (``receivers``); nothing is counted per subject in Python. A record
counts while it is neither revoked nor repaired nor held for a code check; a list entry while it has not
exited. A standing warning whose subject no longer meets its condition is withdrawn with a note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.urls import reverse

from xinyong.accounts.models import User
from xinyong.accounts.notify import notify_many
from xinyong.audit.services import Actor, record, record_many
from xinyong.catalog.models import Provider, RecordKind
from xinyong.core import clock, rulebook
from xinyong.records.models import CreditRecord, Overlay, RecordVersion
from xinyong.records.publication import add_months
from xinyong.supervision.models import RiskWarning
from xinyong.supervision.rules import RISK_RULES, Measure, RiskRule

SYSTEM = Actor.system("risk warning")
UNITS = {Measure.RECORDS: "次", Measure.DEPARTMENTS: "个部门", Measure.LISTS: "个名单"}


@dataclass
class RiskChanges:
    raised: list[RiskWarning] = field(default_factory=list)
    withdrawn: list[RiskWarning] = field(default_factory=list)


def window_start(rule: RiskRule, today: dt.date) -> dt.date | None:
    """The first day of the rule's window ending ``today``: the day after the same date ``within_months``
    earlier (None: the rule has no window)."""
    if rule.within_months is None:
        return None
    return add_months(today, -rule.within_months) + dt.timedelta(days=1)


def counted(rule: RiskRule, *, at: dt.datetime) -> QuerySet[CreditRecord]:
    """The records ``rule`` counts at ``at``: of its kind, decided within its window (or, for lists, in
    force: not exited), neither revoked nor repaired at ``at``, not held for a code check."""
    today = clock.local_date(at)
    records = CreditRecord.objects.filter(kind_code=rule.kind, hold="", decision_date__lte=today)
    start = window_start(rule, today)
    if start is not None:
        records = records.filter(decision_date__gte=start)
    if rule.measure == Measure.LISTS:
        records = records.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    cancelled = Overlay.objects.filter(
        record=OuterRef("pk"), kind__in=[Overlay.Kind.REVOKED, Overlay.Kind.REPAIRED], starts_at__lte=at
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
    return records.exclude(Exists(cancelled))


def _list_field_code(kind_code: str, name: str) -> str:
    """The field code of ``kind_code``'s field called ``name`` (its 名单类型), newest schema version."""
    kind = RecordKind.objects.filter(code=kind_code).order_by("-version").first()
    return next((str(f["code"]) for f in (kind.schema if kind else []) if f["name"] == name), "")


def measured(rule: RiskRule, records: QuerySet[CreditRecord]) -> QuerySet[Any, dict[str, Any]]:
    """One row per subject among ``records``: ``subject_id``, ``subject_code`` and ``n``, what the rule
    measures (records, distinct departments, distinct lists). One GROUP BY; callers add ``n__gte``."""
    if rule.measure == Measure.LISTS:
        # The list an entry is on is in its latest version's content (名单类型).
        code = _list_field_code(rule.kind, rule.list_field)
        versions = RecordVersion.objects.filter(record__in=records, version=F("record__latest_version"))
        return versions.values(subject_id=F("record__subject_id"), code=F("record__subject_code")).annotate(
            n=Count(KT(f"data__{code}"), distinct=True)
        )
    rows = records.values("subject_id", code=F("subject_code"))
    if rule.measure == Measure.DEPARTMENTS:
        return rows.annotate(n=Count("provider_id", distinct=True))
    return rows.annotate(n=Count("pk"))


def department_users(providers: Iterable[Provider]) -> QuerySet[User]:
    """The people of the departments: their provider staff and the officers of the government unit with
    the same USCC (a department may have both kinds of account)."""
    chosen = list(providers)
    return User.objects.filter(
        Q(kind=User.Kind.PROVIDER, provider__in=chosen) | Q(kind=User.Kind.UNIT, unit__code__in=[p.code for p in chosen]),
        is_active=True,
    )  # fmt: skip


def review_risk_warnings(
    subject_codes: Iterable[str] | None, *, at: dt.datetime | None = None
) -> RiskChanges:
    """Raise a warning for every given subject (every subject: None) that meets a rule at ``at`` and has
    none standing under it; withdraw the standing warnings whose subject no longer does. Idempotent."""
    at = at or clock.now()
    today = clock.local_date(at)
    codes = None if subject_codes is None else set(subject_codes)
    changes = RiskChanges()
    if codes is not None and not codes:
        return changes
    for spec in RISK_RULES:
        rule = spec.on_or_none(today)
        if rule is not None:
            with transaction.atomic():
                _review(spec.id, rule, codes, at, changes)
    return changes


def _review(
    rule_id: str, rule: rulebook.Rule[RiskRule], codes: set[str] | None, at: dt.datetime, changes: RiskChanges
) -> None:
    base = counted(rule.value, at=at)
    scope = base if codes is None else base.filter(subject_code__in_set=codes)
    hits = {row["code"]: row for row in measured(rule.value, scope).filter(n__gte=rule.value.at_least)}
    standing_warnings = RiskWarning.objects.filter(rule_id=rule_id, state=RiskWarning.State.STANDING)
    if codes is not None:
        standing_warnings = standing_warnings.filter(subject_code__in_set=codes)
    standing = {w.subject_code: w for w in standing_warnings.select_for_update()}
    gone = [w for code, w in standing.items() if code not in hits]
    if gone:
        left = base.filter(subject_code__in_set={w.subject_code for w in gone})
        now = {row["code"]: row["n"] for row in measured(rule.value, left)}
        for warning in gone:
            changes.withdrawn.append(_withdraw(warning, rule, now.get(warning.subject_code, 0), at=at))
    new = {code: row for code, row in hits.items() if code not in standing}
    if new:
        try:
            with transaction.atomic():
                changes.raised.extend(_raise(rule_id, rule, base, new, at=at))
        except IntegrityError as exc:
            # A parallel run (another intake, the daily job) raised them first: one standing warning
            # per subject and rule is a database constraint. Anything else is a fault.
            if "supervision_riskwarning" not in str(exc):
                raise


def _raise(
    rule_id: str,
    rule: rulebook.Rule[RiskRule],
    base: QuerySet[CreditRecord],
    new: dict[str, dict[str, Any]],
    *,
    at: dt.datetime,
) -> list[RiskWarning]:
    value, today = rule.value, clock.local_date(at)
    start = window_start(value, today)
    records: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, pk, provider_id in base.filter(subject_code__in_set=set(new)).values_list(
        "subject_code", "pk", "provider_id"
    ):
        records[code].append((pk, provider_id))
    span = f"{start} 至 {today}" if start else f"截至 {today}"
    unit = UNITS[value.measure]
    warnings = RiskWarning.objects.bulk_create(
        [
            RiskWarning(
                subject_id=row["subject_id"], subject_code=code, rule_id=rule_id, rule=rule.ref,
                title=value.title, measured=row["n"], threshold=value.at_least, window_start=start,
                window_end=today, raised_at=at,
                explanation=f"{span}{_what(value)}{row['n']}{unit}，达到{value.at_least}{unit}，发出信用风险预警",
            )
            for code, row in sorted(new.items())
        ]
    )  # fmt: skip
    RiskWarning.records.through.objects.bulk_create(
        [
            RiskWarning.records.through(riskwarning_id=w.pk, creditrecord_id=pk)
            for w in warnings
            for pk, _ in records[w.subject_code]
        ]
    )
    RiskWarning.departments.through.objects.bulk_create(
        [
            RiskWarning.departments.through(riskwarning_id=w.pk, provider_id=provider_id)
            for w in warnings
            for provider_id in sorted({p for _, p in records[w.subject_code]})
        ]
    )
    departments = {w.pk: sorted({p for _, p in records[w.subject_code]}) for w in warnings}
    codes = Provider.objects.in_bulk({p for ids in departments.values() for p in ids})
    record_many(actor=SYSTEM, action="risk_warning.raise", entries=(
        {"subject_code": w.subject_code, "object_type": "risk_warning", "object_id": w.pk,
         "detail": {"rule": w.rule, "measured": w.measured, "records": len(records[w.subject_code]),
                    "departments": [codes[p].code for p in departments[w.pk]]}}
        for w in warnings
    ))  # fmt: skip
    _tell(warnings, departments)
    return warnings


def _tell(warnings: list[RiskWarning], departments: dict[int, list[int]]) -> None:
    """Each new warning to the people of its departments (linking to the warning) and to the subject's own
    accounts (linking to "我的信用风险预警"); one query for all recipients, one insert for all messages."""
    people: dict[int, list[User]] = defaultdict(list)
    chosen = Provider.objects.filter(pk__in={p for ids in departments.values() for p in ids})
    by_code = {p.code: p.pk for p in chosen}
    for user in department_users(chosen).select_related("unit"):
        unit_code = user.unit.code if user.unit is not None else ""
        people[user.provider_id or by_code[unit_code]].append(user)
    subjects: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.filter(subject_code__in_set={w.subject_code for w in warnings}, verified_at__isnull=False,
                                    is_active=True):  # fmt: skip
        subjects[user.subject_code].append(user)
    own = reverse("supervision:my-warnings")
    notify_many(
        message
        for w in warnings
        for message in (
            ([u for p in departments[w.pk] for u in people[p]], f"信用风险预警：{w.subject_code}（{w.title}）",
             w.explanation, reverse("supervision:warning", args=[w.pk])),
            (subjects[w.subject_code], "您收到一条信用风险预警", w.explanation, own),
        )
    )  # fmt: skip


def _what(rule: RiskRule) -> str:
    if rule.measure == Measure.LISTS:
        return "在列的严重失信主体名单"
    if rule.measure == Measure.DEPARTMENTS:
        return "作出行政处罚的部门"
    return "受到行政处罚"


def _withdraw(
    warning: RiskWarning, rule: rulebook.Rule[RiskRule], now: int, *, at: dt.datetime
) -> RiskWarning:
    value, today = rule.value, clock.local_date(at)
    start = window_start(value, today)
    span = f"{start} 至 {today}" if start else f"截至 {today}"
    unit = UNITS[value.measure]
    warning.state = RiskWarning.State.WITHDRAWN
    warning.withdrawn_at = at
    warning.withdrawal_note = (
        f"{span}{_what(value)}{now}{unit}，不足{value.at_least}{unit}（已撤销、已修复、已移出的不计），"
        f"预警条件不再满足，自动撤回（规则 {rule.ref}）"
    )
    warning.save(update_fields=["state", "withdrawn_at", "withdrawal_note"])
    record(
        actor=SYSTEM, action="risk_warning.withdraw", subject_code=warning.subject_code,
        object_type="risk_warning", object_id=warning.pk, detail={"rule": rule.ref, "measured": now},
    )  # fmt: skip
    return warning
