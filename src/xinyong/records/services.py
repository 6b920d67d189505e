"""Writing credit records: new records, new versions, nothing for identical resubmissions.

Set-based: one chunk of validated rows costs a fixed handful of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import F

from xinyong.audit import services as audit
from xinyong.audit.services import Actor
from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.core import bulk, clock, rulebook
from xinyong.core.calendar import WorkingCalendar
from xinyong.records import publication, timeliness
from xinyong.records.models import CreditRecord, Overlay, RecordVersion, UpstreamNotice
from xinyong.subjects.services import SubjectRow

if TYPE_CHECKING:
    from xinyong.collection.models import Batch
    from xinyong.collection.validation import ValidRow


HEAD_COLUMNS = (
    "id", "subject_id", "subject_code", "provider_id", "kind_code", "domain_id", "key", "latest_version",
    "decision_date", "first_received_at", "hold", "natural_days_to_receipt", "met_natural_day_rule",
    "natural_day_rule", "working_days_to_receipt", "met_working_day_rule", "working_day_rule",
    "published", "publish_from", "publish_until", "minimum_until", "severity", "publication_rule",
    "publication_note", "ended_on",
)  # fmt: skip
PUBLICATION_FIELDS = [
    "published", "publish_from", "publish_until", "minimum_until", "severity", "publication_rule",
    "publication_note", "ended_on",
]  # fmt: skip
VERSION_COLUMNS = (
    "record_id", "subject_code", "version", "kind_id", "batch_id", "row_number", "received_at",
    "content_hash", "data", "raw",
)  # fmt: skip


@dataclass
class _Head:
    """A record head while a chunk is being stored (lighter than a model instance on the hot path)."""

    pk: int | None
    subject_id: int
    subject_code: str
    domain_id: int
    key: str
    latest_version: int
    decision_date: dt.date
    hold: str
    timeliness: timeliness.Timeliness | None = None  # set for new heads only
    publication: publication.Publication | None = None  # set when a version is added


def judge(
    kind: RecordKind, domain_number: int, data: dict[str, Any], decided: dt.date
) -> publication.Publication:
    """The publication of a version's content; a dishonesty record decided before any rule was in force
    is kept but not published."""
    try:
        return publication.decide(kind, domain_number, data, decided)
    except rulebook.NoRuleInForce:
        note = "决定日期早于已录入的公示规则，无适用的公示规则，不予公示"
        return publication.Publication(False, decided, None, None, kind.severity, "", note)


def _publication(kind: RecordKind, domain_number: int, row: ValidRow) -> publication.Publication:
    return judge(kind, domain_number, row.data, row.decision_date)


def publication_fields(p: publication.Publication) -> dict[str, object]:
    """The record head's publication columns (PUBLICATION_FIELDS) for ``p``."""
    values = (
        p.published, p.publish_from, p.publish_until, p.minimum_until, p.severity, p.rule, p.explanation, p.ended_on,
    )  # fmt: skip
    return dict(zip(PUBLICATION_FIELDS, values, strict=True))


def _publication_values(p: publication.Publication) -> tuple[object, ...]:
    return (
        p.published, bulk.db_date(p.publish_from), p.publish_until and bulk.db_date(p.publish_until),
        p.minimum_until and bulk.db_date(p.minimum_until), p.severity, p.rule, p.explanation,
        p.ended_on and bulk.db_date(p.ended_on),
    )  # fmt: skip


def _known(p: publication.Publication | None) -> publication.Publication:
    assert p is not None
    return p


