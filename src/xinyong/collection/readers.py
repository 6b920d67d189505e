"""Streaming readers for the file formats departments export: CSV (UTF-8 or GB18030), XLSX, JSON Lines.

Each yields ``(row_number, mapping)`` one row at a time; a whole file is never held in memory. Row
numbers count data rows from 1, which is what a person sees below the header in a spreadsheet.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings

from xinyong.collection import errors
from xinyong.core.errors import PlatformError

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_SNIFF_BYTES = 1 << 16
_RATIO_CHECKED_FROM = 1 << 20  # bytes unpacked

Row = dict[str, Any] | str  # a mapping, or the reason the line is not one


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in FORMATS:
        raise PlatformError(errors.FILE_FORMAT, suffix=suffix or filename)
    return FORMATS[suffix]


def _text_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        # A cut multi-byte character at the end of the sniffed block is not an error.
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return "gb18030"
    return "utf-8-sig"


def _open_text(path: Path) -> TextIO:
    # Bytes the sniffed encoding cannot decode further on become lone surrogates (surrogateescape),
    # which the validator refuses row by row (field.invalid_text) instead of failing the whole file.
    return path.open(encoding=_text_encoding(path), errors="surrogateescape", newline="")


def check_columns(header: Sequence[str]) -> None:
    """Refuse a file whose header is too wide or names one column twice, before any row is read."""
    limit = settings.XINYONG_MAX_COLUMNS
    if len(header) > limit:
        raise PlatformError(errors.TOO_MANY_COLUMNS, limit=limit, count=len(header))
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise PlatformError(errors.DUPLICATE_COLUMN, field=name, name=name, columns=f"{name}、{name}")
        seen.add(name)


def _trimmed(header: Sequence[Any]) -> list[str]:
    names = ["" if h is None else str(h) for h in header]
    while names and not names[-1].strip():
        names.pop()
    return names


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        header = _trimmed(next(reader, []))
        if not any(h.strip() for h in header):
            raise PlatformError(errors.FILE_NO_HEADER)
        check_columns(header)
        width = len(header)
        number = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The parser's field limit (csv.field_size_limit) or a malformed line: this record
                # only; the reader resumes at the next line.
                yield number, f"第{number}行无法解析（{exc}）"
                continue
            if not any(values):
                continue
            if len(values) > width and any(values[width:]):
                yield number, f"第{number}行有 {len(values)} 列，表头只有 {width} 列"
                continue
            yield number, dict(zip(header, values, strict=False))


def check_workbook(path: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks anything: the sizes a zip member declares bound what
    reading it yields (zipfile stops there), so they can be trusted for this check."""
    total_limit = settings.XINYONG_XLSX_MAX_UNPACKED_BYTES
    ratio_limit = settings.XINYONG_XLSX_MAX_RATIO
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise PlatformError(errors.FILE_UNREADABLE, detail=f"不是有效的 XLSX 工作簿（{exc}）") from None
    total = 0
    for member in members:
        total += member.file_size
        # Small members (styles, relationships) legitimately compress far; only large ones matter.
        if member.file_size > _RATIO_CHECKED_FROM and member.file_size > ratio_limit * member.compress_size:
            ratio = member.file_size // max(member.compress_size, 1)
            raise PlatformError(
                errors.XLSX_TOO_LARGE, detail=f"{member.filename} 压缩比 {ratio}:1，上限 {ratio_limit}:1"
            )
    if total > total_limit:
        raise PlatformError(errors.XLSX_TOO_LARGE, detail=f"解压后 {total} 字节，上限 {total_limit} 字节")


def _open_workbook(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlatformError(errors.FILE_UNREADABLE, detail=f"不是有效的 XLSX 工作簿（{exc}）") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, Row]]:
    book = _open_workbook(path)
    try:
        sheet = book.worksheets[0]
        header_cells = next(sheet.iter_rows(max_row=1, values_only=True), None)
        header = _trimmed(header_cells or [])
        if not any(header):
            raise PlatformError(errors.FILE_NO_HEADER)
        check_columns(header)
        # Cells right of the header are not read: a sheet whose declared size is XFD1048576 does not
        # make every row 16,384 cells wide.
        rows = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
        for number, values in enumerate(rows, start=1):
            if not any(v not in (None, "") for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}
    finally:
        book.close()


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    limit = settings.XINYONG_MAX_COLUMNS
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"JSON 解析失败：{exc.msg}（第{exc.colno}列）"
                continue
            if not isinstance(value, dict):
                yield number, "每行应为一个 JSON 对象"
            elif len(value) > limit:
                yield number, f"有 {len(value)} 个字段，每条记录最多 {limit} 个"
            else:
                yield number, value


def read_rows(path: Path, file_format: str) -> Iterator[tuple[int, Row]]:
    readers = {"csv": _csv_rows, "xlsx": _xlsx_rows, "jsonl": _jsonl_rows}
    try:
        yield from readers[file_format](path)
    except csv.Error as exc:
        raise PlatformError(errors.FILE_UNREADABLE, detail=str(exc)) from None


def headers(path: Path, file_format: str) -> list[str]:
    """The column names of the file (for CSV/XLSX) or of its first record (JSON Lines)."""
    for _, row in read_rows(path, file_format):
        if isinstance(row, dict):
            return list(row)
    return []


def estimate_rows(path: Path, file_format: str) -> int | None:
    """A quick row count for the progress bar (lines for text formats, the sheet's dimension for XLSX)."""
    if file_format == "xlsx":
        book = _open_workbook(path)
        try:
            max_row = book.worksheets[0].max_row
        finally:
            book.close()
        return max(0, max_row - 1) if max_row else None
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(0, count - 1) if file_format == "csv" else count


def sha256_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
