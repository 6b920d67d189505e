"""Provider scorecards (数据质量评分): upload, compliance and timeliness rates per provider, domain and month.

The formulas and their sources are in docs/quality.md. Everything is counted in the database, grouped
by provider, record kind and month (four aggregate queries whatever the number of records); the few
hundred aggregate rows are then summed per domain and provider here. A record kind belongs to one
domain per provider: the kind's fixed report domain, else the first domain the provider is granted
it in (``domain_of``), so the upload, compliance and timeliness figures of a domain count the same
rows.

- 上报率 upload rate: records decided in the month that reached the platform, against the totals the
  provider declared for the month (``Declaration``), kind by kind, each kind counted up to its
  declared total; a granted kind with no declaration is listed as missing, not guessed.
- 合规率 compliance rate: rows received in the month accepted without error, over rows received.
  A rejected row and a row held as 重错码 are not compliant.
- 及时率 timeliness rate: records first received in the month that met every deadline that applies
  to their kind (14 natural days for violation kinds, 7 working days for 双公示 kinds), over those
  whose deadlines could be assessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from xinyong.catalog.models import Domain, Provider, ProviderGrant, RecordKind
from xinyong.collection.models import Batch, Rejection
from xinyong.core import clock
from xinyong.quality.models import Declaration
from xinyong.quality.months import instant_bounds
from xinyong.quality.rules import TARGETS, Targets
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.records.publication import add_months

Key = tuple[int, str, dt.date]  # provider id, kind code, month


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """None when there is nothing to count (no rows received, nothing declared)."""
        return None if self.denominator == 0 else round(100 * self.numerator / self.denominator, 1)

    def meets(self, target: int) -> bool | None:
        """Exact, not on the rounded percent: 999 of 1000 is below a 100% target."""
        return None if self.denominator == 0 else self.numerator * 100 >= target * self.denominator


@dataclass
class Counts:
    """The counts behind one scorecard cell (a kind, a domain or a whole provider in a month)."""

    declared: int = 0  # sum of declared totals
    declarations: int = 0  # kinds with a declaration
    covered: int = 0  # records decided, each kind counted up to its declared total
    reported: int = 0  # records decided in the month, declared or not
    missing: list[str] = field(default_factory=list)  # granted kinds without a declaration
    received: int = 0  # rows received (batches of the month)
    rejected: int = 0
    held: int = 0  # stored but held as 重错码
    records: int = 0  # records first received in the month
    assessed: int = 0  # of those, with every applicable deadline assessable
    timely: int = 0
    sampled: int = 0  # records checked by sampling (抽样核查)
    correct: int = 0

    def add(self, other: Counts) -> None:
        for name in ("declared", "declarations", "covered", "reported", "received", "rejected", "held"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("records", "assessed", "timely", "sampled", "correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missing = sorted({*self.missing, *other.missing})

    @property
    def accepted(self) -> int:
        return self.received - self.rejected - self.held

    @property
    def upload(self) -> Rate:
        return Rate(self.covered, self.declared)

    @property
    def compliance(self) -> Rate:
        return Rate(self.accepted, self.received)

    @property
    def timeliness(self) -> Rate:
        return Rate(self.timely, self.assessed)

    @property
    def accuracy(self) -> Rate:
        return Rate(self.correct, self.sampled)

    def rates(self, targets: Targets) -> dict[str, tuple[Rate, int]]:
        return {
            "upload": (self.upload, targets.upload),
            "compliance": (self.compliance, targets.compliance),
            "timeliness": (self.timeliness, targets.timeliness),
            "accuracy": (self.accuracy, targets.accuracy),
        }

    def shortfalls(self, targets: Targets) -> list[str]:
        """The measures below target, and ``declaration`` when a granted kind went undeclared."""
        below = [name for name, (rate, target) in self.rates(targets).items() if rate.meets(target) is False]
        return below + (["declaration"] if self.missing else [])

    def score(self) -> float | None:
        """The mean of the rates that could be computed: what units are ranked by."""
        known = [r.percent for r in (self.upload, self.compliance, self.timeliness, self.accuracy)]
        values = [p for p in known if p is not None]
        return round(sum(values) / len(values), 1) if values else None


@dataclass
class ProviderCard:
    provider: Provider
    month: dt.date
    total: Counts
    domains: list[tuple[Domain, Counts]]
    kinds: dict[str, Counts]
    rank: int | None = None

    def shortfalls(self, targets: Targets) -> list[str]:
        return self.total.shortfalls(targets)


def targets_for(month: dt.date) -> Targets:
    return TARGETS.on(month).value


# --- The four aggregate queries -----------------------------------------------------------------------------
def kind_flags() -> tuple[set[str], set[str]]:
    """Kind codes the 14-natural-day rule applies to (violations) and the 7-working-day rule (双公示)."""
    violation: set[str] = set()
    dual: set[str] = set()
    for code, is_violation, is_dual in RecordKind.objects.values_list(
        "code", "is_violation", "is_dual_publicity"
    ):
        if is_violation:
            violation.add(code)
        if is_dual:
            dual.add(code)
    return violation, dual


def late_filter(violation: Collection[str], dual: Collection[str]) -> Q:
    """Records that missed a deadline that applies to their kind."""
    return Q(kind_code__in=violation, met_natural_day_rule=False) | Q(
        kind_code__in=dual, met_working_day_rule=False
    )


def _assessed_filter(violation: Collection[str], dual: Collection[str]) -> Q:
    """Records whose every applicable deadline is known (a rule not in force, or a calendar year not
    entered, leaves it unknown: such records are left out rather than guessed)."""
    applies = Q(kind_code__in=violation) | Q(kind_code__in=dual)
    unknown = Q(kind_code__in=violation, met_natural_day_rule__isnull=True) | Q(
        kind_code__in=dual, met_working_day_rule__isnull=True
    )
    return applies & ~unknown


def _month(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.CHINA).date() if value.tzinfo else value.date()
    return value.replace(day=1)


def kind_counts(
    first: dt.date, months: int, provider_ids: Collection[int] | None = None
) -> dict[Key, Counts]:
    """Counts per provider, kind and month for ``months`` months from ``first``: set-based, four
    GROUP BY queries and one for the declarations."""
    end = add_months(first, months)
    start_at, end_at = instant_bounds(first, end)
    scope = Q() if provider_ids is None else Q(provider_id__in=list(provider_ids))
    counts: dict[Key, Counts] = defaultdict(Counts)

    declared: dict[Key, int] = {}
    for pid, kind, month, count in Declaration.objects.filter(
        scope, month__gte=first, month__lt=end
    ).values_list("provider_id", "kind_code", "month", "count"):
        declared[(pid, kind, month)] = count
        counts[(pid, kind, month)].declared = count
        counts[(pid, kind, month)].declarations = 1

    decided = (
        CreditRecord.objects.filter(scope, decision_date__gte=first, decision_date__lt=end)
        .annotate(month=TruncMonth("decision_date"))
        .values("provider_id", "kind_code", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in decided:
        key = (row["provider_id"], row["kind_code"], _month(row["month"]))
        counts[key].reported = row["n"]
        if key in declared:
            counts[key].covered = min(row["n"], declared[key])

    batches = (
        Batch.objects.filter(scope, received_at__gte=start_at, received_at__lt=end_at)
        .annotate(month=TruncMonth("received_at", tzinfo=clock.CHINA))
        .values("provider_id", "kind_code", "month")
        .annotate(rows=Sum("rows_done"), rejected=Sum("rejected_count"), held=Sum("held_count"))
        .order_by()
    )
    for row in batches:
        cell = counts[(row["provider_id"], row["kind_code"], _month(row["month"]))]
        cell.received, cell.rejected, cell.held = row["rows"] or 0, row["rejected"] or 0, row["held"] or 0

    violation, dual = kind_flags()
    assessed = _assessed_filter(violation, dual)
    received = (
        CreditRecord.objects.filter(scope, first_received_at__gte=start_at, first_received_at__lt=end_at)
        .annotate(month=TruncMonth("first_received_at", tzinfo=clock.CHINA))
        .values("provider_id", "kind_code", "month")
        .annotate(
            n=Count("pk"),
            assessed=Count("pk", filter=assessed),
            timely=Count("pk", filter=assessed & ~late_filter(violation, dual)),
        )
        .order_by()
    )
    for row in received:
        cell = counts[(row["provider_id"], row["kind_code"], _month(row["month"]))]
        cell.records, cell.assessed, cell.timely = row["n"], row["assessed"], row["timely"]

    from xinyong.quality.sampling import sample_counts  # sampling reads the records this module counts

    for key, (sampled, correct) in sample_counts(first, end, provider_ids).items():
        counts[key].sampled, counts[key].correct = sampled, correct

    _mark_missing(counts, first, months, provider_ids)
    return dict(counts)


def _mark_missing(
    counts: dict[Key, Counts], first: dt.date, months: int, provider_ids: Collection[int] | None
) -> None:
    """A granted kind without a declaration is missing from every month the provider was active in."""
    grants = ProviderGrant.objects.filter(provider__active=True)
    if provider_ids is not None:
        grants = grants.filter(provider_id__in=list(provider_ids))
    pairs = set(grants.values_list("provider_id", "kind_code"))
    for offset in range(months):
        month = add_months(first, offset)
        for pid, kind in pairs:
            cell = counts.get((pid, kind, month))
            if cell is None or not cell.declarations:
                counts.setdefault((pid, kind, month), Counts()).missing = [kind]


def domain_map(provider_ids: Collection[int] | None = None) -> dict[tuple[int, str], Domain]:
    """The domain each provider's kind is counted in: the kind's fixed report domain, else the first
    domain (by number) the provider is granted the kind in."""
    fixed = {
        code: domain
        for code, domain in RecordKind.objects.filter(report_domain__isnull=False).values_list(
            "code", "report_domain_id"
        )
    }
    domains = {d.pk: d for d in Domain.objects.all()}
    grants = ProviderGrant.objects.order_by("domain__number")
    if provider_ids is not None:
        grants = grants.filter(provider_id__in=list(provider_ids))
    found: dict[tuple[int, str], Domain] = {}
    for pid, kind, domain_id in grants.values_list("provider_id", "kind_code", "domain_id"):
        found.setdefault((pid, kind), domains[fixed.get(kind, domain_id)])
    return found


# --- Scorecards -----------------------------------------------------------------------------------------------
def scorecards(month: dt.date, providers: Iterable[Provider] | None = None) -> list[ProviderCard]:
    """One card per provider for ``month`` (every active provider when ``providers`` is None, with a
    card even when it sent nothing), ranked by score, best first."""
    chosen = list(providers) if providers is not None else list(Provider.objects.filter(active=True))
    ids = [p.pk for p in chosen]
    counts = kind_counts(month, 1, ids if providers is not None else None)
    cards = _cards(chosen, month, counts, domain_map(ids))
    if providers is None:
        rank(cards)
    return cards


def _cards(
    providers: list[Provider],
    month: dt.date,
    counts: dict[Key, Counts],
    domains: dict[tuple[int, str], Domain],
) -> list[ProviderCard]:
    by_provider: dict[int, dict[str, Counts]] = defaultdict(dict)
    for (pid, kind, m), cell in counts.items():
        if m == month:
            by_provider[pid][kind] = cell
    cards = []
    for provider in providers:
        kinds = by_provider.get(provider.pk, {})
        total = Counts()
        per_domain: dict[int, tuple[Domain, Counts]] = {}
        for kind, cell in sorted(kinds.items()):
            total.add(cell)
            domain = domains.get((provider.pk, kind))
            if domain is not None:
                per_domain.setdefault(domain.pk, (domain, Counts()))[1].add(cell)
        ordered = sorted(per_domain.values(), key=lambda pair: pair[0].number)
        cards.append(ProviderCard(provider, month, total, ordered, dict(sorted(kinds.items()))))
    return cards


def rank(cards: list[ProviderCard]) -> None:
    """Order cards best first and number them (equal scores share a rank); a unit with nothing to
    score is listed last, unranked."""
    cards.sort(key=lambda c: (c.total.score() is None, -(c.total.score() or 0), c.provider.name))
    previous: float | None = None
    position = 0
    for index, card in enumerate(cards, start=1):
        score = card.total.score()
        if score is None:
            continue
        if score != previous:
            position, previous = index, score
        card.rank = position


def provider_card(provider: Provider, month: dt.date) -> tuple[ProviderCard, int]:
    """One provider's card with its rank among all active providers (and their number)."""
    cards = scorecards(month)
    for card in cards:
        if card.provider.pk == provider.pk:
            return card, len(cards)
    (card,) = scorecards(month, [provider])
    return card, len(cards)


