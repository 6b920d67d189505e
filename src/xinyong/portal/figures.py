"""Figures for the home pages (首页统计, 中心工作台): counts drawn as server-side charts
(``core.charts``), each from one grouped query.

The public figures change only with intake and are read on every visit to the home page, so they are
cached for ``PUBLIC_SECONDS``; the centre's counts are read fresh (its staff act on them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from xinyong.catalog.models import Category, Domain, Provider, RecordKind
from xinyong.collection import queries as collection_queries
from xinyong.collection.models import Batch
from xinyong.core import clock
from xinyong.core.charts import Series, bar_chart, line_chart
from xinyong.disputes.models import Objection
from xinyong.records.models import CreditRecord
from xinyong.repairs.models import RepairApplication
from xinyong.subjects.models import Subject

PUBLIC_SECONDS = 600
TOP_DOMAINS = 10
MONTHS = 12


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _step in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _public() -> dict[str, Any]:
    records = CreditRecord.objects.all()
    names = {k.code: k.category for k in RecordKind.objects.all()}
    by_kind = records.values_list("kind_code").annotate(n=Count("pk"))
    by_category = dict.fromkeys(Category.values, 0)
    for kind_code, n in by_kind:
        by_category[names.get(kind_code, Category.BASIC)] += n
    by_domain = list(
        records.values_list("domain__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "domain__name")[:TOP_DOMAINS]
    )
    months = _months_back(clock.today(), MONTHS)
    monthly = dict(
        records.filter(decision_date__gte=months[0])
        .annotate(month=TruncMonth("decision_date"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    per_month = [monthly.get(m, 0) for m in months]
    return {
        "totals": {
            "subjects": Subject.objects.count(), "records": sum(by_category.values()),
            "providers": Provider.objects.filter(active=True).count(), "domains": Domain.objects.count(),
        },
        "by_category": [(str(Category(c).label), n) for c, n in by_category.items()],
        "by_domain": by_domain,
        "by_month": [(f"{m:%Y-%m}", n) for m, n in zip(months, per_month, strict=True)],
    }  # fmt: skip


def public_figures() -> dict[str, Any]:
    """The home page's totals and its three charts (信息分类, 领域, 月度)."""
    figures: dict[str, Any] = cache.get_or_set("portal:public-figures", _public, PUBLIC_SECONDS) or _public()
    records = _("信用记录")
    charts: dict[str, SafeString] = {
        "by_category": bar_chart(
            [label for label, _n in figures["by_category"]],
            [Series(records, [n for _label, n in figures["by_category"]])],
            title=_("信用记录按信息类别"), unit=_("条"),
        ),
        "by_domain": bar_chart(
            [label for label, _n in figures["by_domain"]],
            [Series(records, [n for _label, n in figures["by_domain"]])],
            title=_("信用记录最多的领域"), unit=_("条"), horizontal=True,
        ),
        "by_month": line_chart(
            [label for label, _n in figures["by_month"]],
            [Series(records, [n for _label, n in figures["by_month"]])],
            title=_("近 12 个月作出的决定（按决定日期）"), unit=_("条"),
        ),
    }  # fmt: skip
    return {"totals": figures["totals"], "charts": charts}


@dataclass(frozen=True)
class Tile:
    """One count on the centre's home with where to act on it."""

    label: str
    count: int
    url: str
    urgent: bool = False


def centre_tiles(today: dt.date) -> list[Tile]:
    open_objections = Objection.objects.exclude(state=Objection.State.CLOSED)
    overdue = (
        open_objections.filter(overall_due__lt=today).count()
        + RepairApplication.objects.filter(
            Q(state=RepairApplication.State.CITY_REVIEW, city_due__lt=today)
            | Q(state=RepairApplication.State.PROVINCIAL_REVIEW, provincial_due__lt=today)
        ).count()
    )
    week_ago = clock.now() - dt.timedelta(days=7)
    failed = Batch.objects.filter(status=Batch.Status.FAILED, received_at__gte=week_ago).count()
    return [
        Tile(_("待办异议"), open_objections.count(), reverse("disputes:queue")),
        Tile(_("逾期案件（异议、修复）"), overdue, reverse("disputes:overdue"), urgent=overdue > 0),
        Tile(
            _("待审修复申请"),
            RepairApplication.objects.filter(
                state__in=[RepairApplication.State.CITY_REVIEW, RepairApplication.State.PROVINCIAL_REVIEW]
            ).count(),
            reverse("repairs:city-queue"),
        ),
        Tile(
            _("重错码待核"),
            collection_queries.held_records_queryset(None).count(),
            reverse("portal:code-conflicts"),
        ),
        Tile(
            _("近 7 天失败的批次"),
            failed,
            reverse("portal:workspace") + "#batches",
            urgent=failed > 0,
        ),
    ]


def timeliness_chart(today: dt.date) -> SafeString:
    """Per department, the share of records of the last 90 days received within their time limit
    (14 natural days for violations, 7 working days for 双公示), as judged at intake."""
    since = today - dt.timedelta(days=90)
    judged = (
        CreditRecord.objects.filter(decision_date__gte=since)
        .exclude(met_natural_day_rule=None, met_working_day_rule=None)
        .values_list("provider__name")
        .annotate(
            total=Count("pk"),
            late=Count("pk", filter=Q(met_natural_day_rule=False) | Q(met_working_day_rule=False)),
        )
        .order_by("provider__name")
    )
    labels = [name for name, _t, _l in judged]
    on_time = [round(100 * (total - late) / total, 1) if total else 0 for _n, total, late in judged]
    return bar_chart(
        labels,
        [Series(_("按时归集率"), on_time)],
        title=_("近 90 天各部门按时归集率"),
        unit="%",
        horizontal=True,
    )
