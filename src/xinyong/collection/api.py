"""Collection API: providers push records and read back their batches, rejections and held records."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.audit.services import Actor
from xinyong.catalog.api import ProviderKey
from xinyong.catalog.models import Provider
from xinyong.collection import queries, services
from xinyong.collection.models import Batch
from xinyong.core import errors
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import PlatformError
from xinyong.core.paging import SliceQuery

router = Router(tags=["归集 collection"], auth=ProviderKey())


class SubmitIn(Schema):
    kind: str = Field(description="信息事项代码, e.g. penalty, licence", examples=["penalty"])
    records: list[dict[str, Any]] = Field(
        description=(
            "记录列表，键为字段代码（cf_xdr_mc …）或中文字段名，值为字符串（金额字段也可为数字）；"
            "每次最多 1000 条、每条最多 200 个字段（上限可配置，见 docs/security.md）"
        )
    )


class ErrorOut(Schema):
    code: str
    field: str | None
    message: str


class ResultOut(Schema):
    index: int = Field(description="从 1 开始的记录序号")
    status: Literal["created", "versioned", "unchanged", "rejected"]
    record_id: int | None = None
    version: int | None = None
    held: str | None = Field(None, description="code_conflict: 代码校验未通过（重错码），暂不公示")
    errors: list[ErrorOut] = []


class BatchOut(Schema):
    id: int
    kind: str
    source: str
    status: str
    filename: str
    received_at: str
    rows_done: int
    rows_estimated: int | None
    created: int
    versioned: int
    unchanged: int
    held: int
    rejected: int
    error: str

    @staticmethod
    def of(batch: Batch) -> dict[str, Any]:
        return {
            "id": batch.pk,
            "kind": batch.kind_code,
            "source": batch.source,
            "status": batch.status,
            "filename": batch.filename,
            "received_at": batch.received_at.isoformat(),
            "rows_done": batch.rows_done,
            "rows_estimated": batch.rows_estimated,
            "created": batch.created_count,
            "versioned": batch.versioned_count,
            "unchanged": batch.unchanged_count,
            "held": batch.held_count,
            "rejected": batch.rejected_count,
            "error": batch.error,
        }


class SubmitOut(Schema):
    batch: BatchOut
    results: list[ResultOut]


class HeldOut(Schema):
    record_id: int
    kind: str
    key: str
    subject_code: str
    subject_name: str
    problem: str
    received_at: str


ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 413, 422): ErrorEnvelope}


@router.post("/records", response={200: SubmitOut, **ERRORS}, summary="报送信用记录")
def submit(request: HttpRequest, payload: SubmitIn) -> dict[str, Any]:
    provider: Provider = request.auth  # type: ignore[attr-defined]
    batch, outcomes = services.submit_records(provider, payload.kind, payload.records)
    results = []
    for outcome in outcomes:
        if outcome.stored is None:
            results.append(
                {
                    "index": outcome.row_number,
                    "status": "rejected",
                    "errors": [
                        {"code": e.code, "field": e.field, "message": e.message} for e in outcome.errors
                    ],
                }
            )
        else:
            results.append(
                {
                    "index": outcome.row_number,
                    "status": outcome.stored.status.value,
                    "record_id": outcome.stored.record_id,
                    "version": outcome.stored.version,
                    "held": "code_conflict" if outcome.stored.held else None,
                }
            )
    return {"batch": BatchOut.of(batch), "results": results}


def _own_batch(request: HttpRequest, batch_id: int) -> Batch:
    batch = Batch.objects.filter(pk=batch_id, provider=request.auth).first()  # type: ignore[attr-defined]
    if batch is None:
        raise PlatformError(errors.NOT_FOUND)
    return batch


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS}, summary="批次状态与进度")
def batch_status(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return BatchOut.of(_own_batch(request, batch_id))


@router.get(
    "/batches/{batch_id}/rejections.{fmt}",
    summary="下载拒收明细 (csv / xlsx)",
    response={200: None, **ERRORS},
)
def rejections(request: HttpRequest, batch_id: int, fmt: Literal["csv", "xlsx"]) -> HttpResponseBase:
    provider: Provider = request.auth  # type: ignore[attr-defined]
    return queries.rejection_report_response(
        _own_batch(request, batch_id), fmt, actor=Actor.of_provider(provider)
    )


@router.get("/code-conflicts", response={200: list[HeldOut], **ERRORS}, summary="重错码待核记录")
def code_conflicts(request: HttpRequest, window: Query[SliceQuery]) -> list[dict[str, Any]]:
    return queries.held_records(provider=request.auth, limit=window.limit, offset=window.offset)  # type: ignore[attr-defined]