def trend(
    provider_ids: Collection[int] | None, last: dt.date, months: int = 12
) -> dict[int, list[tuple[dt.date, Counts]]]:
    """Each provider's totals for the ``months`` months ending with ``last``, oldest first."""
    first = add_months(last, -(months - 1))
    series: dict[int, dict[dt.date, Counts]] = defaultdict(
        lambda: {add_months(first, i): Counts() for i in range(months)}
    )
    for (pid, _kind, month), cell in kind_counts(first, months, provider_ids).items():
        series[pid][month].add(cell)
    return {pid: sorted(by_month.items()) for pid, by_month in series.items()}


# --- The rows behind each figure (drill-down) ----------------------------------------------------------------
def decided_records(provider: Provider, month: dt.date, kind: str | None = None) -> QuerySet[CreditRecord]:
    """上报率: the records decided in the month that reached the platform."""
    rows = CreditRecord.objects.filter(
        provider=provider, decision_date__gte=month, decision_date__lt=add_months(month, 1)
    )
    return (rows.filter(kind_code=kind) if kind else rows).order_by("decision_date", "pk")


def late_records(provider: Provider, month: dt.date) -> QuerySet[CreditRecord]:
    """及时率: the records first received in the month that missed a deadline of their kind."""
    start_at, end_at = instant_bounds(month, add_months(month, 1))
    violation, dual = kind_flags()
    return CreditRecord.objects.filter(
        late_filter(violation, dual),
        provider=provider,
        first_received_at__gte=start_at,
        first_received_at__lt=end_at,
    ).order_by("first_received_at", "pk")


