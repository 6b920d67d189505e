"""The column-wise validator answers every row exactly as the row validator does, and takes the
common rows itself (the hot path of every import and API call)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.collection import columns
from xinyong.collection.columns import validate_rows
from xinyong.collection.validation import IntakeContext, ValidRow, validate_row
from xinyong.core import clock
from xinyong.demo.synthetic import DEPARTMENTS, penalty_rows

pytestmark = pytest.mark.django_db

Row = dict[str, Any]


def context(*, json_values: bool = False, domains: tuple[int, ...] = (25,)) -> IntakeContext:
    authority = DEPARTMENTS[25]
    provider = Provider(code=authority.uscc, name=authority.name, active=True)
    granted = [Domain.objects.get(number=n) for n in domains]
    kind = RecordKind.objects.get(code="penalty")
    return IntakeContext.build(provider, kind, granted, clock.today(), json_values=json_values)


def _set(header: str, value: Any) -> Callable[[Row], None]:
    def change(row: Row) -> None:
        row[header] = value

    return change


#: One problem (or harmless oddity) per entry, each a thing departments really send.
MUTATIONS: list[Callable[[Row], None]] = [
    _set("行政处罚决定书文号", ""),
    _set("处罚决定日期", "2026-02-30"),
    _set("处罚决定日期", "2026年3月4日"),
    _set("处罚决定日期", "2099-01-01"),
    _set("处罚类别", "罚金"),
    _set("处罚类别", "罚款；警告"),
    _set("处罚类别", ";"),
    _set("统一社会信用代码", "91350200MA2XXXXXX1"),
    _set("统一社会信用代码", " 91350200ma2y0yq02h "),
    _set("统一社会信用代码", "00000000000000000X"),
    _set("处罚机关统一社会信用代码", "123"),
    _set("罚款金额(万元)", "1.234567"),
    _set("罚款金额(万元)", "-3"),
    _set("罚款金额(万元)", "1,200"),
    _set("违法事实", "甲" * 5000),
    _set("违法事实", "含控制字符\x01"),
    _set("违法事实", "含制表符\t"),
    _set("违法事实", "\ud800"),
    _set("行政相对人类别", "自然人"),
    _set("行政相对人类别", "外星人"),
    _set("法定代表人", ""),
    _set("处罚内容", "  前后空格  "),
]


def mutated(rows: list[Row], seed: int) -> list[Row]:
    rng = random.Random(seed)
    out = []
    for row in rows:
        row = dict(row)
        if rng.random() < 0.5:
            rng.choice(MUTATIONS)(row)
        out.append(row)
    return out


def synthetic(n: int, seed: int) -> list[Row]:
    return [dict(r) for r in penalty_rows(n, seed=seed)]


def assert_same(ctx: IntakeContext, rows: list[Row]) -> list[ValidRow | Any]:
    expected = [validate_row(ctx, row) for row in rows]
    assert validate_rows(ctx, rows) == expected
    return expected


def test_it_accepts_clean_rows_itself_with_the_row_validators_result() -> None:
    ctx = context()
    rows = synthetic(300, seed=7)
    expected = assert_same(ctx, rows)
    accepted = columns._accept(ctx, rows)
    assert all(isinstance(r, ValidRow) for r in expected)
    assert accepted == expected  # every clean row took the column path


def test_it_answers_problem_rows_exactly_as_the_row_validator() -> None:
    ctx = context()
    for seed in range(4):
        expected = assert_same(ctx, mutated(synthetic(200, seed=seed), seed))
        assert any(isinstance(r, list) and r for r in expected)
        assert any(isinstance(r, ValidRow) for r in expected)


@pytest.mark.parametrize(
    "extra",
    [
        {"备注二": "多余的列"},
        {"备注二": ""},
        {"宗教信仰": ""},
        {"收入": "5000"},
        {"序号": "17"},
        {"领域": "25"},
        {"领域": "13"},
        {"领域": ""},
    ],
)
def test_it_answers_extra_columns_as_the_row_validator(extra: Row) -> None:
    rows = [row | extra for row in mutated(synthetic(60, seed=3), 3)]
    assert_same(context(), rows)
    assert_same(context(domains=(25, 13)), rows)


def test_it_answers_json_values_and_mixed_headers_as_the_row_validator() -> None:
    ctx = context(json_values=True)
    rows = synthetic(80, seed=11)
    rows[3]["罚款金额(万元)"] = 1.5
    rows[4]["罚款金额(万元)"] = 2
    rows[5]["违法事实"] = 17
    rows[6]["违法事实"] = None
    rows[7]["处罚内容"] = ["数组"]
    rows[8] = {k: v for k, v in rows[8].items() if k != "法定代表人"}
    rows[9] = dict(reversed(list(rows[9].items())))
    rows[10] = {}
    assert_same(ctx, rows)


def test_it_reads_spreadsheet_values_as_the_row_validator() -> None:
    rows: list[Row] = synthetic(40, seed=5)
    rows[0]["处罚决定日期"] = dt.datetime(2026, 3, 4)
    rows[1]["罚款金额(万元)"] = 3.0
    rows[2]["备注"] = None
    assert_same(context(), rows)
