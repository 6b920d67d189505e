"""Collection (归集): every path into the platform goes through ``ingest_chunk``.

The API submits one chunk in one transaction. A file import runs chunk after chunk, each committed
together with the batch's ``rows_done`` checkpoint; a killed import resumes after the last committed
chunk, so re-running it leaves exactly what one clean run would (no duplicates, no half-chunk).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Domain, Provider, ProviderGrant, RecordKind
from xinyong.collection import errors, readers, signals
from xinyong.collection.columns import validate_rows
from xinyong.collection.models import Batch, RejectedRow, Rejection
from xinyong.collection.validation import (
    IntakeContext,
    RowError,
    ValidRow,
    header_key,
    stored_pairs,
    submitted_pairs,
)
from xinyong.core import bulk, clock
from xinyong.core.calendar import WorkingCalendar
from xinyong.core.errors import PlatformError
from xinyong.records.services import StoreResult, store_rows
from xinyong.subjects.services import upsert_subjects

#: A running import that has not reported for this long is taken to be dead and may be resumed.
STALE_AFTER = dt.timedelta(minutes=2)
FIELD_CHARS = Rejection._meta.get_field("field").max_length or 0
MESSAGE_CHARS = Rejection._meta.get_field("message").max_length or 0


@dataclass
class RowOutcome:
    row_number: int
    stored: StoreResult | None = None
    errors: list[RowError] = field(default_factory=list)


def kind_in_force(kind_code: str, on: dt.date) -> RecordKind:
    kind = (
        RecordKind.objects.filter(code=kind_code, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-version")
        .first()
    )
    if kind is None:
        raise PlatformError(errors.KIND_UNKNOWN, field="kind", kind=kind_code)
    return kind


def build_context(provider: Provider, kind_code: str, *, json_values: bool = False) -> IntakeContext:
    """Everything the row validator needs, or the refusal that stops the whole call or file.
    ``json_values``: the rows come from JSON (API, JSON Lines), so a value's type is the sender's."""
    if not provider.active:
        raise PlatformError(errors.PROVIDER_INACTIVE)
    today = clock.today()
    kind = kind_in_force(kind_code, today)
    domain_ids = ProviderGrant.objects.filter(provider=provider, kind_code=kind.code).values("domain_id")
    granted = list(Domain.objects.filter(id__in=domain_ids).order_by("number"))
    if not granted:
        raise PlatformError(errors.KIND_NOT_GRANTED, field="kind", kind=kind.name)
    return IntakeContext.build(provider, kind, granted, today, json_values=json_values)


def detect_kind(columns: Iterable[str], on: dt.date) -> str:
    """The record kind whose schema knows most of the given column headers."""
    keys = {header_key(c) for c in columns}
    best, best_hits = None, 0
    for kind in RecordKind.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    ):
        spellings = {
            header_key(s) for f in kind.schema for s in (f["code"], f["name"], *f.get("aliases", []))
        }
        hits = len(keys & spellings)
        if hits > best_hits:
            best, best_hits = kind.code, hits
    if best is None:
        raise PlatformError(errors.KIND_UNDETECTED, field="kind")
    return best


def ingest_chunk(
    ctx: IntakeContext, batch: Batch, rows: Iterable[tuple[int, Any]], calendar: WorkingCalendar
) -> list[RowOutcome]:
    """Validate and store one chunk inside the caller's transaction; rejections are stored too."""
    outcomes: list[RowOutcome] = []
    valid: list[tuple[int, ValidRow]] = []
    rejections: list[Rejection] = []
    rejected_rows: list[RejectedRow] = []
    numbered = list(rows)
    checked = iter(validate_rows(ctx, [raw for _, raw in numbered if isinstance(raw, dict)]))
    for row_number, raw in numbered:
        outcome = RowOutcome(row_number)
        outcomes.append(outcome)
        if not isinstance(raw, dict):
            detail = raw if isinstance(raw, str) else "应为 JSON 对象"
            outcome.errors = [RowError.of(errors.ROW_NOT_OBJECT, None, detail=detail)]
            raw = {}
        else:
            result = next(checked)
            if isinstance(result, ValidRow):
                valid.append((row_number, result))
                continue
            outcome.errors = result
        # The row once, the reasons (at most XINYONG_MAX_ERRORS_PER_ROW) beside it.
        raw_json = bulk.db_json(stored_pairs(submitted_pairs(raw)))
        rejected_rows.append(RejectedRow(batch=batch, row_number=row_number, raw=raw_json))
        rejections.extend(
            Rejection(
                batch=batch,
                row_number=row_number,
                code=e.code,
                field=(e.field or "")[:FIELD_CHARS],
                message=e.message[:MESSAGE_CHARS],
            )
            for e in outcome.errors
        )

    subjects = upsert_subjects(((row.subject, row.decision_date) for _, row in valid), now=batch.received_at)
    stored = store_rows(
        batch=batch, provider=ctx.provider, kind=ctx.kind, rows=valid, subjects=subjects, calendar=calendar
    )
    signals.rows_stored.send(
        sender=Batch,
        kind=ctx.kind,
        subject_codes={row.subject.code for _, row in valid},
        at=batch.received_at,
    )
    by_row = {outcome.row_number: outcome for outcome in outcomes}
    for stored_row in stored:
        by_row[stored_row.row_number].stored = stored_row
    RejectedRow.objects.bulk_create(rejected_rows)
    Rejection.objects.bulk_create(rejections)
    return outcomes


