"""Error codes of the evaluation app (docs/error-codes.md)."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_PUBLIC = register(
    "evaluation.not_public",
    403,
    "公共信用综合评价结果不向社会公开：仅信用主体本人、信用中心和依法定事由查询的政府部门可以查看。",
    "The credit evaluation is not public: only the subject, the centre and government units stating a legal purpose see it.",
)
NOT_EVALUATED = register(
    "evaluation.not_evaluated",
    404,
    "该主体尚无公共信用综合评价结果（评价每日进行；自然人不参加评价）。",
    "The subject has no credit evaluation yet (evaluations run daily; natural persons are not evaluated).",
)
UNKNOWN_DEPARTMENT = register(
    "spot_check.unknown_department",
    404,
    "没有统一社会信用代码为“{department}”的信息提供单位。",
    "No department (provider) has the USCC {department!r}.",
)
BAD_GRADES = register(
    "spot_check.bad_grades",
    400,
    "等级“{grades}”不正确：请用逗号分隔的 A、B、C、D。",
    "Grades {grades!r} are not valid: give A, B, C, D separated by commas.",
)
BAD_SEED = register(
    "spot_check.bad_seed",
    400,
    "随机种子须为 1 至 64 位的字母、数字、连字符或下划线。",
    "The seed must be 1 to 64 letters, digits, hyphens or underscores.",
)
