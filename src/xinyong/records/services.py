"""Writing credit records: new records, new versions, nothing for identical resubmissions.

Set-based: one chunk of validated rows costs a fixed handful of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import F

from xinyong.catalog.models import Provider, RecordKind
from xinyong.core import clock
from xinyong.core.calendar import WorkingCalendar
from xinyong.records import timeliness
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.subjects.models import Subject

if TYPE_CHECKING:
    from xinyong.collection.models import Batch
    from xinyong.collection.validation import ValidRow


class Stored(StrEnum):
    CREATED = "created"
    VERSIONED = "versioned"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class StoreResult:
    row_number: int
    status: Stored
    record_id: int
    version: int
    held: bool


def store_rows(
    *,
    batch: Batch,
    provider: Provider,
    kind: RecordKind,
    rows: list[tuple[int, ValidRow]],
    subjects: dict[str, Subject],
    calendar: WorkingCalendar,
) -> list[StoreResult]:
    """Store validated rows of one provider and kind, in row order, inside the caller's transaction."""
    received_at = batch.received_at
    received_on = clock.local_date(received_at)
    keys = {row.key for _, row in rows}
    heads = {
        r.key: r for r in CreditRecord.objects.filter(provider=provider, kind_code=kind.code, key__in=keys)
    }
    key_of = {head.pk: key for key, head in heads.items()}
    current_hash = {
        key_of[record_id]: content_hash
        for record_id, content_hash in RecordVersion.objects.filter(
            record__in=heads.values(), version=F("record__latest_version")
        ).values_list("record_id", "content_hash")
    }

    assessed: dict[dt.date, timeliness.Timeliness] = {}
    new_heads: dict[str, CreditRecord] = {}
    changed_heads: dict[str, CreditRecord] = {}
    pending: list[tuple[int, ValidRow, CreditRecord, int, Stored]] = []
    for row_number, row in rows:
        subject = subjects[row.subject.code]
        hold = CreditRecord.Hold.NONE if subject.code_valid else CreditRecord.Hold.CODE_CONFLICT
        head = heads.get(row.key)
        if head is None:
            t = assessed.get(row.decision_date)
            if t is None:
                t = assessed[row.decision_date] = timeliness.assess(row.decision_date, received_on, calendar)
            head = CreditRecord(
                subject=subject,
                subject_code=subject.code,
                provider=provider,
                kind_code=kind.code,
                domain_id=row.domain_id,
                key=row.key,
                latest_version=1,
                decision_date=row.decision_date,
                first_received_at=received_at,
                hold=hold,
                natural_days_to_receipt=t.natural_days,
                met_natural_day_rule=t.met_natural_day_rule,
                natural_day_rule=t.natural_day_rule,
                working_days_to_receipt=t.working_days,
                met_working_day_rule=t.met_working_day_rule,
                working_day_rule=t.working_day_rule,
            )
            heads[row.key] = new_heads[row.key] = head
            current_hash[row.key] = row.content_hash
            pending.append((row_number, row, head, 1, Stored.CREATED))
            continue
        if current_hash.get(row.key) == row.content_hash:
            pending.append((row_number, row, head, head.latest_version, Stored.UNCHANGED))
            continue
        head.latest_version += 1
        head.decision_date = row.decision_date
        head.subject, head.subject_code, head.domain_id, head.hold = (
            subject,
            subject.code,
            row.domain_id,
            hold,
        )
        if head.pk is not None:
            changed_heads[row.key] = head
        current_hash[row.key] = row.content_hash
        pending.append((row_number, row, head, head.latest_version, Stored.VERSIONED))

    CreditRecord.objects.bulk_create(new_heads.values())
    CreditRecord.objects.bulk_update(
        changed_heads.values(),
        ["latest_version", "decision_date", "subject", "subject_code", "domain", "hold"],
    )
    RecordVersion.objects.bulk_create(
        RecordVersion(
            record=head,
            subject_code=row.subject.code,
            version=version,
            kind=kind,
            batch=batch,
            row_number=row_number,
            received_at=received_at,
            content_hash=row.content_hash,
            data=row.data,
            raw=row.raw,
        )
        for row_number, row, head, version, status in pending
        if status is not Stored.UNCHANGED
    )
    return [
        StoreResult(row_number, status, head.pk, version, head.hold != CreditRecord.Hold.NONE)
        for row_number, _, head, version, status in pending
    ]