def _count(batch: Batch, outcomes: list[RowOutcome]) -> dict[str, int]:
    from xinyong.records.services import Stored

    counts = dict.fromkeys(
        ("created_count", "versioned_count", "unchanged_count", "held_count", "rejected_count"), 0
    )
    for outcome in outcomes:
        if outcome.stored is None:
            counts["rejected_count"] += 1
            continue
        counts[f"{outcome.stored.status.value}_count"] += 1
        if outcome.stored.held and outcome.stored.status is not Stored.UNCHANGED:
            counts["held_count"] += 1
    return counts


def submit_records(provider: Provider, kind_code: str, records: list[Any]) -> tuple[Batch, list[RowOutcome]]:
    """The API path: up to ``XINYONG_MAX_RECORDS_PER_CALL`` records, one transaction."""
    limit = settings.XINYONG_MAX_RECORDS_PER_CALL
    if len(records) > limit:
        raise PlatformError(errors.TOO_MANY_RECORDS, field="records", limit=limit, count=len(records))
    if not records:
        raise PlatformError(errors.EMPTY, field="records")
    columns = settings.XINYONG_MAX_COLUMNS
    for number, record_ in enumerate(records, start=1):
        if isinstance(record_, dict) and len(record_) > columns:
            raise PlatformError(
                errors.TOO_MANY_COLUMNS, field="records", row=number, limit=columns, count=len(record_)
            )
    ctx = build_context(provider, kind_code, json_values=True)
    now = clock.now()
    with bulk.collector_spared(), transaction.atomic():
        batch = Batch.objects.create(
            provider=provider,
            kind_code=ctx.kind.code,
            source=Batch.Source.API,
            status=Batch.Status.DONE,
            received_at=now,
            finished_at=now,
            rows_estimated=len(records),
        )
        outcomes = ingest_chunk(ctx, batch, enumerate(records, start=1), WorkingCalendar.load())
        counts = _count(batch, outcomes)
        Batch.objects.filter(pk=batch.pk).update(rows_done=len(records), **counts)
        batch.refresh_from_db()
        _audit_batch(batch, "batch.submit", Actor.of_provider(provider))
    return batch, outcomes


def _audit_batch(batch: Batch, action: str, actor: Actor) -> None:
    """One trail entry per batch event, with its counts (not one per row: the versions carry the batch)."""
    counts = {
        f: getattr(batch, f)
        for f in (
            "rows_done",
            "created_count",
            "versioned_count",
            "unchanged_count",
            "held_count",
            "rejected_count",
        )
    }
    record(
        actor=actor, action=action, object_type="batch", object_id=batch.pk,
        detail={"kind": batch.kind_code, "file": batch.filename, "sha256": batch.file_sha256, **counts},
    )  # fmt: skip


def _batch_actor(batch: Batch) -> Actor:
    return (
        Actor.of_user(batch.uploaded_by) if batch.uploaded_by is not None else Actor.system("xinyong import")
    )


