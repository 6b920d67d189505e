"""Social credit warnings (社会信用预警), raised automatically from key-attention lists (seed 001)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from xinyong.audit.services import Actor, record
from xinyong.core import clock, rulebook
from xinyong.records.models import CreditRecord
from xinyong.records.publication import XIAMEN_RULE, add_months
from xinyong.supervision.models import SocialCreditWarning

WARNING_RULE = "supervision.social_credit_warning"
KEY_ATTENTION = "key_attention_list"


@transaction.atomic
def raise_warnings(
    subject_codes: Iterable[str], *, at: dt.datetime | None = None
) -> list[SocialCreditWarning]:
    """Warn every given subject that is, at ``at``, on key-attention lists of enough distinct domains
    within the window and has no warning still published. Idempotent: safe to run again or late."""
    at = at or clock.now()
    today = clock.local_date(at)
    rule = rulebook.rule(WARNING_RULE, today)
    period = rulebook.rule(XIAMEN_RULE, today)
    window_start = add_months(today, -rule.value["within_months"])
    codes = set(subject_codes)
    listed: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for code, domain, pk in CreditRecord.objects.filter(
        subject_code__in_set=codes, kind_code=KEY_ATTENTION, hold="", decision_date__gt=window_start,
        decision_date__lte=today,
    ).values_list("subject_code", "domain__number", "pk"):  # fmt: skip
        listed[code][domain].append(pk)
    standing = set(
        SocialCreditWarning.objects.filter(subject_code__in_set=codes, publish_until__gte=today).values_list(
            "subject_code", flat=True
        )
    )
    months = period.value["social_credit_warning"]
    created = []
    for code, domains in listed.items():
        if len(domains) < rule.value["distinct_domains"] or code in standing:
            continue
        until = add_months(today, months) - dt.timedelta(days=1)
        warning = SocialCreditWarning.objects.create(
            subject_code=code, issued_at=at, publish_from=today, publish_until=until, domains=sorted(domains),
            records=sorted(pk for pks in domains.values() for pk in pks), rule=rule.ref, publication_rule=period.ref,
            explanation=(
                f"12个月内被列入{len(domains)}个领域的重点关注名单，发出社会信用预警，公示至 {until}，"
                f"依据{period.value['title']}：社会信用预警公示期{months}个月"
            ),
        )  # fmt: skip
        record(
            actor=Actor.system("social credit warning"), action="warning.raise", subject_code=code,
            object_type="warning", object_id=warning.pk, detail={"domains": warning.domains, "rule": rule.ref},
        )  # fmt: skip
        created.append(warning)
    return created


def warnings_published(subject_code: str, on: dt.date) -> list[SocialCreditWarning]:
    return list(
        SocialCreditWarning.objects.filter(
            subject_code=subject_code, publish_from__lte=on, publish_until__gte=on
        )
    )
