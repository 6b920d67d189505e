"""Stable machine error codes with their Chinese messages (docs/architecture.md, principle 7).

Every code a client can receive is registered here once; ``docs/error-codes.md`` lists them all and a
test keeps the two in step. Codes never change meaning; a retired code is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    message: str  # Chinese, may contain {placeholders}
    english: str

    def format(self, **params: object) -> str:
        return self.message.format(**params) if params else self.message


REGISTRY: dict[str, ErrorCode] = {}


def register(code: str, status: int, message: str, english: str) -> ErrorCode:
    if code in REGISTRY:
        raise ValueError(f"error code {code} registered twice")
    error = REGISTRY[code] = ErrorCode(code, status, message, english)
    return error


class PlatformError(Exception):
    """A refusal the caller can act on: carries the code, the field and the row it concerns."""

    def __init__(
        self,
        error: ErrorCode,
        *,
        field: str | None = None,
        row: int | None = None,
        headers: dict[str, str] | None = None,
        **params: object,
    ) -> None:
        self.error = error
        self.field = field
        self.row = row
        # HTTP headers the answer must carry, e.g. ``Retry-After`` with a 429.
        self.headers = headers or {}
        self.message = error.format(**params)
        super().__init__(f"{error.code}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.error.code, "field": self.field, "row": self.row, "message": self.message}


# Request-level errors shared by every API endpoint.
AUTH_REQUIRED = register(
    "auth.required", 401, "需要登录，或提供有效的接口密钥。", "Sign in, or give a valid API key."
)
CSRF_FAILED = register(
    "request.csrf_failed",
    403,
    "请求缺少有效的 CSRF 令牌：请从本平台页面提交，或在请求头 X-CSRFToken 中附上令牌。",
    "The request lacks a valid CSRF token: submit from the platform's pages or send X-CSRFToken.",
)
FORBIDDEN = register("request.forbidden", 403, "无权进行此操作。", "You may not do this.")
RULE_NOT_IN_FORCE = register(
    "rule.not_in_force",
    400,
    "所填日期没有适用的规则（{detail}），请检查日期。",
    "No rule is in force on the date given ({detail}); check the date.",
)
AUTH_INVALID_KEY = register(
    "auth.invalid_key", 401, "接口密钥无效、已停用或已被轮换。", "The API key is invalid, revoked or rotated."
)
NOT_FOUND = register("request.not_found", 404, "请求的对象不存在。", "Not found.")
CALENDAR_MISSING = register(
    "calendar.missing",
    503,
    "工作日历缺少 {year} 年的节假日安排，无法按工作日计算，暂不能办理。请联系信用中心维护工作日历。",
    "The working-day calendar lacks {year}; nothing that counts working days can be done until it is entered.",
)
INVALID_REQUEST = register(
    "request.invalid", 400, "请求格式不正确：{detail}", "The request is malformed: {detail}"
)
RATE_LIMITED = register(
    "request.rate_limited",
    429,
    "请求过于频繁：每个地址每分钟最多 {limit} 次，请 {seconds} 秒后重试。",
    "Too many requests: at most {limit} per minute from one address; retry in {seconds} s.",
)
METHOD_NOT_ALLOWED = register(
    "request.method_not_allowed",
    405,
    "该地址不支持 {method} 请求，可用的请求方法：{allowed}。",
    "This address does not take {method} requests; it takes {allowed}.",
)
REQUEST_TOO_LARGE = register(
    "request.too_large",
    413,
    "请求内容超过 {limit} 字节的上限。",
    "The request body is larger than the limit of {limit} bytes.",
)
SERVER_ERROR = register(
    "request.server_error",
    500,
    "服务器内部错误，请稍后重试；如仍出现，请将请求编号 {request_id} 告知信用中心。",
    "Internal server error; retry later, and if it persists give the centre the request id {request_id}.",
)
