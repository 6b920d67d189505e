"""Error codes of credit repair (信用修复). Documented in docs/error-codes.md; never renamed or reused."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_ELIGIBLE = register(
    "repair.not_eligible",
    409,
    "该记录目前不能申请信用修复：{reasons}",
    "This record cannot be repaired now: {reasons}",
)
COMMITMENT_REQUIRED = register(
    "repair.commitment_required",
    400,
    "请阅读信用修复承诺书并勾选“我已阅读并承诺”。",
    "Read the credit repair commitment letter and tick the box to commit.",
)
STATEMENT_REQUIRED = register(
    "repair.statement_required",
    400,
    "请说明履行法定义务、纠正失信行为的情况（至少 {chars} 个字）。",
    "Describe how the legal obligations were performed and the behaviour corrected (at least {chars} characters).",
)
REASONS_REQUIRED = register(
    "repair.reasons_required",
    400,
    "不予修复须说明理由。",
    "A rejection needs its reasons.",
)
RESUBMISSION_EXHAUSTED = register(
    "repair.resubmission_exhausted",
    409,
    "该记录的信用修复申请已被不予修复 {count} 次，不能再次申请（依据 {rule}）。",
    "Repair of this record was rejected {count} times; it cannot be applied for again ({rule}).",
)
STATEMENT_TOO_LONG = register(
    "repair.statement_too_long",
    400,
    "履行法定义务、纠正失信行为的说明不能超过 {chars} 个字。",
    "The statement of obligations performed is limited to {chars} characters.",
)
RECORD_CHANGED = register(
    "repair.record_changed",
    409,
    "该记录{why}。",
    "The record changed during review and the repair cannot be approved: {why}.",
)
