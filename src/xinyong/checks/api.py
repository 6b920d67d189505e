"""Batch check API (信用互查互认): a unit officer submits a file and follows its progress; signed in
(CSRF-checked), like the counter check."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import SessionAuth
from pydantic import Field

from xinyong.accounts.http import session_user
from xinyong.checks import services
from xinyong.checks.models import BatchCheck
from xinyong.checks.tasks import run_batch_check
from xinyong.core.api import ErrorEnvelope
from xinyong.core.errors import NOT_FOUND, PlatformError

router = Router(tags=["信用互查 batch checks"], auth=SessionAuth())
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {(400, 401, 403, 404, 409, 413): ErrorEnvelope}


class BatchCheckRejection(Schema):
    row: int
    field: str
    code: str
    message: str


class BatchCheckOut(Schema):
    id: int
    number: str
    state: str = Field(description="queued 排队中 / running 核查中 / done 已完成 / failed 失败")
    progress: int = Field(description="完成百分比")
    total: int
    done: int
    scenario: str
    purpose: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict[str, Any] = Field(description="outcome: 按核查结果的主体数；domains: 按领域的主体数")
    rejected: list[BatchCheckRejection] = Field(description="读取文件时退回的行（行号、列、错误码、说明）")
    sheet: str = Field(description="核查结果表（XLSX）地址，完成后可下载")
    statement: str = Field(description="协助核查情况统计表（签名 PDF）地址，完成后可下载")
    error: str

    @staticmethod
    def of(b: BatchCheck) -> dict[str, Any]:
        base = f"/api/v1/batch-checks/{b.pk}"
        done = b.state == BatchCheck.State.DONE
        return {
            "id": b.pk, "number": b.number, "state": b.state, "progress": b.progress, "total": b.total,
            "done": b.done, "scenario": b.scenario.code, "purpose": b.purpose, "created_at": b.created_at,
            "finished_at": b.finished_at, "counts": b.counts,
            "rejected": [{k: r[k] for k in ("row", "field", "code", "message")} for r in b.rejected],
            "sheet": f"{base}/sheet.xlsx" if done else "", "statement": f"{base}/statement.pdf" if done else "",
            "error": b.error,
        }  # fmt: skip


def _own(request: HttpRequest, batch_id: int) -> BatchCheck:
    found = services.batches_of(session_user(request)).filter(pk=batch_id).first()
    if found is None:
        raise PlatformError(NOT_FOUND)
    return found


@router.post("/batch-checks", response={202: BatchCheckOut, **ERRORS}, summary="提交信用互查批量核查")
def submit(
    request: HttpRequest, file: File[UploadedFile], scenario: Form[str], purpose: Form[str]
) -> Status[dict[str, Any]]:
    """An XLSX, CSV or JSON Lines file with a column 统一社会信用代码 or 证件号码 (and optionally 名称), at
    most ``XINYONG_MAX_BATCH_CHECK_CODES`` rows; a scenario and a legal purpose of the unit. Answers 202 at
    once; the worker checks the file and ``GET /api/v1/batch-checks/{id}`` shows the progress."""
    name = Path(file.name or "upload.csv").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for block in file.chunks():
                out.write(block)
        batch = services.submit(
            session_user(request), path, filename=name, scenario=scenario, purpose=purpose
        )
    run_batch_check.enqueue(batch.pk)
    batch.refresh_from_db()
    return Status(202, BatchCheckOut.of(batch))


@router.get("/batch-checks/{batch_id}", response={200: BatchCheckOut, **ERRORS}, summary="批量核查进度与结果")
def status(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    return BatchCheckOut.of(_own(request, batch_id))


@router.get("/batch-checks/{batch_id}/sheet.xlsx", response={200: None, **ERRORS}, summary="下载核查结果表")
def sheet(request: HttpRequest, batch_id: int) -> FileResponse:
    batch = _own(request, batch_id)
    path = services.download(session_user(request), batch, "sheet")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"核查结果-{batch.number}.xlsx")


@router.get(
    "/batch-checks/{batch_id}/statement.pdf", response={200: None, **ERRORS}, summary="下载协助核查情况统计表"
)
def statement(request: HttpRequest, batch_id: int) -> FileResponse:
    batch = _own(request, batch_id)
    path = services.download(session_user(request), batch, "pdf")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"协助核查情况统计表-{batch.number}.pdf"
    )
