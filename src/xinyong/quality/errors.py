"""Error codes of data quality (数据质量). Documented in docs/error-codes.md; never renamed or reused."""

from __future__ import annotations

from xinyong.core.errors import register

MONTH_INVALID = register(
    "quality.month_invalid",
    400,
    "月份“{value}”格式不正确，应为 YYYY-MM，例如 2026-11。",
    "Month {value!r} is malformed; write YYYY-MM, e.g. 2026-11.",
)
MONTH_IN_FUTURE = register(
    "quality.month_in_future",
    400,
    "{month} 尚未开始，不能申报。",
    "{month} has not begun; it cannot be declared.",
)
KIND_NOT_GRANTED = register(
    "quality.kind_not_granted",
    400,
    "本单位无权报送信息事项“{kind}”，不能申报其数量。",
    "This provider does not report record kind {kind!r}, so it cannot declare a total for it.",
)
KIND_REPEATED = register(
    "quality.kind_repeated",
    400,
    "信息事项“{kind}”在本次申报中出现了不止一次。",
    "Record kind {kind!r} appears more than once in this declaration.",
)
COUNT_INVALID = register(
    "quality.count_invalid",
    400,
    "申报数须为 0 至 {limit} 之间的整数。",
    "A declared total is a whole number from 0 to {limit}.",
)
