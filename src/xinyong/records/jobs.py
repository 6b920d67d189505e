"""Periodic work on records. Each step claims its rows with a conditional update, so a job can run
twice, late or in parallel and do each thing once (STYLE.md: Healthchecks' sendalerts)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.records.models import CreditRecord


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
