"""Periodic work on records. Each step claims its rows with a conditional update, so a job can run
twice, late or in parallel and do each thing once (STYLE.md: Healthchecks' sendalerts)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F

from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.jobs import register
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.records.services import PUBLICATION_FIELDS, judge, publication_fields


def expire_step(*, now: dt.datetime, batch: int = 1000) -> int:
    """Mark one batch of records whose publication window closed before today. Returns how many."""
    today = clock.local_date(now)
    due = list(
        CreditRecord.objects.filter(published=True, expired_at__isnull=True, publish_until__lt=today)
        .order_by("publish_until")
        .values_list("pk", flat=True)[:batch]
    )
    if not due:
        return 0
    with transaction.atomic():
        marked = CreditRecord.objects.filter(pk__in=due, expired_at__isnull=True).update(expired_at=now)
        if marked:
            record(actor=Actor.system("publication expiry"), action="publication.expire", object_type="record",
                   detail={"count": marked, "first": due[0], "last": due[-1]})  # fmt: skip
    return marked


def expire_publications(*, now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Run ``expire_step`` until nothing is due. Idempotent."""
    now = now or clock.now()
    total = 0
    while True:
        marked = expire_step(now=now, batch=batch)
        total += marked
        if marked == 0:
            return total


def refresh_step(*, after: int, batch: int = 1000) -> tuple[int, int] | None:
    """Judge again, under today's rulebook, the publication of one batch of records (ids above ``after``,
    in id order) from their latest version, and store what changed. Returns (last id, records changed),
    or None when no record is left."""
    versions = list(
        RecordVersion.objects.filter(record_id__gt=after, version=F("record__latest_version"))
        .select_related("record__domain", "kind")
        .order_by("record_id")[:batch]
    )
    if not versions:
        return None
    changed = []
    for v in versions:
        head = v.record
        judged = publication_fields(judge(v.kind, head.domain.number, v.data, head.decision_date))
        if any(getattr(head, name) != value for name, value in judged.items()):
            for name, value in judged.items():
                setattr(head, name, value)
            changed.append(head)
    if changed:
        with transaction.atomic():
            CreditRecord.objects.bulk_update(changed, list(PUBLICATION_FIELDS))
            record(actor=Actor.system("publication refresh"), action="publication.refresh", object_type="record",
                   detail={"count": len(changed), "first": changed[0].pk, "last": changed[-1].pk})  # fmt: skip
    return versions[-1].record_id, len(changed)


def refresh_publications(*, batch: int = 1000) -> int:
    """Judge every record's publication again (after a correction of the rulebook, e.g. the 527号 era
    added in 2026-12): records whose window, severity, rule, note or exit changed are updated, the others
    untouched. Idempotent. Returns how many changed."""
    after, total = 0, 0
    while (step := refresh_step(after=after, batch=batch)) is not None:
        after, changed = step
        total += changed
    return total


@register("publication-expire", title="公示期满标记", at="00:05", counts={"expired": "公示期满标记（条）"})
def _expire_job() -> dict[str, int]:
    return {"expired": expire_publications()}