def _month_batches(provider: Provider, month: dt.date) -> QuerySet[Batch]:
    start_at, end_at = instant_bounds(month, add_months(month, 1))
    return Batch.objects.filter(provider=provider, received_at__gte=start_at, received_at__lt=end_at)


def rejections(
    provider: Provider, month: dt.date, code: str | None = None, field_code: str | None = None
) -> QuerySet[Rejection]:
    """合规率: the reasons rows received in the month were refused, optionally of one code and field."""
    rows = Rejection.objects.filter(batch__in=_month_batches(provider, month))
    if code:
        rows = rows.filter(code=code)
    if field_code is not None:
        rows = rows.filter(field=field_code)
    return rows.select_related("batch").order_by("batch_id", "row_number", "pk")


def held_versions(provider: Provider, month: dt.date) -> QuerySet[RecordVersion]:
    """合规率: rows received in the month that were stored but held as 重错码 (still held)."""
    return (
        RecordVersion.objects.filter(batch__in=_month_batches(provider, month))
        .exclude(record__hold=CreditRecord.Hold.NONE)
        .select_related("record")
        .order_by("batch_id", "row_number")
    )


def error_breakdown(provider: Provider, month: dt.date) -> list[dict[str, object]]:
    """合规率 by error code and field, most frequent first (one GROUP BY)."""
    return list(
        Rejection.objects.filter(batch__in=_month_batches(provider, month))
        .values("code", "field")
        .annotate(rows=Count("pk"))
        .order_by("-rows", "code", "field")
    )
