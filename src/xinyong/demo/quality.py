"""Demo-city data for data quality (数据质量): twelve months of declared totals for every provider, so
the scorecards, the notice and the workspace cards show rates, shortfalls and missing declarations."""

from __future__ import annotations

import random
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth

from xinyong.catalog.models import Provider, ProviderGrant
from xinyong.quality.months import current_month
from xinyong.quality.services import Total, declare
from xinyong.records.models import CreditRecord
from xinyong.records.publication import add_months

#: Providers (by position in name order) that leave last month undeclared, to show the flag.
SILENT = (2, 7)


def seed_quality(seed: int = 2026) -> int:
    """Declare, for each provider, kind and month of the last twelve, the records it decided: most
    exactly, about one in five a few more than reached the platform (an upload rate below 100%).
    Returns the number of declarations."""
    rng = random.Random(seed)
    first = add_months(current_month(), -11)
    decided: dict[tuple[int, str, object], int] = defaultdict(int)
    rows = (
        CreditRecord.objects.filter(decision_date__gte=first)
        .annotate(month=TruncMonth("decision_date"))
        .values("provider_id", "kind_code", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        decided[(row["provider_id"], row["kind_code"], row["month"])] = row["n"]
    grants: dict[int, set[str]] = defaultdict(set)
    for pid, kind in ProviderGrant.objects.values_list("provider_id", "kind_code"):
        grants[pid].add(kind)
    made = 0
    last = add_months(current_month(), -1)
    for position, provider in enumerate(Provider.objects.filter(active=True).order_by("name")):
        for offset in range(12):
            month = add_months(first, offset)
            if month == last and position in SILENT:
                continue
            totals = []
            for kind in sorted(grants[provider.pk]):
                count = decided.get((provider.pk, kind, month), 0)
                if count and rng.random() < 0.2:
                    count += rng.randint(1, 5)
                totals.append(Total(kind, count))
            if totals:
                declare(provider, month, totals, actor=provider)
                made += len(totals)
    return made
