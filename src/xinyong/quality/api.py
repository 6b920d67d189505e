"""Data-quality API: scorecards per provider and month, the rows behind them, monthly declarations.

Reading every provider's scorecard needs a centre account (session). A provider reads its own card and
rows, and declares its monthly totals, with its API key or its staff's session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.api import ProviderKey
from xinyong.catalog.models import Provider
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import FORBIDDEN, NOT_FOUND, PlatformError
from xinyong.core.paging import PageQuery
from xinyong.quality import scorecard, services
from xinyong.quality.months import label, last_complete_month, parse_month
from xinyong.quality.scorecard import Counts, ProviderCard
from xinyong.subjects.codes import mask_resident_id
from xinyong.subjects.models import Subject

router = Router(tags=["数据质量 quality"], auth=[ProviderKey(), SessionAuth()])
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404): ErrorEnvelope}


class RatesOut(Schema):
    upload: float | None = Field(
        description="上报率（%）：报送记录数 ÷ 申报数，逐类计至申报数为止；无申报数时为空"
    )
    compliance: float | None = Field(description="合规率（%）：无误接收行数 ÷ 接收行数")
    timeliness: float | None = Field(description="及时率（%）：按时归集记录数 ÷ 可判定记录数")
    accuracy: float | None = Field(description="抽检准确率（%）：抽检正确数 ÷ 抽检数")


class CountsOut(Schema):
    declared: int = Field(description="申报数合计")
    reported: int = Field(description="当月作出决定并已报送的记录数")
    missing_declarations: list[str] = Field(description="未申报的信息事项代码")
    received: int = Field(description="当月接收的行数")
    accepted: int = Field(description="无误接收的行数（不含拒收与重错码暂存）")
    rejected: int
    held: int = Field(description="重错码暂存的行数")
    records: int = Field(description="当月首次接收的记录数")
    assessed: int = Field(description="其中可判定时限的记录数")
    timely: int
    rates: RatesOut
    below_target: list[str] = Field(
        description="未达标的指标：upload / compliance / timeliness / accuracy / declaration"
    )

    @staticmethod
    def of(counts: Counts, month: dt.date) -> dict[str, Any]:
        return {
            "declared": counts.declared,
            "reported": counts.reported,
            "missing_declarations": counts.missing,
            "received": counts.received,
            "accepted": counts.accepted,
            "rejected": counts.rejected,
            "held": counts.held,
            "records": counts.records,
            "assessed": counts.assessed,
            "timely": counts.timely,
            "rates": {
                "upload": counts.upload.percent,
                "compliance": counts.compliance.percent,
                "timeliness": counts.timeliness.percent,
                "accuracy": counts.accuracy.percent,
            },
            "below_target": counts.shortfalls(scorecard.targets_for(month)),
        }


class ProviderRowOut(CountsOut):
    code: str
    name: str
    rank: int | None = Field(description="按各项比率平均值排名，1 为最好；无可计算比率时为空")

    @staticmethod
    def of_card(card: ProviderCard) -> dict[str, Any]:
        return {
            "code": card.provider.code,
            "name": card.provider.name,
            "rank": card.rank,
            **CountsOut.of(card.total, card.month),
        }


class ProvidersOut(Schema):
    month: str
    providers: list[ProviderRowOut]


class DomainOut(CountsOut):
    number: int
    name: str


class KindOut(CountsOut):
    kind: str


class ErrorCountOut(Schema):
    code: str
    field: str
    rows: int


class ProviderOut(ProviderRowOut):
    month: str
    out_of: int = Field(description="参与评分的单位数")
    domains: list[DomainOut]
    kinds: list[KindOut]
    errors: list[ErrorCountOut] = Field(description="拒收原因按错误码与字段分组")


class RowOut(Schema):
    record_id: int | None = None
    kind_code: str = ""
    key: str = ""
    subject_code: str = ""
    decision_date: dt.date | None = None
    received_at: dt.datetime | None = None
    batch_id: int | None = None
    row: int | None = None
    code: str = ""
    field: str = ""
    message: str = ""


class RowsOut(Schema):
    measure: str
    count: int
    page: int
    pages: int
    rows: list[RowOut]


class TotalIn(Schema):
    kind: str = Field(description="信息事项代码", max_length=40, examples=["penalty"])
    count: int = Field(description="当月作出决定的数量（含零）")


class DeclarationIn(Schema):
    month: str = Field(description="月份 YYYY-MM", examples=["2026-11"])
    totals: list[TotalIn] = Field(description="各信息事项的申报数", min_length=1, max_length=100)


class DeclarationOut(Schema):
    provider: str
    month: str
    totals: dict[str, int]


def _who(request: HttpRequest) -> User | Provider:
    who = request.auth  # type: ignore[attr-defined]
    assert isinstance(who, User | Provider)
    return who


def _month(value: str | None) -> dt.date:
    return last_complete_month() if value is None else parse_month(value)


def _visible_provider(request: HttpRequest, code: str) -> Provider:
    """A provider's card is for the centre and for the provider itself; anyone else gets 404."""
    who = _who(request)
    provider = Provider.objects.filter(code=code).first()
    if provider is not None and allowed(who, Action.VIEW_ALL_QUALITY):
        return provider
    own = who if isinstance(who, Provider) else who.provider
    if provider is None or own is None or own.pk != provider.pk or not allowed(who, Action.VIEW_OWN_QUALITY):
        raise PlatformError(NOT_FOUND)
    return provider


