"""Error codes of collection (归集). Documented in docs/error-codes.md; never renamed or reused."""

from __future__ import annotations

from xinyong.core.errors import register

# Whole-call or whole-file refusals: nothing is written.
TOO_MANY_RECORDS = register(
    "intake.too_many_records",
    413,
    "每次最多提交 {limit} 条记录，本次 {count} 条。",
    "At most {limit} records per call; this call has {count}.",
)
EMPTY = register("intake.empty", 400, "没有可导入的记录。", "There are no records to import.")
KIND_UNKNOWN = register(
    "intake.kind_unknown",
    400,
    "信息事项“{kind}”不在目录中或未生效。",
    "Record kind {kind!r} is not in the catalogue or not in force.",
)
KIND_UNDETECTED = register(
    "intake.kind_undetected",
    400,
    "无法从表头判断信息事项，请指定信息事项。",
    "The record kind cannot be told from the header; name it.",
)
KIND_NOT_GRANTED = register(
    "intake.kind_not_granted",
    403,
    "本单位无权报送“{kind}”信息。",
    "This provider may not report {kind!r} records.",
)
PROVIDER_INACTIVE = register(
    "intake.provider_inactive", 403, "信息提供单位已停用。", "The provider is deactivated."
)
PROVIDER_UNKNOWN = register(
    "intake.provider_unknown", 404, "信息提供单位“{code}”不存在。", "No provider with code {code!r}."
)
FILE_FORMAT = register(
    "file.unsupported_format",
    400,
    "不支持的文件格式“{suffix}”，请上传 CSV、XLSX 或 JSON Lines 文件。",
    "Unsupported file type {suffix!r}; upload CSV, XLSX or JSON Lines.",
)
FILE_UNREADABLE = register(
    "file.unreadable", 400, "文件无法读取：{detail}", "The file cannot be read: {detail}"
)
FILE_NO_HEADER = register("file.no_header", 400, "文件没有表头行。", "The file has no header row.")
TOO_MANY_COLUMNS = register(
    "intake.too_many_columns",
    413,
    "每条记录最多 {limit} 个字段（列），本次有 {count} 个，已整体拒收。",
    "At most {limit} fields (columns) per record; this has {count}, so all of it is refused.",
)
FILE_TOO_LARGE = register(
    "file.too_large",
    413,
    "文件大小 {size} 字节，超过上限 {limit} 字节，请拆分后上传。",
    "The file has {size} bytes, more than the {limit} allowed; split it.",
)
XLSX_TOO_LARGE = register(
    "file.xlsx_too_large",
    413,
    "XLSX 工作簿解压后过大或压缩比异常（{detail}），已拒收；请另存为 CSV 或拆分后上传。",
    "The XLSX workbook unpacks too large or compresses suspiciously well ({detail}); save it as CSV or split it.",
)
DUPLICATE_COLUMN = register(
    "field.duplicate",
    400,
    "“{name}”出现在多个列中（{columns}），每个字段只能提交一列。",
    "{name!r} is given in several columns ({columns}); send each field once.",
)
BATCH_BUSY = register(
    "batch.busy",
    409,
    "该文件正在导入中（批次 {batch}），请稍后再试。",
    "This file is being imported (batch {batch}); try later.",
)