def _insert_heads(heads: list[_Head], provider: Provider, kind_code: str, received_at: dt.datetime) -> None:
    """Insert new record heads with ids drawn beforehand, so their versions can point at them."""
    for head, pk in zip(heads, bulk.allocate_ids(CreditRecord, len(heads)), strict=True):
        head.pk = pk
    received = bulk.db_datetime(received_at)
    rows = []
    for h in heads:
        t, p = h.timeliness, h.publication
        assert t is not None and p is not None
        rows.append(
            (
                h.pk, h.subject_id, h.subject_code, provider.pk, kind_code, h.domain_id, h.key, h.latest_version,
                bulk.db_date(h.decision_date), received, h.hold, t.natural_days, t.met_natural_day_rule,
                t.natural_day_rule, t.working_days, t.met_working_day_rule, t.working_day_rule,
                *_publication_values(p),
            )
        )  # fmt: skip
    bulk.insert(CreditRecord, HEAD_COLUMNS, rows)


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
    subjects: dict[str, SubjectRow],
    calendar: WorkingCalendar,
) -> list[StoreResult]:
    """Store validated rows of one provider and kind, in row order, inside the caller's transaction."""
    received_at = batch.received_at
    received_on = clock.local_date(received_at)
    domain_numbers = dict(Domain.objects.values_list("id", "number"))
    keys = {row.key for _, row in rows}
    heads = {
        key: _Head(pk, subject_id, subject_code, domain_id, key, latest, decided, hold)
        for pk, subject_id, subject_code, domain_id, key, latest, decided, hold in CreditRecord.objects.filter(
            provider=provider, kind_code=kind.code, key__in_set=keys
        ).values_list(
            "pk", "subject_id", "subject_code", "domain_id", "key", "latest_version", "decision_date", "hold"
        )
    }
    key_of = {head.pk: key for key, head in heads.items()}
    current_hash = {
        key_of[record_id]: content_hash
        for record_id, content_hash in RecordVersion.objects.filter(
            record_id__in_set=list(key_of), version=F("record__latest_version")
        ).values_list("record_id", "content_hash")
    }

    assessed: dict[dt.date, timeliness.Timeliness] = {}
    new_heads: dict[str, _Head] = {}
    changed_heads: dict[str, _Head] = {}
    pending: list[tuple[int, ValidRow, _Head, int, Stored]] = []
    for row_number, row in rows:
        subject = subjects[row.subject.code]
        hold = CreditRecord.Hold.NONE if subject.code_valid else CreditRecord.Hold.CODE_CONFLICT
        head = heads.get(row.key)
        if head is None:
            t = assessed.get(row.decision_date)
            if t is None:
                t = assessed[row.decision_date] = timeliness.assess(row.decision_date, received_on, calendar)
            head = _Head(
                None, subject.id, subject.code, row.domain_id, row.key, 1, row.decision_date, hold, t
            )
            head.publication = _publication(kind, domain_numbers[row.domain_id], row)
            heads[row.key] = new_heads[row.key] = head
            current_hash[row.key] = row.content_hash
            pending.append((row_number, row, head, 1, Stored.CREATED))
            continue
        if current_hash.get(row.key) == row.content_hash:
            pending.append((row_number, row, head, head.latest_version, Stored.UNCHANGED))
            continue
        head.latest_version += 1
        head.decision_date = row.decision_date
        head.subject_id, head.subject_code, head.domain_id, head.hold = (
            subject.id,
            subject.code,
            row.domain_id,
            hold,
        )
        head.publication = _publication(kind, domain_numbers[row.domain_id], row)
        if head.pk is not None:
            changed_heads[row.key] = head
        current_hash[row.key] = row.content_hash
        pending.append((row_number, row, head, head.latest_version, Stored.VERSIONED))

    _insert_heads(list(new_heads.values()), provider, kind.code, received_at)
    bulk.update(
        CreditRecord,
        ("latest_version", "decision_date", "subject_id", "subject_code", "domain_id", "hold", *PUBLICATION_FIELDS),
        [
            (
                h.pk, h.latest_version, bulk.db_date(h.decision_date), h.subject_id, h.subject_code, h.domain_id,
                h.hold, *_publication_values(_known(h.publication)),
            )
            for h in changed_heads.values()
        ],
    )  # fmt: skip
    received = bulk.db_datetime(received_at)
    bulk.insert(
        RecordVersion,
        VERSION_COLUMNS,
        [
            (
                head.pk, row.subject.code, version, kind.pk, batch.pk, row_number, received,
                row.content_hash, row.data_json, bulk.db_json(row.raw),
            )
            for row_number, row, head, version, status in pending
            if status is not Stored.UNCHANGED
        ],
    )  # fmt: skip
    return [
        StoreResult(row_number, status, head.pk or 0, version, head.hold != CreditRecord.Hold.NONE)
        for row_number, _, head, version, status in pending
    ]


def add_overlay(
    record: CreditRecord,
    kind: str,
    *,
    actor: Actor,
    reason: str,
    source: str,
    stops_sharing: bool = False,
) -> Overlay:
    """Lay a status over ``record`` from now on (异议处理中, 已更正, 已撤销, 已修复), audited. The record's
    versions stay as they are; reports that relied on it see the overlay (reports.queries)."""
    now = clock.now()
    overlay = Overlay.objects.create(
        record=record,
        subject_code=record.subject_code,
        kind=kind,
        starts_at=now,
        stops_sharing=stops_sharing,
        reason=reason,
        source=source,
        created_at=now,
    )
    audit.record(
        actor=actor,
        action=f"records.overlay.{kind}",
        subject_code=record.subject_code,
        object_type="record",
        object_id=record.pk,
        detail={"overlay": overlay.pk, "reason": reason, "source": source, "stops_sharing": stops_sharing},
    )
    return overlay


def queue_upstream(
    record: CreditRecord, change: str, *, source: str, payload: dict[str, object] | None = None
) -> UpstreamNotice:
    """Queue a change to ``record`` for the upstream platform (上报上级平台), at its current version."""
    return UpstreamNotice.objects.create(
        record=record, subject_code=record.subject_code, change=change, version=record.latest_version,
        source=source, payload=payload or {}, created_at=clock.now(),
    )  # fmt: skip


def end_overlay(overlay: Overlay, *, actor: Actor, reason: str) -> None:
    """Close an overlay now (the objection it marked is decided), audited."""
    overlay.ends_at = clock.now()
    overlay.save(update_fields=["ends_at"])
    audit.record(
        actor=actor,
        action=f"records.overlay.{overlay.kind}.ended",
        subject_code=overlay.subject_code,
        object_type="record",
        object_id=overlay.record_id,
        detail={"overlay": overlay.pk, "reason": reason},
    )
