"""Error codes of the catalogue (目录): providers and their API keys. Documented in docs/error-codes.md;
never renamed or reused."""

from __future__ import annotations

from xinyong.core.errors import register

QUOTA_EXCEEDED = register(
    "auth.quota_exceeded",
    429,
    "该接口密钥每分钟最多可发起 {limit} 次请求，已达上限，请 {seconds} 秒后重试。",
    "This API key allows {limit} requests per minute; retry in {seconds} s.",
)
