"""core.spreadsheet: the one rule every CSV and XLSX writer of the platform applies to its cells."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from xinyong.core.spreadsheet import csv_cell, csv_row, csv_writer, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点此")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "＝1+1",
    "'already quoted",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_puts_one_apostrophe_before_a_csv_cell_that_could_start_a_formula(value: str) -> None:
    assert csv_cell(value) == "'" + value
    assert csv_cell(value).removeprefix("'") == value, "the rule is undone by dropping one apostrophe"


def test_it_leaves_ordinary_text_numbers_and_empty_cells_alone() -> None:
    assert csv_row(["厦门鹭江贸易有限公司", "a=b", -5, 2.5, None, ""]) == [
        "厦门鹭江贸易有限公司",
        "a=b",
        "-5",
        "2.5",
        "",
        "",
    ]


def test_it_quotes_every_csv_cell_and_writes_a_lone_surrogate_as_a_replacement_character() -> None:
    out = io.StringIO()
    csv_writer(out).writerow(csv_row(["a;=1+1", "坏\ud800字"]))

    assert out.getvalue() == '"a;=1+1","坏\ufffd字"\r\n'
    out.getvalue().encode("utf-8")


def test_it_writes_xlsx_text_as_typed_text_and_control_characters_as_pictures(tmp_path: Path) -> None:
    with (tmp_path / "x.xlsx").open("wb") as handle:
        write_xlsx(handle, "x", [[*HOSTILE, "含\x01\x00\x1f控制", "坏\ud800字", 7]])

    cells = next(openpyxl.load_workbook(tmp_path / "x.xlsx").active.iter_rows())
    assert all(c.data_type == "s" for c in cells[: len(HOSTILE)])
    assert cells[0].value == HOSTILE[0] and cells[0].quotePrefix
    assert [c.value for c in cells[len(HOSTILE) :]] == ["含\u2401\u2400\u241f控制", "坏\ufffd字", 7]


def test_every_csv_and_xlsx_writer_goes_through_this_module() -> None:
    """A new export (a list, batch-check results) must use core.spreadsheet, not csv.writer or an
    openpyxl Workbook of its own. The synthetic city writes the files the platform imports, values
    verbatim, so it is the one exception."""
    package = Path(__file__).resolve().parents[2]
    allowed = {package / "core" / "spreadsheet.py", package / "demo" / "synthetic.py"}
    writer = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(|\bWorkbook\(")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path not in allowed and "tests" not in path.parts and writer.search(path.read_text("utf-8"))
    ]
    assert offenders == []
