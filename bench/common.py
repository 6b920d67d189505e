"""What the benchmark scripts share: percentiles and their printed line, bench/search.py's database
helpers, and the departments that send the synthetic records. Imported by the scripts as ``common``
(a script's own directory is on ``sys.path``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent

#: Departments (report domains of seed 000) that send the synthetic records: market supervision,
#: environment, construction, culture and tourism, health, tax.
DOMAINS = (25, 13, 14, 19, 20, 33)


def search_bench() -> ModuleType:
    """bench/search.py, for its builder and database helpers."""
    spec = importlib.util.spec_from_file_location("bench_search", BENCH / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(database: str, what: str, times: list[float]) -> str:
    """One row of a timing table: count, p50, p95, p99 and max."""
    return (
        f"{database:<11} {what:<34} {len(times):>5} {percentile(times, 0.5):>8.1f} "
        f"{percentile(times, 0.95):>8.1f} {percentile(times, 0.99):>8.1f} {max(times):>8.1f}"
    )


def providers(kinds: tuple[str, ...] = ("penalty", "licence")) -> dict[int, Any]:
    """One provider per department of ``DOMAINS``, allowed ``kinds`` in its domain (created once).
    Needs Django set up."""
    from xinyong.catalog.models import Domain, Provider
    from xinyong.catalog.services import create_provider
    from xinyong.core.synthetic import DEPARTMENTS

    found = {}
    for number in DOMAINS:
        authority = DEPARTMENTS[number]
        provider = Provider.objects.filter(code=authority.uscc).first()
        if provider is None:
            domain = Domain.objects.get(number=number)
            provider, _ = create_provider(
                code=authority.uscc, name=authority.name, domains=[domain], kind_codes=kinds
            )
        found[number] = provider
    return found
