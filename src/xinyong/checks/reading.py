"""Reading a batch-check file: the codes to check, and the rows refused with row-level errors.

The file goes through intake's readers (``collection.readers``: CSV in UTF-8 or GB18030, XLSX, JSON
Lines; streaming; the size, column and XLSX-bomb limits), so a unit meets the same refusals as a
provider importing records. A row whose code is missing or invalid, or repeats an earlier row, is
refused with its row number and a stable code; the other rows are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from xinyong.checks import errors
from xinyong.collection import errors as file_errors
from xinyong.collection import readers
from xinyong.core.errors import ErrorCode, PlatformError
from xinyong.measures.evaluation import is_person_code
from xinyong.subjects.codes import normalise, uscc_problem

CODE_COLUMNS = ("统一社会信用代码", "证件号码", "主体代码", "代码", "身份证号码", "居民身份证号码")
NAME_COLUMNS = ("名称", "主体名称", "企业名称", "单位名称", "姓名")


@dataclass
class ReadFile:
    subjects: list[tuple[int, str, str]] = field(default_factory=list)  # (row, code, name as given)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, row: int, column: str, error: ErrorCode, value: str = "", **params: object) -> None:
        self.rejected.append(
            {
                "row": row,
                "field": column,
                "code": error.code,
                "message": error.format(**params),
                "value": value[:60],
            }
        )


def _column(header: list[str], names: tuple[str, ...]) -> str:
    return next((h for h in header if h.strip() in names), "")


def read_codes(path: Path, filename: str) -> ReadFile:
    file_format = readers.detect_format(filename)
    size, limit = path.stat().st_size, settings.XINYONG_MAX_UPLOAD_BYTES
    if size > limit:
        raise PlatformError(file_errors.FILE_TOO_LARGE, size=size, limit=limit)
    header = readers.headers(path, file_format)
    if not header:  # a header and no row, or nothing at all
        raise PlatformError(errors.NO_CODES, field="file", count=0)
    code_column, name_column = _column(header, CODE_COLUMNS), _column(header, NAME_COLUMNS)
    if not code_column:
        raise PlatformError(errors.NO_CODE_COLUMN, field="file")
    result, first_row = ReadFile(), dict[str, int]()
    most = settings.XINYONG_MAX_BATCH_CHECK_CODES
    rows = 0
    for number, row in readers.read_rows(path, file_format):
        rows += 1
        if rows > most:
            raise PlatformError(errors.TOO_MANY_CODES, field="file", limit=most, count=f"{most} 以上")
        if isinstance(row, str):
            result.refuse(number, "", errors.ROW_UNREADABLE, detail=row)
            continue
        raw = "" if row.get(code_column) is None else str(row.get(code_column))
        code = normalise(raw)
        name = "" if row.get(name_column) is None else str(row.get(name_column, ""))[:200]
        if not code:
            result.refuse(number, code_column, errors.CODE_MISSING)
        elif uscc_problem(code) is not None and not is_person_code(code):
            result.refuse(number, code_column, errors.CODE_INVALID, raw, code=code[:40])
        elif code in first_row:
            result.refuse(number, code_column, errors.CODE_REPEATED, raw, first=first_row[code])
        else:
            first_row[code] = number
            result.subjects.append((number, code, name))
    return result
