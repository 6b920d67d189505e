"""Sampling (抽样核查): staff draw a reproducible random sample of a provider's records of a month,
reviewers mark each sampled record correct or wrong (with the field), and the accuracy rate joins the
scorecard (``scorecard.kind_counts``)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Collection

from django.db import transaction
from django.db.models import Count, Q

from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider, RecordKind
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.quality import errors
from xinyong.quality.models import SampleDraw, SampleItem
from xinyong.quality.months import current_month, instant_bounds, label
from xinyong.records.models import CreditRecord
from xinyong.records.publication import add_months

#: A reviewer checks each sampled record by hand; more than this in one draw is a slip.
MAX_SAMPLE = 1000


def population(provider: Provider, month: dt.date) -> list[int]:
    """The ids of the records first received in the month, in id order: what a draw samples from."""
    start_at, end_at = instant_bounds(month, add_months(month, 1))
    return list(
        CreditRecord.objects.filter(
            provider=provider, first_received_at__gte=start_at, first_received_at__lt=end_at
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def chosen(ids: list[int], size: int, seed: int) -> list[int]:
    """The sample: the same ids, size and seed always give the same records."""
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


@transaction.atomic
def draw(provider: Provider, month: dt.date, size: int, *, seed: int | None, actor: User) -> SampleDraw:
    """抽样: draw ``size`` records (fewer if the month has fewer); the seed is chosen at random unless given."""
    if month >= current_month():
        raise PlatformError(errors.MONTH_NOT_COMPLETE, field="month", month=label(month))
    if not 1 <= size <= MAX_SAMPLE:
        raise PlatformError(errors.SAMPLE_SIZE_INVALID, field="size", limit=MAX_SAMPLE)
    earlier = SampleDraw.objects.select_for_update().filter(provider=provider, month=month).first()
    if earlier is not None:
        raise PlatformError(errors.SAMPLE_EXISTS, month=label(month), seed=earlier.seed, size=earlier.size)
    seed = secrets.randbits(48) if seed is None else seed
    ids = population(provider, month)
    sample = SampleDraw.objects.create(
        provider=provider, month=month, size=size, seed=seed, population=len(ids),
        drawn_at=clock.now(), drawn_by=actor,
    )  # fmt: skip
    picked = chosen(ids, size, seed)
    SampleItem.objects.bulk_create(SampleItem(draw=sample, record_id=pk) for pk in picked)
    record(
        actor=Actor.of_user(actor), action="quality.sample.draw", object_type="provider", object_id=provider.code,
        detail={"month": label(month), "size": size, "seed": seed, "population": len(ids), "records": picked},
    )  # fmt: skip
    return sample


def _fields_of(kind_code: str) -> set[str]:
    return {f["code"] for kind in RecordKind.objects.filter(code=kind_code) for f in kind.schema}


@transaction.atomic
def review(item: SampleItem, verdict: str, field: str, note: str, *, actor: User) -> SampleItem:
    """核查: mark a sampled record correct, or wrong in ``field``; a later verdict replaces an earlier
    one and the trail keeps both."""
    locked = SampleItem.objects.select_for_update().select_related("record").get(pk=item.pk)
    if verdict not in (SampleItem.Verdict.CORRECT, SampleItem.Verdict.WRONG):
        raise PlatformError(errors.INVALID_VERDICT, field="verdict")
    field = field.strip() if verdict == SampleItem.Verdict.WRONG else ""
    if verdict == SampleItem.Verdict.WRONG and not field:
        raise PlatformError(errors.FIELD_REQUIRED, field="field")
    if field and field not in _fields_of(locked.record.kind_code):
        raise PlatformError(errors.FIELD_UNKNOWN, field="field", name=field[:40])
    earlier = locked.verdict
    locked.verdict, locked.field, locked.note = verdict, field, note.strip()[:500]
    locked.reviewed_at, locked.reviewed_by = clock.now(), actor
    locked.save(update_fields=["verdict", "field", "note", "reviewed_at", "reviewed_by"])
    record(
        actor=Actor.of_user(actor), action="quality.sample.review", subject_code=locked.record.subject_code,
        object_type="sample_item", object_id=locked.pk,
        detail={"verdict": verdict, "field": field, "earlier": earlier, "record": locked.record_id},
    )  # fmt: skip
    return locked


def sample_counts(
    first: dt.date, end: dt.date, provider_ids: Collection[int] | None
) -> dict[tuple[int, str, dt.date], tuple[int, int]]:
    """Reviewed and correct sampled records per provider, kind and month (one GROUP BY)."""
    rows = SampleItem.objects.filter(draw__month__gte=first, draw__month__lt=end).exclude(verdict="")
    if provider_ids is not None:
        rows = rows.filter(draw__provider_id__in=list(provider_ids))
    grouped = (
        rows.values("draw__provider_id", "record__kind_code", "draw__month")
        .annotate(n=Count("pk"), correct=Count("pk", filter=Q(verdict=SampleItem.Verdict.CORRECT)))
        .order_by()
    )
    return {
        (r["draw__provider_id"], r["record__kind_code"], r["draw__month"]): (r["n"], r["correct"])
        for r in grouped
    }
