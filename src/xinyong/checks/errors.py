"""Error codes of batch checks (信用互查), listed in docs/error-codes.md. File-level refusals reuse
intake's (``file.*``): a batch-check file is read by the same readers, under the same limits."""

from __future__ import annotations

from xinyong.core.errors import register

NO_CODE_COLUMN = register(
    "checks.no_code_column",
    400,
    "文件须有“统一社会信用代码”或“证件号码”列（可另有“名称”列）。",
    "The file needs a column 统一社会信用代码 or 证件号码 (and may have 名称).",
)
TOO_MANY_CODES = register(
    "checks.too_many_codes",
    413,
    "一次最多核查 {limit} 个主体，本文件有 {count} 行，请拆分后上传。",
    "At most {limit} subjects a batch; the file has {count} rows. Split it.",
)
NO_CODES = register(
    "checks.no_codes",
    400,
    "文件中没有可核查的有效代码（{count} 行均被退回）。",
    "The file has no valid code to check ({count} rows refused).",
)
CODE_INVALID = register(
    "checks.code_invalid",
    400,
    "“{code}”不是有效的统一社会信用代码或居民身份证号码。",
    "{code!r} is neither a valid USCC nor a valid resident ID number.",
)
CODE_MISSING = register("checks.code_missing", 400, "本行没有填写代码。", "This row has no code.")
CODE_REPEATED = register(
    "checks.code_repeated",
    400,
    "代码与第 {first} 行重复，已按第 {first} 行核查。",
    "Same code as row {first}.",
)
ROW_UNREADABLE = register(
    "checks.row_unreadable", 400, "本行无法读取：{detail}", "The row cannot be read: {detail}"
)
NOT_READY = register(
    "checks.not_ready",
    409,
    "批量核查尚未完成（{state}），请稍后再下载。",
    "The batch check is not finished ({state}).",
)
ASSIST_WRONG_DEPARTMENT = register(
    "checks.assist_wrong_department",
    403,
    "“{provider}”不是{domain}的信息提供部门，不能办理该协查。",
    "{provider} is not a department reporting in {domain}.",
)
ASSIST_FINDING_INVALID = register(
    "checks.assist_finding_invalid",
    400,
    "第 {number} 行“{line}”应为“主体代码,核查情况”，且代码须为本次协查的主体。",
    "Each line is 'code,finding' for a subject of this request.",
)
