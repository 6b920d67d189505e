"""Benchmark: data-quality scorecards (数据质量评分) for every provider over an N-record PostgreSQL database.

    .venv/bin/python bench/quality.py [--database xinyong_quality] [--records 10000000] [--subjects 1000000]
                                      [--runs 5] [--pages 50] [--recreate]

Targets: the scorecards of all providers for one month ≤ 10 s over 10,000,000 records; a provider's
drill-down page (its card and one page of rows) p95 ≤ 100 ms.

The database is built by ``bench/dataset.py`` (``ensure``: COPY, not intake; records spread evenly over
2020-08-01 to today, one batch per provider with ``--versions``) and reused. Each provider is given a
declaration per granted kind for the measured month, so the upload rate is computed too. Then, in
process: ``scorecard.scorecards(month)`` ``--runs`` times (the month with the most records received),
and the drill-down of the provider with the most records that month: one page of rows (``api.drill_down``,
its count and 50 rows) for each measure ``--pages`` times, and its card with its rank among all
providers (``scorecard.provider_card``). Prints the times and the machine's
load; run by hand, with the machine as quiet as it can be.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

from common import line, percentile
from dataset import ensure  # bench/dataset.py, the shared synthetic city


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xinyong_quality")
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--recreate", action="store_true")
    args = parser.parse_args()
    ensure(args.database, args.subjects, args.records, recreate=args.recreate, versions=True)

    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from xinyong.catalog.models import Provider, ProviderGrant
    from xinyong.core import clock
    from xinyong.quality import scorecard
    from xinyong.quality.api import drill_down
    from xinyong.quality.models import Declaration
    from xinyong.records.models import CreditRecord

    busiest = (
        CreditRecord.objects.annotate(month=TruncMonth("first_received_at", tzinfo=clock.CHINA))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no records"
    month = busiest["month"].astimezone(clock.CHINA).date().replace(day=1)
    now = clock.now()
    Declaration.objects.bulk_create(
        [
            Declaration(
                provider_id=pid, kind_code=kind, month=month, count=100, source="api", declared_at=now
            )
            for pid, kind in ProviderGrant.objects.values_list("provider_id", "kind_code").distinct()
        ],
        ignore_conflicts=True,
    )
    total = CreditRecord.objects.count()
    print(f"{total:,} records; month {month:%Y-%m}: {busiest['n']:,} records received")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        cards = scorecard.scorecards(month)
        times.append(time.perf_counter() - started)
    print(line("postgresql", f"scorecards, {len(cards)} providers (s)", times))
    provider = Provider.objects.get(pk=max(cards, key=lambda c: c.total.records).provider.pk)
    pages = []
    for _ in range(args.pages):
        for measure in ("decided", "late", "rejected", "held"):
            started = time.perf_counter()
            rows = drill_down(provider, month, measure)
            rows.count(), list(rows[:50])  # what a page shows: its rows and the number of pages
            pages.append((time.perf_counter() - started) * 1000)
    cards_ms = []
    for _ in range(max(3, args.pages // 5)):
        started = time.perf_counter()
        scorecard.provider_card(provider, month)
        cards_ms.append((time.perf_counter() - started) * 1000)
    print(line("postgresql", f"rows page of {provider.name[:8]} (ms)", pages))
    print(line("postgresql", "card with its rank (ms)", cards_ms))
    print(f"p95 rows page {percentile(pages, 0.95):.1f} ms; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
