"""Streaming readers for the file formats departments export: CSV (UTF-8 or GB18030), XLSX, JSON Lines.

Each yields ``(row_number, mapping)`` one row at a time; a whole file is never held in memory. Row
numbers count data rows from 1, which is what a person sees below the header in a spreadsheet.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xinyong.collection import errors
from xinyong.core.errors import PlatformError

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_SNIFF_BYTES = 1 << 16

Row = dict[str, Any] | str  # a mapping, or the reason the line is not one


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in FORMATS:
        raise PlatformError(errors.FILE_FORMAT, suffix=suffix or filename)
    return FORMATS[suffix]


def _text_encoding(path: Path) -> str:
    head = path.open("rb").read(_SNIFF_BYTES)
    try:
        # A cut multi-byte character at the end of the sniffed block is not an error.
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(encoding=_text_encoding(path), newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise PlatformError(errors.FILE_NO_HEADER)
        width = len(header)
        for number, values in enumerate(reader, start=1):
            if not any(values):
                continue
            if len(values) > width:
                yield number, f"第{number}行有 {len(values)} 列，表头只有 {width} 列"
                continue
            yield number, dict(zip(header, values, strict=False))


def _open_workbook(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlatformError(errors.FILE_UNREADABLE, detail=f"不是有效的 XLSX 工作簿（{exc}）") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, Row]]:
    book = _open_workbook(path)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header_cells = next(rows, None)
        if not header_cells or not any(header_cells):
            raise PlatformError(errors.FILE_NO_HEADER)
        header = ["" if h is None else str(h) for h in header_cells]
        for number, values in enumerate(rows, start=1):
            if not any(v not in (None, "") for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}
    finally:
        book.close()


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"JSON 解析失败：{exc.msg}（第{exc.colno}列）"
                continue
            yield number, value if isinstance(value, dict) else "每行应为一个 JSON 对象"


def read_rows(path: Path, file_format: str) -> Iterator[tuple[int, Row]]:
    readers = {"csv": _csv_rows, "xlsx": _xlsx_rows, "jsonl": _jsonl_rows}
    try:
        yield from readers[file_format](path)
    except UnicodeDecodeError as exc:
        raise PlatformError(errors.FILE_UNREADABLE, detail=f"文件编码无法识别（{exc.reason}）") from None
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