def start_file_import(
    provider: Provider,
    source: Path,
    *,
    filename: str | None = None,
    kind_code: str | None = None,
    uploaded_by: Any = None,
) -> Batch:
    """Register a file for import, or find the unfinished batch of the same file to resume.

    The file is copied into the upload area under its SHA-256, so the batch can always be re-run.
    """
    filename = filename or source.name
    file_format = readers.detect_format(filename)
    size, limit = source.stat().st_size, settings.XINYONG_MAX_UPLOAD_BYTES
    if size > limit:
        raise PlatformError(errors.FILE_TOO_LARGE, size=size, limit=limit)
    digest = readers.sha256_of(source)
    unfinished = (
        Batch.objects.filter(provider=provider, file_sha256=digest, source=Batch.Source.FILE)
        .exclude(status=Batch.Status.DONE)
        .order_by("-pk")
        .first()
    )
    if unfinished is not None:
        return unfinished

    stored = settings.UPLOAD_DIR / f"{digest}{Path(filename).suffix.lower()}"
    stored.parent.mkdir(parents=True, exist_ok=True)
    if not stored.exists():
        shutil.copyfile(source, stored)
    # Refuse now, not after the upload is queued: a bomb, a too wide or ambiguous header, a bad kind.
    columns = readers.headers(stored, file_format)
    if kind_code is None:
        kind_code = detect_kind(columns, clock.today())
    ctx = build_context(provider, kind_code)
    for code, named_by in ctx.layout(tuple(columns)).duplicates:
        columns_named = "、".join(named_by)
        raise PlatformError(errors.DUPLICATE_COLUMN, field=code, name=ctx.label(code), columns=columns_named)
    with transaction.atomic():
        batch = Batch.objects.create(
            provider=provider,
            kind_code=kind_code,
            source=Batch.Source.FILE,
            filename=filename,
            file_path=str(stored),
            file_sha256=digest,
            file_format=file_format,
            uploaded_by=uploaded_by,
            received_at=clock.now(),
            rows_estimated=readers.estimate_rows(stored, file_format),
        )
        _audit_batch(batch, "batch.register", _batch_actor(batch))
    return batch


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_is_dead(owner: str) -> bool:
    """True when ``owner`` was a process on this machine that no longer exists (a killed import)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(batch: Batch) -> bool:
    """Take the batch for this process: queued, failed, running in a process that died (on this
    machine, or silent for ``STALE_AFTER`` anywhere), or left running by this very process, whose
    import was cut short by a database error before it could mark the batch failed (an import runs
    one at a time in a process). The conditional update must return 1."""
    now = clock.now()
    claimable = (
        Q(status__in=[Batch.Status.QUEUED, Batch.Status.FAILED])
        | Q(status=Batch.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=Batch.Status.RUNNING, owner=_owner())
    )
    batch.refresh_from_db(fields=["status", "owner"])
    if batch.status == Batch.Status.RUNNING and _owner_is_dead(batch.owner):
        claimable |= Q(status=Batch.Status.RUNNING, owner=batch.owner)
    claimed = Batch.objects.filter(claimable, pk=batch.pk).update(
        status=Batch.Status.RUNNING, heartbeat_at=now, owner=_owner(), error=""
    )
    return claimed == 1


def _chunks(rows: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


ProgressCallback = Callable[[Batch], None]


def run_batch(
    batch: Batch, *, progress: ProgressCallback | None = None, chunk_rows: int | None = None
) -> Batch:
    """Import a registered file from its checkpoint to the end. Raises ``batch.busy`` if another
    process is importing it; a file-level problem fails the batch with the reason."""
    if not _claim(batch):
        raise PlatformError(errors.BATCH_BUSY, batch=batch.pk)
    batch.refresh_from_db()
    try:
        ctx = build_context(batch.provider, batch.kind_code, json_values=batch.file_format == "jsonl")
        calendar = WorkingCalendar.load()
        rows = (
            (n, raw)
            for n, raw in readers.read_rows(Path(batch.file_path), batch.file_format)
            if n > batch.rows_done
        )
        for chunk in _chunks(rows, chunk_rows or settings.XINYONG_IMPORT_CHUNK_ROWS):
            with bulk.collector_spared(), transaction.atomic():
                counts = _count(batch, ingest_chunk(ctx, batch, chunk, calendar))
                Batch.objects.filter(pk=batch.pk).update(
                    rows_done=chunk[-1][0],
                    heartbeat_at=clock.now(),
                    **{k: F(k) + v for k, v in counts.items()},
                )
            batch.refresh_from_db()
            if progress is not None:
                progress(batch)
    except PlatformError as exc:
        Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.FAILED, error=exc.message)
        batch.refresh_from_db()
        raise
    except BaseException as exc:
        # Committed chunks stay; importing the same file again resumes from the checkpoint.
        reason = "导入被中断" if isinstance(exc, KeyboardInterrupt) else "内部错误，已记录日志"
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.FAILED, error=f"{reason}，重新导入同一文件将从第 {batch.rows_done + 1} 行续传"
        )
        raise
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.DONE, finished_at=clock.now())
        batch.refresh_from_db()
        _audit_batch(batch, "batch.finish", _batch_actor(batch))
    return batch
