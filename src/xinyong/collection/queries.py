"""Reads for collection: rejection reports and the 重错码 queue of held records."""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider
from xinyong.collection.models import Batch, RejectedRow, Rejection
from xinyong.core import spreadsheet
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import CodeProblem, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject

REPORT_COLUMNS = ["行号", "错误代码", "字段", "错误说明"]

PROBLEM_TEXT = {
    CodeProblem.CHECK: "校验码错误",
    CodeProblem.ORG_CHECK: "内含组织机构代码校验码错误",
    CodeProblem.BIRTH_DATE: "出生日期无效",
}


def _rejection_rows(batch: Batch) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of the rejection report: each reason, then its row exactly as submitted."""
    columns: dict[str, None] = {}
    rows = RejectedRow.objects.filter(batch=batch).order_by("row_number")
    for raw in rows.values_list("raw", flat=True).iterator(chunk_size=2000):
        columns.update(dict.fromkeys(header for header, _ in json.loads(raw)))
    original = list(columns)

    def lines() -> Iterator[list[Any]]:
        # Both streams are in row order: walk them together (a merge), one page of each in memory.
        submitted = rows.values_list("row_number", "raw").iterator(chunk_size=2000)
        number, values = -1, {}
        reasons = Rejection.objects.filter(batch=batch).order_by("row_number", "id")
        for r in reasons.iterator(chunk_size=2000):
            while number < r.row_number:
                number, raw = next(submitted, (r.row_number, "[]"))
                values = dict(json.loads(raw))
            yield [r.row_number, r.code, r.field, r.message, *(values.get(c, "") for c in original)]

    return REPORT_COLUMNS + original, lines()


class _Echo:
    def write(self, value: str) -> str:
        return value


def rejection_report_response(batch: Batch, fmt: str, *, actor: Actor) -> HttpResponseBase:
    """The rejected rows as submitted (they may carry personal data), as a download; on the record.
    Cells go through core.spreadsheet: a submitted "=HYPERLINK(…)" is shown, never run."""
    record(actor=actor, action="batch.rejections.download", object_type="batch", object_id=batch.pk,
           detail={"format": fmt, "rejected": batch.rejected_count})  # fmt: skip
    header, rows = _rejection_rows(batch)
    stem = f"rejections-batch-{batch.pk}"
    if fmt == "csv":
        writer = spreadsheet.csv_writer(_Echo())

        def stream() -> Iterator[str]:
            yield "\ufeff"  # so Excel opens the UTF-8 file with Chinese intact
            yield writer.writerow(spreadsheet.csv_row(header))
            for row in rows:
                yield writer.writerow(spreadsheet.csv_row(row))

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    spreadsheet.write_xlsx(handle, "拒收明细", itertools.chain([header], rows))
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def code_problem_text(subject: Subject) -> str:
    check = resident_id_problem if subject.code_type == Subject.CodeType.RESIDENT_ID else uscc_problem
    problem = check(subject.code)
    return PROBLEM_TEXT.get(problem, "代码待核") if problem else "代码待核"


def held_records_queryset(provider: Provider | None) -> Any:
    """Held records (重错码) of one provider, or of every provider for the centre."""
    query = (
        CreditRecord.objects.exclude(hold="")
        .select_related("subject", "provider")
        .order_by("-first_received_at", "-pk")
    )
    return query if provider is None else query.filter(provider=provider)


def held_records(*, provider: Provider | None, limit: int, offset: int) -> list[dict[str, Any]]:
    return [
        {
            "record_id": r.pk,
            "kind": r.kind_code,
            "key": r.key,
            "subject_code": r.subject.public_code,
            "subject_name": r.subject.name,
            "problem": code_problem_text(r.subject),
            "received_at": r.first_received_at.isoformat(),
        }
        for r in held_records_queryset(provider)[offset : offset + limit]
    ]
