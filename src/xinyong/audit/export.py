"""Exporting the audit trail for regulators (监管导出), as CSV or JSON, with the chain proof.

The proof is every exported entry with the exact field values that were hashed, its ``prev_hash`` and
its ``entry_hash``. With the algorithm below (also written into the JSON and into docs/audit.md) a
regulator recomputes each hash and each link without access to the platform. Exports stream: one
page of entries is in memory at a time, whatever the range.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Count, Max, Min, QuerySet

from xinyong.audit.models import AuditEntry, AuditHead
from xinyong.audit.services import GENESIS, HASHED_FIELDS, Actor, hashed_values, record
from xinyong.audit.verify import entries_by_seq
from xinyong.core import clock, spreadsheet
from xinyong.subjects.codes import normalise

ALGORITHM = (
    "entry_hash is the SHA-256 digest, written as 64 lowercase hexadecimal digits, of the UTF-8 bytes of "
    "a JSON array of strings: the values of the fields named in hashed_fields, in that order, exactly as "
    "exported (seq as its decimal digits). The array is serialised as RFC 8785 (JCS) does: no whitespace; "
    'inside strings only " and \\ and the control characters U+0000 to U+001F are escaped (as \\b \\t \\n '
    "\\f \\r, otherwise as \\u00xx with lowercase hex); every other character, Chinese included, is "
    "written as itself. The first entry of the chain has prev_hash = genesis; every later entry's "
    "prev_hash is the entry_hash of the entry whose seq is one less."
)
ALGORITHM_ZH = (
    "entry_hash 为 SHA-256 摘要（64 位小写十六进制）。摘要的输入是一个 JSON 字符串数组的 UTF-8 字节："
    "按 hashed_fields 所列顺序取各字段的导出值（seq 取十进制数字），按 RFC 8785（JCS）序列化——不含空白，"
    '字符串内只转义 " 、\\ 和 U+0000 至 U+001F 的控制字符（\\b \\t \\n \\f \\r，其余写作小写的 \\u00xx），'
    "其他字符（包括中文）原样写出。链上第一条的 prev_hash 等于 genesis，此后每条的 prev_hash 等于序号小一的那条的 entry_hash。"
)

#: Column headers of the CSV export. The first columns are the hashed fields in hashing order.
HEADERS: dict[str, str] = {
    "seq": "序号",
    "at": "时间(UTC)",
    "actor_type": "操作者类型",
    "actor_id": "操作者标识",
    "actor_name": "操作者",
    "unit": "单位",
    "role": "角色",
    "purpose": "查询事由",
    "subject_code": "信用主体代码",
    "action": "操作",
    "object_type": "对象类型",
    "object_id": "对象标识",
    "request_id": "请求编号",
    "result_fingerprint": "结果指纹",
    "detail": "详情",
    "prev_hash": "前一哈希",
    "entry_hash": "本条哈希",
}
#: A reading aid after the proof columns; not hashed.
LOCAL_TIME_HEADER = "北京时间"
EXPORTED_FIELDS = (*HASHED_FIELDS, "entry_hash")


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class Selection:
    """Which entries to export: ``since <= at < until`` (either open) and/or one subject's entries."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    subject_code: str = ""

    @classmethod
    def of_days(cls, since: dt.date | None, until: dt.date | None, subject_code: str = "") -> Selection:
        """Entries of the China calendar days ``since`` to ``until``, both included."""
        return cls(
            since=clock.start_of_day(since) if since else None,
            until=clock.start_of_day(until + dt.timedelta(days=1)) if until else None,
            subject_code=normalise(subject_code),
        )


@dataclass(frozen=True)
class ChainSpan:
    """What an export covers, and the anchors a regulator checks the exported entries against."""

    count: int
    first_seq: int | None
    last_seq: int | None
    #: prev_hash of the first exported entry: where recomputation over the range starts.
    first_prev_hash: str
    #: entry_hash of the last exported entry.
    last_hash: str
    #: The platform's chain head when the export began; worth keeping as an outside anchor.
    head_seq: int
    head_hash: str

    @property
    def contiguous(self) -> bool:
        """True when the export holds every entry from first_seq to last_seq, so every link is checkable."""
        if self.first_seq is None or self.last_seq is None:
            return True
        return self.count == self.last_seq - self.first_seq + 1


