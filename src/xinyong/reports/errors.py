"""Error codes of credit reports. Documented in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

INVALID_YEARS = register(
    "report.invalid_years",
    400,
    "查询年限应为 {choices} 年之一。",
    "The period must be one of {choices} years.",
)
INVALID_EDITION = register(
    "report.invalid_edition",
    400,
    "报告版本应为 special（专项信用报告）、financial（金融专用版）或 full（公共信用信息报告）。",
    "The edition must be special, financial or full.",
)
NOT_ON_FINANCIAL_LIST = register(
    "report.not_on_financial_list",
    403,
    "金融专用版仅限列入市金融工作部门企业名单库的企业申请。",
    "The financial edition is only for companies on the financial bureau's list.",
)
NOT_READY = register(
    "report.not_ready",
    409,
    "报告尚待相关部门确认，确认完成后方可下载。",
    "The report awaits the departments' confirmation and cannot be downloaded yet.",
)
PURGED = register(
    "report.purged",
    410,
    "报告文件已超过保存期限并已删除，报告信息仍可核验。",
    "The report file is past its retention period and was deleted; the report can still be verified.",
)
ALREADY_ANSWERED = register(
    "report.confirmation_answered",
    409,
    "本单位已答复该报告的确认请求。",
    "Your department has already answered this confirmation.",
)
INSTRUCTIONS_REQUIRED = register(
    "report.instructions_required",
    400,
    "请填写到本单位办理的指引（地址、窗口或网址）。",
    "Say where and how the subject obtains the proof from your department.",
)
INSTRUCTIONS_TOO_LONG = register(
    "report.instructions_too_long",
    400,
    "办理指引不能超过 {limit} 字。",
    "The instructions can be at most {limit} characters.",
)
NOT_A_PDF = register(
    "report.file_invalid",
    400,
    "请上传本平台出具的报告 PDF 文件（不超过 {mb} MB）。",
    "Upload a report PDF issued by this platform (at most {mb} MB).",
)
CONFIRMATION_OVERDUE = register(
    "report.confirmation_overdue",
    409,
    "确认期限（{due}）已过：本单位部分在报告中载明“逾期未确认，请到本单位办理”。",
    "The confirmation deadline ({due}) has passed: the report tells the subject to apply to your department.",
)
FINANCIAL_LIST_CODE = register(
    "report.financial_list_code",
    400,
    "统一社会信用代码无效：{problem}",
    "The unified social credit code is invalid: {problem}",
)
FINANCIAL_LIST_NAME = register(
    "report.financial_list_name",
    400,
    "请填写企业名称（不超过 {limit} 字）；列入事由不超过 {reason_limit} 字。",
    "Give the company's name (at most {limit} characters); the reason at most {reason_limit}.",
)
