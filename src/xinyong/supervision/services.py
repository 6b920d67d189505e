"""Social credit warnings (社会信用预警), raised and withdrawn automatically from key-attention lists.

《厦门市公共信用信息管理办法》: a subject placed on key-attention lists (重点关注名单) of three or more
industries or domains within twelve months gets a public warning. The rule (supervision.social_credit_warning)
counts distinct lists, told apart by their 名单类型, among the entries listed within the window that are
still in force: neither removed (移出日期 on or before the day), revoked, repaired nor held for a code check.
A warning whose subject no longer meets the rule is withdrawn, on the audit trail and with a note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from xinyong.audit.services import Actor, record
from xinyong.catalog.models import RecordKind
from xinyong.core import clock
from xinyong.records.models import CreditRecord, Overlay, RecordVersion
from xinyong.records.publication import add_months
from xinyong.records.rules import XIAMEN_DISHONESTY
from xinyong.supervision.models import SocialCreditWarning
from xinyong.supervision.rules import SOCIAL_CREDIT_WARNING

KEY_ATTENTION = "key_attention_list"


@dataclass
class WarningChanges:
    raised: list[SocialCreditWarning] = field(default_factory=list)
    withdrawn: list[SocialCreditWarning] = field(default_factory=list)


def _list_field_code(name: str) -> str:
    """The field code of the key-attention kind's field called ``name`` (its 名单类型), newest version."""
    kind = RecordKind.objects.filter(code=KEY_ATTENTION).order_by("-version").first()
    return next((str(f["code"]) for f in (kind.schema if kind else []) if f["name"] == name), "")


def in_force_entries(
    entries: QuerySet[CreditRecord], *, at: dt.datetime, list_field: str
) -> QuerySet[CreditRecord, tuple[str, int, str]]:
    """(subject code, record id, list) of the key-attention ``entries`` in force at ``at``: listed by then,
    not ended by their exit date, not revoked or repaired, not held for a code check. One query."""
    today = clock.local_date(at)
    live = Overlay.objects.filter(
        record=OuterRef("pk"), kind__in=[Overlay.Kind.REVOKED, Overlay.Kind.REPAIRED], starts_at__lte=at
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
    latest = RecordVersion.objects.filter(record=OuterRef("pk"), version=OuterRef("latest_version"))
    entries = entries.filter(kind_code=KEY_ATTENTION, hold="", decision_date__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    list_code = _list_field_code(list_field)
    return (
        entries.exclude(Exists(live))
        .annotate(list_name=Subquery(latest.values(name=KT(f"data__{list_code}"))[:1]))
        .values_list("subject_code", "pk", "list_name")
    )


@transaction.atomic
def review_warnings(subject_codes: Iterable[str] | None, *, at: dt.datetime | None = None) -> WarningChanges:
    """Raise a warning for every given subject (every subject: None) that meets the rule at ``at`` and has
    none standing; withdraw the standing warnings of those that no longer do. Idempotent: safe to run
    again or late."""
    at = at or clock.now()
    today = clock.local_date(at)
    rule = SOCIAL_CREDIT_WARNING.on(today)
    period = XIAMEN_DISHONESTY.on(today)
    needed, list_field = rule.value.distinct_lists, rule.value.list_field
    codes = None if subject_codes is None else set(subject_codes)
    subjects = (
        CreditRecord.objects.all()
        if codes is None
        else CreditRecord.objects.filter(subject_code__in_set=codes)
    )
    window_start = add_months(today, -rule.value.within_months)
    lists: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    recent = subjects.filter(decision_date__gt=window_start)
    for code, pk, list_name in in_force_entries(recent, at=at, list_field=list_field):
        lists[code][str(list_name or "")].append(pk)
    standing_warnings = SocialCreditWarning.objects.filter(
        withdrawn_at__isnull=True, publish_from__lte=today, publish_until__gte=today
    )
    if codes is not None:
        standing_warnings = standing_warnings.filter(subject_code__in_set=codes)
    standing = {w.subject_code: w for w in standing_warnings.select_for_update()}
    # A standing warning holds while enough lists remain of those it was raised on and those listed since
    # (its two years of publication outlast the twelve-month window that raised it).
    based_on = {pk for w in standing.values() for pk in w.records}
    remaining: dict[str, set[str]] = defaultdict(set)
    for code, _, list_name in in_force_entries(
        CreditRecord.objects.filter(pk__in_set=based_on), at=at, list_field=list_field
    ):
        remaining[code].add(str(list_name or ""))
    changes = WarningChanges()
    for code, warning in standing.items():
        left = len(remaining[code] | set(lists.get(code, {})))
        if left < needed:
            changes.withdrawn.append(_withdraw(warning, at=at, remaining=left, needed=needed, rule=rule.ref))
    months = period.value.social_credit_warning
    for code, by_list in lists.items():
        if len(by_list) < needed or (code in standing and standing[code].withdrawn_at is None):
            continue
        until = add_months(today, months) - dt.timedelta(days=1)
        warning = SocialCreditWarning.objects.create(
            subject_code=code, issued_at=at, publish_from=today, publish_until=until, lists=sorted(by_list),
            records=sorted(pk for pks in by_list.values() for pk in pks), rule=rule.ref, publication_rule=period.ref,
            explanation=(
                f"{rule.value.within_months}个月内被列入{len(by_list)}个重点关注名单（{'、'.join(sorted(by_list))}），"
                f"发出社会信用预警，公示至 {until}，依据{period.value.title}：社会信用预警公示期{months}个月"
            ),
        )  # fmt: skip
        record(
            actor=Actor.system("social credit warning"), action="warning.raise", subject_code=code,
            object_type="warning", object_id=warning.pk, detail={"lists": warning.lists, "rule": rule.ref},
        )  # fmt: skip
        changes.raised.append(warning)
    return changes


def _withdraw(
    warning: SocialCreditWarning, *, at: dt.datetime, remaining: int, needed: int, rule: str
) -> SocialCreditWarning:
    today = clock.local_date(at)
    warning.withdrawn_at = at
    warning.withdrawal_note = (
        f"{today} 起，仍在列的重点关注名单为{remaining}个，不足{needed}个（已移出、撤销或修复的不计），"
        "社会信用预警撤回"
    )
    warning.save(update_fields=["withdrawn_at", "withdrawal_note"])
    record(
        actor=Actor.system("social credit warning"), action="warning.withdraw", subject_code=warning.subject_code,
        object_type="warning", object_id=warning.pk, detail={"remaining": remaining, "rule": rule},
    )  # fmt: skip
    return warning


def warnings_published(subject_code: str, on: dt.date) -> list[SocialCreditWarning]:
    """The subject's warnings published on ``on``, and those withdrawn within their publication period
    (shown with their withdrawal note, so a reader who saw the warning learns why it is gone)."""
    return list(
        SocialCreditWarning.objects.filter(
            subject_code=subject_code, publish_from__lte=on, publish_until__gte=on
        ).order_by("-issued_at")
    )
