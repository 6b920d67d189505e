"""Error codes of the commitment workflow (信用承诺), listed in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_ALLOWED = register(
    "commitments.not_allowed",
    403,
    "只有承诺受理单位（政府部门或信息提供单位）的账号可以办理信用承诺事项。",
    "Only accounts of an accepting unit (government unit or provider) may do this.",
)
SUBJECT_CODE_INVALID = register(
    "commitments.subject_code_invalid",
    400,
    "主体代码“{code}”不是有效的{expected}。",
    "The subject code {code!r} is not a valid {expected}.",
)
LEGAL_REPRESENTATIVE_REQUIRED = register(
    "commitments.legal_representative_required",
    400,
    "法人及非法人组织的承诺须填写法定代表人（负责人）。",
    "An organisation's commitment needs its legal representative.",
)
TYPE_UNKNOWN = register(
    "commitments.type_unknown",
    400,
    "承诺类型“{type}”不在{rule}所列的承诺类型中。",
    "Commitment type {type!r} is not among the types listed in {rule}.",
)
DEADLINE_REQUIRED = register(
    "commitments.deadline_required",
    400,
    "“{type}”承诺须填写践诺期限（依据{rule}）。",
    "A {type} commitment needs a fulfilment deadline (under {rule}).",
)
DATE_INVALID = register(
    "commitments.date_invalid",
    400,
    "日期不正确：{detail}",
    "Invalid date: {detail}",
)
NO_DOMAIN = register(
    "commitments.no_domain",
    400,
    "本单位没有可用于报送信用承诺信息的职责领域{detail}，请联系信用中心配置。",
    "This unit has no duty domain to report commitments in{detail}; ask the centre to configure one.",
)
DOCUMENT_NUMBER_USED = register(
    "commitments.document_number_used",
    409,
    "认定文书号“{number}”已用于另一项违诺认定，请核对文书号。",
    "Determination document number {number!r} is already used for another breach.",
)
INTAKE_REFUSED = register(
    "commitments.intake_refused",
    422,
    "信用记录未能入库（{kind}）：{detail}",
    "The credit record was refused by intake ({kind}): {detail}",
)
FIELD_REQUIRED = register(
    "commitments.field_required",
    400,
    "请填写{name}。",
    "{name} is required.",
)
SUBJECT_UNKNOWN = register(
    "commitments.subject_unknown",
    400,
    "主体代码“{code}”不是本平台已登记的信用主体；只能为已登记的主体记录信用承诺。",
    "{code!r} is not a registered credit subject; commitments can only be recorded for registered subjects.",
)
SUBJECT_MISMATCH = register(
    "commitments.subject_mismatch",
    400,
    "{what}“{given}”与主体登记信息“{registered}”不一致。",
    "The {what} {given!r} differs from the registered {registered!r}.",
)
