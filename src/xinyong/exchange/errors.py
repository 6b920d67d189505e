"""Error codes of the data exchange (feed, sender, subscriptions). Documented in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

BAD_CURSOR = register(
    "feed.bad_cursor",
    400,
    "游标无效：请使用上一页返回的 next 原样续读，或不带游标从头读取。",
    "The cursor is not valid: pass the previous page's next unchanged, or omit it to read from the start.",
)
DELIVERY_NOT_FAILED = register(
    "upstream.not_failed",
    409,
    "该条上报未处于失败状态，无需重发。",
    "This delivery has not failed; there is nothing to retry.",
)
WATCH_UNKNOWN_SUBJECT = register(
    "watch.unknown_subject",
    400,
    "第 {item} 个代码“{code}”不是平台上的信用主体。",
    "Code {code} (item {item}) is not a subject on the platform.",
)
WATCH_TOO_MANY = register(
    "watch.too_many",
    400,
    "一次最多关注 {limit} 个主体。",
    "At most {limit} subjects can be followed at once.",
)
WEBHOOK_URL = register(
    "webhook.invalid_url",
    400,
    "回调地址须为 https 地址。",
    "The webhook address must be an https URL.",
)
