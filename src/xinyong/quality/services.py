"""State changes of data quality (docs/architecture.md, principle 2): each verb is one transaction with
its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider, ProviderGrant
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.quality import errors
from xinyong.quality.models import Declaration
from xinyong.quality.months import current_month, label

#: No unit decides ten million records of one kind in a month; a larger figure is a typing slip.
MAX_DECLARED = 10_000_000


@dataclass(frozen=True)
class Total:
    kind: str
    count: int


def _actor_of(actor: User | Provider) -> Actor:
    return Actor.of_provider(actor) if isinstance(actor, Provider) else Actor.of_user(actor)


def check_totals(provider: Provider, month: dt.date, totals: Sequence[Total]) -> None:
    """Refuse the whole declaration on its first bad line, naming the line (``row``, from 1)."""
    if month > current_month():
        raise PlatformError(errors.MONTH_IN_FUTURE, field="month", month=label(month))
    granted = set(ProviderGrant.objects.filter(provider=provider).values_list("kind_code", flat=True))
    seen: set[str] = set()
    for row, total in enumerate(totals, start=1):
        if total.kind not in granted:
            raise PlatformError(errors.KIND_NOT_GRANTED, field="kind", row=row, kind=total.kind[:40])
        if total.kind in seen:
            raise PlatformError(errors.KIND_REPEATED, field="kind", row=row, kind=total.kind)
        if not 0 <= total.count <= MAX_DECLARED:
            raise PlatformError(errors.COUNT_INVALID, field="count", row=row, limit=MAX_DECLARED)
        seen.add(total.kind)


@transaction.atomic
def declare(
    provider: Provider, month: dt.date, totals: Sequence[Total], *, actor: User | Provider
) -> list[Declaration]:
    """申报: record what ``provider`` decided in ``month``, per record kind. A kind declared before for
    the month is corrected in place; the trail keeps the earlier count."""
    check_totals(provider, month, totals)
    now = clock.now()
    source = Declaration.Source.API if isinstance(actor, Provider) else Declaration.Source.WORKSPACE
    user = actor if isinstance(actor, User) else None
    earlier = {
        d.kind_code: d.count
        for d in Declaration.objects.select_for_update().filter(provider=provider, month=month)
    }
    saved = []
    for total in totals:
        declaration, _ = Declaration.objects.update_or_create(
            provider=provider,
            kind_code=total.kind,
            month=month,
            defaults={"count": total.count, "source": source, "declared_at": now, "declared_by": user},
        )
        saved.append(declaration)
    record(
        actor=_actor_of(actor),
        action="quality.declare",
        object_type="provider",
        object_id=provider.code,
        detail={
            "month": label(month),
            "totals": {t.kind: t.count for t in totals},
            "earlier": {t.kind: earlier[t.kind] for t in totals if t.kind in earlier},
        },
    )
    return saved