@router.get("/quality/providers", response={200: ProvidersOut, **ERRORS}, summary="各单位数据质量评分")
def providers(request: HttpRequest, month: str | None = None) -> dict[str, Any]:
    if not allowed(_who(request), Action.VIEW_ALL_QUALITY):
        raise PlatformError(FORBIDDEN)
    chosen = _month(month)
    cards = scorecard.scorecards(chosen)
    return {"month": label(chosen), "providers": [ProviderRowOut.of_card(c) for c in cards]}


@router.get(
    "/quality/providers/{code}", response={200: ProviderOut, **ERRORS}, summary="一个单位的数据质量评分"
)
def provider(request: HttpRequest, code: str, month: str | None = None) -> dict[str, Any]:
    found = _visible_provider(request, code)
    chosen = _month(month)
    card, of = scorecard.provider_card(found, chosen)
    return {
        **ProviderRowOut.of_card(card),
        "month": label(chosen),
        "out_of": of,
        "domains": [{"number": d.number, "name": d.name, **CountsOut.of(c, chosen)} for d, c in card.domains],
        "kinds": [{"kind": k, **CountsOut.of(c, chosen)} for k, c in card.kinds.items()],
        "errors": scorecard.error_breakdown(found, chosen),
    }


Measure = Literal["decided", "late", "rejected", "held"]


@router.get(
    "/quality/providers/{code}/rows",
    response={200: RowsOut, **ERRORS},
    summary="评分背后的记录（分页）",
    description=(
        "measure: decided 当月作出决定并已报送的记录（上报率）；late 超过归集时限的记录（及时率）；"
        "rejected 拒收原因（合规率，可按 error 与 field 筛选）；held 重错码暂存的行（合规率）"
    ),
)
def rows(
    request: HttpRequest,
    code: str,
    measure: Measure,
    paging: Query[PageQuery],
    month: str | None = None,
    error: str | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    found = _visible_provider(request, code)
    page = Paginator(drill_down(found, _month(month), measure, error, field), paging.per_page).get_page(
        paging.page
    )
    reveal = allowed(_who(request), Action.VIEW_ALL_QUALITY)
    return {
        "measure": measure,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "rows": [masked(row, reveal) for row in page],
    }


def masked(row: dict[str, Any], reveal: bool) -> dict[str, Any]:
    """A person's ID number is shown in full to centre staff only (docs/access.md)."""
    if row.pop("subject_kind", None) == Subject.Kind.PERSON and not reveal:
        row["subject_code"] = mask_resident_id(row["subject_code"])
    return row


def drill_down(
    provider: Provider, month: dt.date, measure: str, error: str | None = None, field: str | None = None
) -> Any:
    """The rows behind one figure, as dictionaries of ``RowOut``'s fields (a lazy queryset: paged)."""
    if measure == "rejected":
        return scorecard.rejections(provider, month, error, field).values(
            "code", "field", "message", "batch_id", row=F("row_number"), received_at=F("batch__received_at")
        )
    if measure == "held":
        return scorecard.held_versions(provider, month).values(
            "subject_code",
            "record_id",
            "batch_id",
            "received_at",
            subject_kind=F("record__subject__kind"),
            kind_code=F("record__kind_code"),
            key=F("record__key"),
            decision_date=F("record__decision_date"),
            row=F("row_number"),
        )
    records = (
        scorecard.late_records(provider, month)
        if measure == "late"
        else scorecard.decided_records(provider, month)
    )
    return records.values(
        "key",
        "subject_code",
        "decision_date",
        "kind_code",
        subject_kind=F("subject__kind"),
        record_id=F("pk"),
        received_at=F("first_received_at"),
    )


@router.post("/quality/declarations", response={200: DeclarationOut, **ERRORS}, summary="申报当月决定数")
def declare(request: HttpRequest, payload: DeclarationIn) -> dict[str, Any]:
    who = _who(request)
    own = who if isinstance(who, Provider) else who.provider
    if own is None or not allowed(who, Action.DECLARE_TOTALS):
        raise PlatformError(FORBIDDEN)
    month = parse_month(payload.month)
    totals = [services.Total(t.kind, t.count) for t in payload.totals]
    saved = services.declare(own, month, totals, actor=who)
    return {"provider": own.code, "month": label(month), "totals": {d.kind_code: d.count for d in saved}}
