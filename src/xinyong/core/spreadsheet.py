"""Cells of every CSV and XLSX file the platform writes: text stays text (docs/security.md).

Exports carry text that came from outside: rows a department submitted, a purpose a querier typed.
A spreadsheet must show such text, never run it. Two rules, one per format:

CSV (what OWASP recommends against CSV injection): every cell is quoted, and a text cell that starts
with ``=`` ``+`` ``-`` ``@``, a tab, a carriage return or a line feed (or the full-width ``＝＋－＠``,
which spreadsheets in Chinese locales also read as a formula) gets one apostrophe in front. A cell
that already starts with an apostrophe gets one too, so the rule can be undone exactly: drop the
first character of every cell that starts with an apostrophe (the audit export's proof relies on it).

XLSX: text is written as a typed string cell, never a formula, with Excel's "quote prefix" style when
it looks like one, so that editing the cell keeps it text. XML cannot hold the control characters
U+0000–U+001F other than tab, line feed and carriage return (openpyxl refuses them), so each is
shown as its Unicode control picture (U+0001 as ␁, U+2401); a lone surrogate, which no UTF-8 file can
hold, becomes U+FFFD (�) in both formats.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_QUOTE = "'"
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ud800-\udfff]|[\ufffe\uffff]")


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)  # numbers and dates cannot start a formula
    if value and (value[0] in FORMULA_STARTS or value[0] == _QUOTE):
        value = _QUOTE + value
    return _SURROGATE.sub("\ufffd", value)


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(v) for v in values]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_writer(handle: _Writable) -> Any:
    """A writer that quotes every cell, so no separator inside a value can start a new cell in a
    spreadsheet that splits on ``;`` or a tab. Give it rows made by ``csv_row``."""
    return csv.writer(handle, quoting=csv.QUOTE_ALL)


def _xml_safe(match: re.Match[str]) -> str:
    char = match.group()
    return chr(0x2400 + ord(char)) if char < "\x20" else "\ufffd"


def write_xlsx(handle: Any, title: str, rows: Iterable[Iterable[object]]) -> None:
    """One sheet named ``title`` streamed into ``handle`` (a binary file), row by row."""
    write_xlsx_sheets(handle, [(title, rows)])


def write_xlsx_sheets(handle: Any, sheets: Iterable[tuple[str, Iterable[Iterable[object]]]]) -> None:
    """Several sheets, each ``(title, rows)``, streamed into ``handle`` in order."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
    book.save(handle)


def xlsx_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """``values`` as cells of a write-only ``sheet``, ready for ``sheet.append``."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[object] = []
    for value in values:
        if not isinstance(value, str):
            cells.append(value)
            continue
        text = _XML_ILLEGAL.sub(_xml_safe, value)
        if text and text[0] in FORMULA_STARTS:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(text)
    return cells