def span_of(selection: Selection) -> tuple[ChainSpan, QuerySet[AuditEntry]]:
    """Fix what one export covers before streaming it.

    The head is read first and the entries capped at it, so appends during a long export neither leak
    into it nor make its anchors disagree with its rows.
    """
    head = AuditHead.objects.get(pk=1)
    entries = AuditEntry.objects.filter(seq__lte=head.last_seq)
    if selection.since is not None:
        entries = entries.filter(at__gte=selection.since)
    if selection.until is not None:
        entries = entries.filter(at__lt=selection.until)
    if selection.subject_code:
        entries = entries.filter(subject_code=selection.subject_code)
    bounds = entries.aggregate(count=Count("id"), first=Min("seq"), last=Max("seq"))
    first = entries.filter(seq=bounds["first"]).values_list("prev_hash", flat=True).first()
    last = entries.filter(seq=bounds["last"]).values_list("entry_hash", flat=True).first()
    span = ChainSpan(
        count=bounds["count"],
        first_seq=bounds["first"],
        last_seq=bounds["last"],
        first_prev_hash=first or "",
        last_hash=last or "",
        head_seq=head.last_seq,
        head_hash=head.last_hash,
    )
    if span.first_seq is not None:
        # Seq bounds steer each page onto the seq index (an index range scan) even when a time range
        # is what selected the entries; without them the planner may sort the whole range per page.
        entries = entries.filter(seq__gte=span.first_seq, seq__lte=span.last_seq)
    return span, entries


def exported_values(entry: AuditEntry) -> dict[str, str]:
    """The entry's fields as the strings that were hashed, plus its entry_hash."""
    values = {field: str(value) for field, value in hashed_values(entry).items()}
    values["entry_hash"] = entry.entry_hash
    return values


def csv_chunks(entries: QuerySet[AuditEntry], *, batch_size: int = 5000) -> Iterator[str]:
    """UTF-8 CSV text with a BOM (so Excel and WPS read the Chinese right) and Chinese headers."""
    buffer = io.StringIO()
    writer = spreadsheet.csv_writer(buffer)

    def line(cells: list[str]) -> str:
        writer.writerow(spreadsheet.csv_row(cells))
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    # A purpose typed as "=HYPERLINK(…)" must not run in the auditor's spreadsheet, and the proof must
    # still recompute: core.spreadsheet's rule is undone exactly by dropping one leading apostrophe
    # (docs/audit.md).
    yield "\ufeff" + line([*(HEADERS[f] for f in EXPORTED_FIELDS), LOCAL_TIME_HEADER])
    for entry in entries_by_seq(entries, batch_size=batch_size):
        values = exported_values(entry)
        local = entry.at.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M:%S")
        yield line([*(values[f] for f in EXPORTED_FIELDS), local])


def json_chunks(
    span: ChainSpan, entries: QuerySet[AuditEntry], *, selection: Selection, batch_size: int = 5000
) -> Iterator[str]:
    """One JSON object ``{"chain": {...}, "entries": [...]}``, one entry per line."""
    chain = {
        "genesis": GENESIS,
        "algorithm": ALGORITHM,
        "algorithm_zh": ALGORITHM_ZH,
        "hashed_fields": list(HASHED_FIELDS),
        "first_seq": span.first_seq,
        "last_seq": span.last_seq,
        "count": span.count,
        "contiguous": span.contiguous,
        "first_prev_hash": span.first_prev_hash,
        "last_hash": span.last_hash,
        "head_seq": span.head_seq,
        "head_hash": span.head_hash,
        "exported_at": clock.now().isoformat(),
        "selection": {
            "since": selection.since.isoformat() if selection.since else None,
            "until": selection.until.isoformat() if selection.until else None,
            "subject_code": selection.subject_code or None,
        },
    }
    yield '{"chain": ' + json.dumps(chain, ensure_ascii=False) + ',\n"entries": ['
    separator = "\n"
    for entry in entries_by_seq(entries, batch_size=batch_size):
        values: dict[str, Any] = exported_values(entry)
        values["seq"] = entry.seq  # a number in JSON; hashed as its decimal digits
        yield separator + json.dumps(values, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def write_csv(out: TextSink, selection: Selection, *, batch_size: int = 5000) -> ChainSpan:
    span, entries = span_of(selection)
    for chunk in csv_chunks(entries, batch_size=batch_size):
        out.write(chunk)
    return span


def write_json(out: TextSink, selection: Selection, *, batch_size: int = 5000) -> ChainSpan:
    span, entries = span_of(selection)
    for chunk in json_chunks(span, entries, selection=selection, batch_size=batch_size):
        out.write(chunk)
    return span


def open_export(
    selection: Selection, fmt: str, *, actor: Actor, detail: dict[str, Any]
) -> tuple[ChainSpan, Iterator[str]]:
    """Snapshot the span, put the export itself on the trail, and return the text chunks to send.

    Handing the trail out is a read of non-public data: it is recorded before any of it leaves, so an
    export that fails half-way is on the trail too, and the entry names the span.
    """
    span, entries = span_of(selection)
    record(
        actor=actor,
        action="audit.export",
        subject_code=selection.subject_code,
        purpose="监管导出",
        result={"count": span.count, "first_seq": span.first_seq, "last_seq": span.last_seq},
        detail={"format": fmt, **detail},
    )
    chunks = csv_chunks(entries) if fmt == "csv" else json_chunks(span, entries, selection=selection)
    return span, chunks
