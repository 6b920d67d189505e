"""The platform's API under ``/api/v1/``: one NinjaAPI and its error envelope (provider keys: ``catalog.api``).

Every error answer has the same shape: ``{"code", "field", "row", "message"}`` with a stable code
from ``core.errors`` and a Chinese message. That holds for refusals raised by our own code, for what
ninja and Django refuse before a view runs (an unparsable or oversized body, a malformed multipart
upload, an unknown address, a wrong method) and for a server error (``ApiErrorMiddleware``); the
OpenAPI document lists the refusals every operation can meet (``PlatformAPI``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xinyong.core import errors
from xinyong.core.errors import PlatformError
from xinyong.core.request_id import current_request_id
from xinyong.core.rulebook import NoRuleInForce

#: What every operation can be refused with, whatever its own code does: listed in the OpenAPI
#: document for each operation (``PlatformAPI``), as ``{status: (description, applies)}``.
COMMON_REFUSALS: dict[int, tuple[str, Callable[[str, dict[str, Any]], bool]]] = {
    400: ("request.invalid：参数或请求体不符合本文档（字段见 field）", lambda path, op: True),
    401: ("auth.required / auth.invalid_key：需要登录或有效的接口密钥", lambda path, op: "security" in op),
    403: (
        "request.csrf_failed / request.forbidden：缺少 CSRF 令牌，或无权进行此操作",
        lambda path, op: "security" in op,
    ),
    404: ("request.not_found：地址中的对象不存在或不可见", lambda path, op: "{" in path),
    413: (
        "request.too_large：请求内容超过上限（XINYONG_MAX_REQUEST_BYTES）",
        lambda path, op: "requestBody" in op,
    ),
    # Refused by the HTTP server in front (gunicorn: a request line over 4,094 bytes) before the platform
    # sees the request, hence no envelope; listed so that clients and fuzzers expect it.
    414: ("请求行（地址与查询参数）过长，由 HTTP 服务器拒绝，响应不是 JSON", lambda path, op: True),
    429: (
        "request.rate_limited：匿名访问按地址每分钟限次（XINYONG_PUBLIC_REQUESTS_PER_MINUTE，检索为 "
        "XINYONG_SEARCH_REQUESTS_PER_MINUTE）；auth.quota_exceeded：接口密钥每分钟限次。Retry-After 为需等待的秒数",
        lambda path, op: True,
    ),
}


class PlatformAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document lists, for every operation, the refusals of
    ``COMMON_REFUSALS`` in the error envelope, beside those its router declares."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        envelope = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
        schema["components"]["schemas"].setdefault(
            "ErrorEnvelope", ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation["responses"]
                for status, (description, applies) in COMMON_REFUSALS.items():
                    if applies(path, operation):
                        content = {} if status == 414 else {"content": envelope}
                        responses.setdefault(status, {"description": description, **content})
                responses[429]["headers"] = {
                    "Retry-After": {"description": "再次请求前需等待的秒数", "schema": {"type": "integer"}}
                }
        return schema


api = PlatformAPI(
    title="xinyong 公共信用信息平台 API",
    version="1",
    urls_namespace="api",
    description="归集、查询与报告接口。错误码见 docs/error-codes.md。",
)


class ErrorEnvelope(Schema):
    """Every refusal: a stable code (docs/error-codes.md), the field and row it concerns, a Chinese message."""

    code: str
    field: str | None
    row: int | None
    message: str


def error_response(request: HttpRequest, exc: PlatformError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.error.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(PlatformError)
def _platform_error(request: HttpRequest, exc: PlatformError) -> HttpResponse:
    return error_response(request, exc)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, PlatformError(errors.AUTH_REQUIRED))


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [str(p) for p in first.get("loc", []) if p not in ("body", "payload")]
    detail = f"{'.'.join(location)}: {first.get('msg', '')}" if location else str(first.get("msg", ""))
    return error_response(
        request, PlatformError(errors.INVALID_REQUEST, field=".".join(location) or None, detail=detail)
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403:
        # django_auth / SessionAuth answer a session without a valid CSRF token with a bare 403.
        csrf = "csrf" in str(exc).lower()
        return error_response(request, PlatformError(errors.CSRF_FAILED if csrf else errors.FORBIDDEN))
    if exc.status_code == 401:
        return error_response(request, PlatformError(errors.AUTH_REQUIRED))
    if isinstance(exc.__cause__, RequestDataTooBig):  # ninja wraps whatever stops it reading the body
        return _too_large(request)
    if exc.__cause__ is not None:
        detail = "请求体不是有效的 JSON"
        return error_response(request, PlatformError(errors.INVALID_REQUEST, field="body", detail=detail))
    error = errors.NOT_FOUND if exc.status_code == 404 else errors.INVALID_REQUEST
    return error_response(request, PlatformError(error, detail=str(exc)))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, PlatformError(errors.NOT_FOUND))


def _too_large(request: HttpRequest) -> HttpResponse:
    return error_response(
        request, PlatformError(errors.REQUEST_TOO_LARGE, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    )


@api.exception_handler(RequestDataTooBig)
def _request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _too_large(request)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _malformed_form(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = "表单或上传内容（multipart/form-data）格式错误或字段过多"
    return error_response(request, PlatformError(errors.INVALID_REQUEST, detail=detail))


@api.exception_handler(NoRuleInForce)
def _no_rule(request: HttpRequest, exc: NoRuleInForce) -> HttpResponse:
    """A date from the caller that no rule version covers (e.g. before the data start): their input."""
    return error_response(request, PlatformError(errors.RULE_NOT_IN_FORCE, detail=str(exc)))


class ApiErrorMiddleware:
    """Puts an error answer under ``/api/`` that did not come from our handlers (an unknown address,
    a wrong method, Django's own 400, a server error) into the error envelope, keeping its status and
    headers (``Allow`` with a 405). Placed just inside ``RequestIdMiddleware``: a server error's
    message names the request id, and every middleware's answer passes through here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or response.streaming
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        refusal = _refusal_for(request, response)
        enveloped = HttpResponse(
            json.dumps(refusal.as_dict()),
            status=response.status_code,
            content_type="application/json; charset=utf-8",  # as ninja's own answers
        )
        for name, value in response.items():
            if name.lower() not in ("content-type", "content-length"):
                enveloped[name] = value
        enveloped.cookies = response.cookies
        return enveloped


def _refusal_for(request: HttpRequest, response: HttpResponseBase) -> PlatformError:
    status = response.status_code
    if status == 404:
        return PlatformError(errors.NOT_FOUND)
    if status == 405:
        allowed = response.get("Allow", "")
        return PlatformError(errors.METHOD_NOT_ALLOWED, method=request.method, allowed=allowed or "无")
    if status == 413:
        return PlatformError(errors.REQUEST_TOO_LARGE, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if status >= 500:
        return PlatformError(errors.SERVER_ERROR, request_id=current_request_id() or "无")
    if status == 401:
        return PlatformError(errors.AUTH_REQUIRED)
    if status == 403:
        return PlatformError(errors.FORBIDDEN)
    # Django's own 400 (a malformed body or header it refused before any view ran), and the rest.
    return PlatformError(errors.INVALID_REQUEST, detail=f"服务器无法处理该请求（HTTP {status}）")
