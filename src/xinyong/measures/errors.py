"""Error codes of joint rewards and punishments (联合奖惩): counter checks and feedback, listed in
docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_ALLOWED = register(
    "measures.not_allowed",
    403,
    "只有政府部门工作人员可以进行联合奖惩核查。",
    "Only government unit officers may run joint-measure checks.",
)
SUBJECT_CODE_INVALID = register(
    "measures.subject_code_invalid",
    400,
    "主体代码“{code}”不是有效的统一社会信用代码或居民身份证号码。",
    "The subject code {code!r} is neither a valid USCC nor a valid resident ID number.",
)
SCENARIO_UNKNOWN = register(
    "measures.scenario_unknown",
    400,
    "应用场景“{scenario}”不在联合奖惩措施目录中。",
    "The scenario {scenario!r} is not in the joint-measure catalogue.",
)
MEASURE_NOT_IN_CHECK = register(
    "measures.measure_not_in_check",
    400,
    "措施“{measure}”不是本次核查结果中的措施。",
    "The measure {measure!r} was not among this check's measures.",
)
REASON_REQUIRED = register(
    "measures.reason_required",
    400,
    "未实施措施的，须说明原因。",
    "Say why a measure was not applied.",
)
FEEDBACK_GIVEN = register(
    "measures.feedback_given",
    409,
    "本次核查的措施“{measure}”已反馈，不能重复反馈。",
    "Feedback on measure {measure!r} of this check was already given.",
)