# Row-level rejections: the row is not stored; the others go on.
ROW_NOT_OBJECT = register(
    "row.invalid", 400, "该行不是有效的记录：{detail}", "The row is not a valid record: {detail}"
)
FIELD_UNKNOWN = register(
    "field.unknown",
    400,
    "字段“{field}”不在该信息事项的目录中。",
    "Field {field!r} is not in this record kind's catalogue entry.",
)
FIELD_FORBIDDEN = register(
    "field.forbidden",
    400,
    "“{field}”属于禁止归集的信息，不得报送。",
    "{field!r} is information the platform must never collect.",
)
FIELD_CONSENT_REQUIRED = register(
    "field.consent_required",
    400,
    "自然人的“{field}”须经本人书面同意方可归集，不得通过报送接口提交。",
    "A natural person's {field!r} needs written consent and cannot be submitted here.",
)
FIELD_REQUIRED = register(
    "field.required", 400, "必填字段“{name}”为空。", "Required field {name!r} is empty."
)
FIELD_TOO_LONG = register(
    "field.too_long", 400, "“{name}”超过 {limit} 个字符。", "{name!r} is longer than {limit} characters."
)
FIELD_DATE = register(
    "field.invalid_date", 400, "“{name}”不是有效日期：{value}。", "{name!r} is not a valid date: {value}."
)
FIELD_FUTURE_DATE = register(
    "field.future_date", 400, "“{name}”{value} 晚于今天。", "{name!r} {value} is in the future."
)
FIELD_DECIMAL = register(
    "field.invalid_number",
    400,
    "“{name}”应为不小于0的数字：{value}。",
    "{name!r} must be a non-negative number: {value}.",
)
FIELD_CODELIST = register(
    "field.codelist",
    400,
    "“{name}”的值“{value}”不在代码表“{codelist}”中。",
    "{name!r} value {value!r} is not in code list {codelist!r}.",
)
AUTHORITY_CODE = register(
    "code.authority_uscc",
    400,
    "“{name}”不是有效的统一社会信用代码：{value}。",
    "{name!r} is not a valid USCC: {value}.",
)
USCC_FORMAT = register(
    "code.uscc_format",
    400,
    "统一社会信用代码格式错误（应为18位，不含I、O、S、V、Z）：{value}。",
    "The USCC is malformed (18 characters, no I O S V Z): {value}.",
)
RESIDENT_ID_FORMAT = register(
    "code.resident_id_format",
    400,
    "居民身份证号码格式错误（应为18位）。",
    "The resident ID number is malformed (18 characters).",
)
USCC_REQUIRED = register(
    "subject.uscc_required",
    400,
    "法人及非法人组织、个体工商户须填写统一社会信用代码。",
    "Organisations and individual businesses need a USCC.",
)
LEGAL_REP_REQUIRED = register(
    "subject.legal_representative_required",
    400,
    "法人及非法人组织须填写法定代表人。",
    "Organisations need a legal representative.",
)
REGISTRATION_NO_REQUIRED = register(
    "subject.registration_no_required",
    400,
    "统一社会信用代码为 00000000000000000X 时须填写工商注册号。",
    "With the USCC 00000000000000000X the business registration number is required.",
)
PLACEHOLDER_NOT_ALLOWED = register(
    "subject.placeholder_not_allowed",
    400,
    "只有个体工商户可以使用 00000000000000000X。",
    "Only individual businesses may use 00000000000000000X.",
)
ID_REQUIRED = register(
    "subject.id_required",
    400,
    "自然人须填写证件类型和证件号码。",
    "Natural persons need an ID type and number.",
)
SIMPLIFIED_PROCEDURE_PERSON = register(
    "penalty.simplified_procedure_person",
    400,
    "对自然人适用简易程序作出的行政处罚不予归集。",
    "Penalties on natural persons under the simplified procedure are not collected.",
)
DOMAIN_REQUIRED = register(
    "domain.required",
    400,
    "本单位可在多个领域报送该信息，请填写“领域”（{choices}）。",
    "This provider reports this kind in several domains; give the domain ({choices}).",
)
DOMAIN_NOT_GRANTED = register(
    "domain.not_granted",
    400,
    "本单位无权在领域“{value}”报送该信息。",
    "This provider may not report this kind in domain {value!r}.",
)
ROW_TOO_MANY_ERRORS = register(
    "row.too_many_errors",
    400,
    "该行另有 {more} 个错误未列出（每行最多列出 {limit} 个）。",
    "This row has {more} more errors not listed (at most {limit} are listed per row).",
)
FIELD_INVALID_TEXT = register(
    "field.invalid_text",
    400,
    "“{field}”含有无法识别的字符（文件编码错误或孤立的 UTF-16 代理项），请检查后重新报送。",
    "{field!r} holds characters that are not text (bad bytes for the file's encoding, or a lone UTF-16 surrogate).",
)
FIELD_CONTROL_CHARACTER = register(
    "field.control_character",
    400,
    "“{field}”含有控制字符（如 NUL、U+0001；制表符和换行除外），请删除后重新报送。",
    "{field!r} holds a control character (NUL, U+0001 …; tab and line breaks are allowed).",
)
FIELD_NOT_TEXT = register(
    "field.not_text",
    400,
    "“{name}”应为字符串，收到的是 JSON {json_type}。",
    "{name!r} must be a JSON string; got a JSON {json_type}.",
)
FIELD_NUMBER_RANGE = register(
    "field.number_out_of_range",
    400,
    "“{name}”应在 0 至 {maximum} 之间、最多 {places} 位小数：{value}。",
    "{name!r} must be between 0 and {maximum} with at most {places} decimal places: {value}.",
)
