"""Late and missing data alerts (迟报、漏报提醒): what the daily job tells each provider, in its workspace
inbox and by email (``accounts.notify``). Each alert is remembered (``Alert``) so it fires once.

- 迟报: records received on a day that missed the 7-working-day rule of their kind (one alert per
  provider and receipt day, within the last ``LOOKBACK_DAYS``).
- 未更正: rows of a batch rejected and not resubmitted (no record of the provider and kind with that
  key received since) ``quality.resubmit_working_days`` working days after the batch.
- 未申报: the last complete month's totals not declared for some granted kind, once the
  ``quality.declaration_working_days`` working days after the month have passed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate

from xinyong.accounts.notify import accounts_of_provider, notify
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider, RecordKind
from xinyong.collection.models import Batch, RejectedRow
from xinyong.collection.validation import header_key
from xinyong.core import clock
from xinyong.core.calendar import WorkingCalendar
from xinyong.quality import scorecard
from xinyong.quality.models import Alert
from xinyong.quality.months import label, last_complete_month
from xinyong.quality.rules import DECLARATION_WORKING_DAYS, RESUBMIT_WORKING_DAYS
from xinyong.records.models import CreditRecord
from xinyong.records.publication import add_months

#: How far back the late-record alert looks: a job down for a while still reports each day once.
LOOKBACK_DAYS = 31
LINK = "/workspace/quality/"


@dataclass(frozen=True)
class Due:
    provider_id: int
    kind: Alert.Kind
    reference: str
    count: int
    text: str


def late_days(today: dt.date) -> list[Due]:
    """Per provider and receipt day: records that missed the 7-working-day rule (one GROUP BY)."""
    _violation, dual = scorecard.kind_flags()
    since = clock.start_of_day(today - dt.timedelta(days=LOOKBACK_DAYS))
    rows = (
        CreditRecord.objects.filter(
            kind_code__in=dual, met_working_day_rule=False, first_received_at__gte=since
        )
        .annotate(day=TruncDate("first_received_at", tzinfo=clock.CHINA))
        .values("provider_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Due(r["provider_id"], Alert.Kind.LATE, r["day"].isoformat(), r["n"],
            f"{r['day']:%Y-%m-%d} 接收的 {r['n']} 条记录超过决定之日起7个工作日才报送。")
        for r in rows
    ]  # fmt: skip


def _key_of(raw: str, spellings: set[str]) -> str:
    for header, value in json.loads(raw):
        if header_key(str(header)) in spellings:
            return str(value).strip()
    return ""


def not_resubmitted(today: dt.date, calendar: WorkingCalendar) -> list[Due]:
    """Batches received on or before the day ``quality.resubmit_working_days`` working days ago with
    rejected rows whose key has not been received since. Only batches not yet alerted are read."""
    waited = RESUBMIT_WORKING_DAYS.on(today).value
    # A batch of day D is overdue once more than ``waited`` working days have passed since D.
    cutoff = clock.start_of_day(calendar.add_working_days(today, -waited))
    alerted = Alert.objects.filter(kind=Alert.Kind.NOT_RESUBMITTED).values_list("reference", flat=True)
    batches = (
        Batch.objects.filter(rejected_count__gt=0, received_at__lt=cutoff,
                             received_at__gte=cutoff - dt.timedelta(days=LOOKBACK_DAYS))
        .exclude(pk__in=[int(r) for r in alerted if r.isdigit()])
    )  # fmt: skip
    kinds = {k.code: k for k in RecordKind.objects.order_by("version")}
    found = []
    for batch in batches:
        kind = kinds.get(batch.kind_code)
        if kind is None:
            continue
        spec = next((f for f in kind.schema if f["code"] == kind.key_field), {"code": kind.key_field})
        spellings = {
            header_key(s) for s in (spec["code"], spec.get("name", ""), *spec.get("aliases", [])) if s
        }
        keys = {_key_of(row.raw, spellings) for row in RejectedRow.objects.filter(batch=batch)}
        keys.discard("")
        arrived = set(
            CreditRecord.objects.filter(
                provider_id=batch.provider_id, kind_code=batch.kind_code, key__in=keys,
                versions__received_at__gt=batch.received_at,
            ).values_list("key", flat=True)
        )  # fmt: skip
        pending = len(keys - arrived)
        if pending:
            found.append(
                Due(batch.provider_id, Alert.Kind.NOT_RESUBMITTED, str(batch.pk), pending,
                    f"批次 {batch.pk}（{clock.local_date(batch.received_at):%Y-%m-%d}）有 {pending} 行被拒收，"
                    f"超过 {waited} 个工作日仍未更正重报。")
            )  # fmt: skip
    return found


def undeclared(today: dt.date, calendar: WorkingCalendar) -> list[Due]:
    """The last complete month, once its declaration is overdue: each provider's undeclared kinds."""
    month = last_complete_month()
    due = calendar.add_working_days(
        add_months(month, 1) - dt.timedelta(days=1), DECLARATION_WORKING_DAYS.on(today).value
    )
    if today <= due:
        return []
    missing: dict[int, set[str]] = defaultdict(set)
    for (pid, _kind, _m), cell in scorecard.kind_counts(month, 1).items():
        missing[pid].update(cell.missing)
    return [
        Due(pid, Alert.Kind.UNDECLARED, label(month), len(kinds),
            f"{label(month)} 尚未申报以下信息事项的决定数：{'、'.join(sorted(kinds))}。")
        for pid, kinds in missing.items() if kinds
    ]  # fmt: skip


@transaction.atomic
def send(found: list[Due]) -> int:
    """Insert the alerts not sent before and tell each provider's staff once per alert."""
    now = clock.now()
    sent = 0
    providers = {p.pk: p for p in Provider.objects.filter(pk__in={d.provider_id for d in found})}
    for due in found:
        _alert, created = Alert.objects.get_or_create(
            provider_id=due.provider_id, kind=due.kind, reference=due.reference,
            defaults={"count": due.count, "created_at": now},
        )  # fmt: skip
        if not created:
            continue
        provider = providers[due.provider_id]
        notify(
            accounts_of_provider(provider),
            title=f"数据质量提醒：{Alert.Kind(due.kind).label}",
            body=due.text,
            link=LINK,
        )
        record(actor=Actor.system("quality-alerts"), action="quality.alert", object_type="provider",
               object_id=provider.code, detail={"kind": due.kind, "reference": due.reference, "count": due.count})  # fmt: skip
        sent += 1
    return sent


def run(today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    calendar = WorkingCalendar.load()
    return {
        "late": send(late_days(today)),
        "not_resubmitted": send(not_resubmitted(today, calendar)),
        "undeclared": send(undeclared(today, calendar)),
    }
