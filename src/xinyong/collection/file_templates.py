"""The XLSX template a department fills in for one record kind (报送模板): the header row its import
reads, and a sheet of notes on every field (type, required, length, allowed values, other accepted
headers), written from the kind's schema in the catalogue so it can never disagree with validation."""

from __future__ import annotations

from typing import Any

from xinyong.catalog.models import RecordKind
from xinyong.catalog.reference import codelists
from xinyong.core import spreadsheet

TYPE_NAMES = {"text": "文本", "date": "日期（YYYY-MM-DD）", "choice": "代码表取值", "multichoice": "代码表取值，可多个",
              "uscc": "统一社会信用代码（18位）", "decimal": "数字"}  # fmt: skip
NOTE_COLUMNS = ["字段名称", "字段代码", "类型", "必填", "最大长度", "可选值", "也接受的表头"]


def notes(kind: RecordKind) -> list[list[Any]]:
    """One line per field, in the schema's (双公示) order."""
    lists = codelists()
    lines: list[list[Any]] = []
    for field in kind.fields:
        codelist = lists.get(field.get("codelist") or "")
        lines.append([
            field["name"], field["code"], TYPE_NAMES.get(field.get("type", "text"), field.get("type", "")),
            "是" if field.get("required") else "", field.get("max_length") or "",
            "、".join(codelist.values) if codelist else "", "、".join(field.get("aliases") or []),
        ])  # fmt: skip
    return lines


def write_template(handle: Any, kind: RecordKind) -> None:
    """Two sheets into ``handle`` (a binary file): 数据 (the header row, Chinese names) and 字段说明."""
    header = [f["name"] for f in kind.fields]
    spreadsheet.write_xlsx_sheets(
        handle, [(kind.name[:31], [header]), ("字段说明", [NOTE_COLUMNS, *notes(kind)])]
    )
