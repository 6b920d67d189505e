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
