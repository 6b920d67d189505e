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
MONTH_NOT_COMPLETE = register(
    "quality.month_not_complete",
    400,
    "{month} 尚未结束，只能对已结束的月份抽样。",
    "{month} has not ended; only a complete month can be sampled.",
)
SAMPLE_EXISTS = register(
    "quality.sample_exists",
    409,
    "本单位 {month} 已抽样（种子 {seed}，{size} 条），同一月份不重复抽样。",
    "{month} is already sampled for this provider (seed {seed}, {size} records); a month is sampled once.",
)
SAMPLE_SIZE_INVALID = register(
    "quality.sample_size_invalid",
    400,
    "抽样数须为 1 至 {limit} 之间的整数。",
    "The sample size is a whole number from 1 to {limit}.",
)
FIELD_REQUIRED = register(
    "quality.field_required",
    400,
    "核查结论为“有误”时须指明有误的字段。",
    "A record found wrong needs the field that is wrong.",
)
FIELD_UNKNOWN = register(
    "quality.field_unknown",
    400,
    "字段“{name}”不是该信息事项的字段。",
    "{name!r} is not a field of this record kind.",
)
SAMPLE_SEED_INVALID = register(
    "quality.sample_seed_invalid",
    400,
    "随机种子须为非负整数；留空则由平台随机选取。",
    "The seed is a non-negative whole number; leave it empty to let the platform choose one.",
)
INVALID_VERDICT = register(
    "quality.verdict_invalid",
    400,
    "核查结论须为 correct（正确）或 wrong（有误）。",
    "The verdict is correct or wrong.",
)
ISSUE_VERDICT_INVALID = register(
    "quality.issue_verdict_invalid",
    400,
    "研判结论须为 same_subject（同一主体）、different_subjects（不同主体）或 wrong_code（代码错误）。",
    "The verdict is same_subject, different_subjects or wrong_code.",
)
RIGHT_CODE_UNKNOWN = register(
    "quality.right_code_unknown",
    400,
    "正确代码“{code}”不是已登记且通过校验的主体代码，或与错误代码相同。",
    "The right code {code!r} is not a registered, valid subject code, or is the wrong code itself.",
)
WRONG_CODE_FOR_NAMES = register(
    "quality.wrong_code_for_names",
    400,
    "一码多名的记录须由信息提供单位按记录更正重报，平台不能整体改挂；请研判为同一主体或不同主体。",
    "Records of a code used under two names are corrected by their providers record by record; judge same or different subjects.",
)
