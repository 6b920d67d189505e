"""Error codes of accounts, grants and queries. Documented in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

GRANT_PERIOD = register(
    "grant.invalid_period",
    400,
    "授权期限应晚于当前时间，且不超过 {days} 天。",
    "The authorisation must end in the future and within {days} days.",
)
GRANT_GRANTEE = register(
    "grant.grantee_unknown",
    400,
    "被授权方应为有效的统一社会信用代码、居民身份证号码或平台账号。",
    "The grantee must be a valid USCC, resident ID number or platform account.",
)
GRANT_SELF = register("grant.self", 400, "不能授权给本主体自己。", "A subject cannot authorise itself.")
QUERY_PURPOSE_REQUIRED = register(
    "query.purpose_required",
    400,
    "查询他人非公开信用信息须说明查询事由。",
    "Querying another subject's non-public information needs a stated purpose.",
)
QUERY_PURPOSE_NOT_ALLOWED = register(
    "query.purpose_not_allowed",
    403,
    "本单位的职责不包括查询事由“{purpose}”。",
    "Your unit's duties do not include the purpose {purpose!r}.",
)
QUERY_NO_BASIS = register(
    "query.no_basis",
    403,
    "没有该主体的有效授权，也没有法定查询事由，不能查看其非公开信息。",
    "Without a live authorisation or a legal purpose you may not see this subject's non-public information.",
)
IDENTITY_UNBIND_STAFF_ONLY = register(
    "identity.unbind_staff_only",
    403,
    "只有信用中心工作人员可以解除账号的主体绑定。",
    "Only credit centre staff can release an account from its subject.",
)
IDENTITY_UNBIND_REASON = register(
    "identity.unbind_reason_required",
    400,
    "解除绑定须说明原因。",
    "Releasing an account from its subject needs a reason.",
)
