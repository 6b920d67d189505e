"""Reads for collection: rejection reports and the 重错码 queue of held records."""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider, RecordKind
from xinyong.collection.models import Batch, RejectedRow, Rejection
from xinyong.core import spreadsheet
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import CodeProblem, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject

#: One line per refused row: where it is in the file, every reason in words, the codes for tools.
REPORT_COLUMNS = ["Excel 行号", "数据行号", "错误说明", "错误代码"]

PROBLEM_TEXT = {
    CodeProblem.CHECK: "校验码错误",
    CodeProblem.ORG_CHECK: "内含组织机构代码校验码错误",
    CodeProblem.BIRTH_DATE: "出生日期无效",
}


def field_names(kind_code: str) -> dict[str, str]:
    """Chinese field names of a kind by code (its latest schema): reasons name fields as people do."""
    kind = RecordKind.objects.filter(code=kind_code).order_by("-version").first()
    return {f["code"]: f["name"] for f in kind.schema} if kind else {}


def excel_row(batch: Batch, row_number: int) -> int | None:
    """The row a person sees in Excel: data rows count from 1 below the header row. None for a call
    to the API, which has no sheet."""
    return row_number + 1 if batch.source == Batch.Source.FILE else None


@dataclass(frozen=True)
class RefusedRow:
    """A refused row with all its reasons, each naming its field in Chinese."""

    row_number: int
    excel_row: int | None
    reasons: list[tuple[str, str, str]]  # (field name, message, code)

    @property
    def explanation(self) -> str:
        return "；".join(f"{name}：{message}" if name else message for name, message, _code in self.reasons)

    @property
    def codes(self) -> str:
        return ", ".join(code for _name, _message, code in self.reasons)


def refused_rows(batch: Batch, reasons: Iterable[Rejection], names: dict[str, str]) -> Iterator[RefusedRow]:
    """``reasons`` (in row order) grouped into one ``RefusedRow`` per row."""
    for number, group in itertools.groupby(reasons, key=lambda r: r.row_number):
        yield RefusedRow(
            number,
            excel_row(batch, number),
            [(names.get(r.field, r.field), r.message, r.code) for r in group],
        )


def _rejection_rows(batch: Batch) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of the rejection report: one line per refused row with every reason, then the
    row exactly as submitted."""
    columns: dict[str, None] = {}
    rows = RejectedRow.objects.filter(batch=batch).order_by("row_number")
    for raw in rows.values_list("raw", flat=True).iterator(chunk_size=2000):
        columns.update(dict.fromkeys(header for header, _ in json.loads(raw)))
    original = list(columns)
    names = field_names(batch.kind_code)

    def lines() -> Iterator[list[Any]]:
        # Both streams are in row order: walk them together (a merge), one page of each in memory.
        submitted = rows.values_list("row_number", "raw").iterator(chunk_size=2000)
        number, values = -1, {}
        reasons = Rejection.objects.filter(batch=batch).order_by("row_number", "id").iterator(chunk_size=2000)
        for refused in refused_rows(batch, reasons, names):
            while number < refused.row_number:
                number, raw = next(submitted, (refused.row_number, "[]"))
                values = dict(json.loads(raw))
            yield [
                refused.excel_row or "", refused.row_number, refused.explanation, refused.codes,
                *(values.get(c, "") for c in original),
            ]  # fmt: skip

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
