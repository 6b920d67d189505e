"""Error codes of the objection workflow (异议); listed in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_ALLOWED = register(
    "objection.not_allowed", 403, "您无权查看或办理该异议。", "You may not see or handle this objection."
)
RECORD_NOT_YOURS = register(
    "objection.record_not_yours",
    403,
    "只能对本主体自己的信用记录提出异议。",
    "A subject may object only to its own records.",
)
RECORD_NOT_VISIBLE = register(
    "objection.record_not_visible",
    409,
    "该记录当前不向本主体展示（已撤销或不存在），不能提出异议。",
    "The record is not shown to the subject (revoked or absent); it cannot be objected to.",
)
ALREADY_OPEN = register(
    "objection.already_open",
    409,
    "该记录已有正在办理的异议（{number}），请等待办结。",
    "The record already has an open objection ({number}).",
)
STATEMENT_REQUIRED = register(
    "objection.statement_required", 400, "请填写异议理由。", "The statement of the objection is empty."
)
GROUNDS_INVALID = register(
    "objection.grounds_invalid", 400, "异议类型“{value}”无效。", "Unknown grounds {value!r}."
)
REASONS_REQUIRED = register(
    "objection.reasons_required", 400, "请填写处理理由。", "Give the reasons for the decision."
)
OUTCOME_NOT_ALLOWED = register(
    "objection.outcome_not_allowed",
    409,
    "当前不能以“{outcome}”办结：{why}",
    "The case cannot be closed as {outcome!r} now: {why}",
)
ANSWER_INVALID = register(
    "objection.answer_invalid", 400, "核查结论“{value}”无效。", "Unknown answer {value!r}."
)
CORRECTION_REJECTED = register(
    "objection.correction_rejected",
    400,
    "更正后的记录未通过校验：{detail}",
    "The corrected record failed validation: {detail}",
)
CORRECTION_KEY_CHANGED = register(
    "objection.correction_key_changed",
    400,
    "更正不能改变记录的决定书文号/许可编号（应为“{key}”）。",
    "A correction cannot change the record's key (must stay {key!r}).",
)
CORRECTION_UNCHANGED = register(
    "objection.correction_unchanged",
    400,
    "更正后的内容与原记录相同；如信息无误，请选择“信息无误”。",
    "The corrected content equals the current version; answer 'confirmed' instead.",
)

# --- objections for an omission (遗漏异议) ---------------------------------------------------------------

OMISSION_PROVIDER_UNKNOWN = register(
    "objection.omission_provider_unknown",
    400,
    "信息提供单位“{value}”不存在，请填写单位全称或统一社会信用代码。",
    "Unknown providing department {value!r} (give its full name or USCC).",
)
OMISSION_KIND_UNKNOWN = register(
    "objection.omission_kind_unknown",
    400,
    "信息事项“{value}”不存在，请填写名称或代码，如“行政许可”或 licence。",
    "Unknown record kind {value!r} (give its Chinese name or its code).",
)
OMISSION_KIND_NOT_REPORTED = register(
    "objection.omission_kind_not_reported",
    400,
    "{provider}不向平台报送“{kind}”信息，请核对单位或信息事项。",
    "The department does not report this record kind to the platform.",
)
OMISSION_NUMBER_REQUIRED = register(
    "objection.omission_number_required",
    400,
    "请填写遗漏记录的决定书文号或许可编号。",
    "The document number of the missing record is empty.",
)
OMISSION_DATE_FUTURE = register(
    "objection.omission_date_future",
    400,
    "决定日期 {date} 晚于今天，不能报告遗漏。",
    "The decision date {date} is in the future.",
)
OMISSION_ALREADY_RECORDED = register(
    "objection.omission_already_recorded",
    409,
    "该记录（{key}）已归集到平台，不属于遗漏；公示中的记录可在“我的信用”中查看，内容有误的请对该记录提出异议。",
    "The record ({key}) is already on the platform; object to it instead if it is wrong.",
)
OMISSION_NOT_SUPPLIED = register(
    "objection.omission_not_supplied",
    400,
    "请填写并报送补录的记录；不予补录的，请选择“不予补录”并说明理由。",
    "Submit the missing record, or answer 'declined' with the reasons.",
)
OMISSION_KEY_MISMATCH = register(
    "objection.omission_key_mismatch",
    400,
    "补录记录的决定书文号/许可编号应为异议所述的“{key}”。",
    "The submitted record must carry the document number of the objection ({key!r}).",
)
OMISSION_SUBJECT_MISMATCH = register(
    "objection.omission_subject_mismatch",
    400,
    "补录的记录不属于异议申请人（主体代码应为 {code}）。",
    "The submitted record is not the applicant's (subject code must be {code}).",
)
OMISSION_RECORD_REJECTED = register(
    "objection.omission_record_rejected",
    400,
    "补录的记录未通过校验：{detail}",
    "The submitted record failed validation: {detail}",
)
