"""The platform's API under ``/api/v1/``: one NinjaAPI, its error envelope and provider-key auth.

Every error answer has the same shape: ``{"code", "field", "row", "message"}`` with a stable code
from ``core.errors`` and a Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from xinyong.accounts.models import User
from xinyong.core import errors
from xinyong.core.errors import PlatformError
from xinyong.core.rulebook import NoRuleInForce

api = NinjaAPI(
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


class ProviderKey(HttpBearer):
    """``Authorization: Bearer xy_…``: a provider system's API key, within its per-minute quota
    (refused with ``auth.quota_exceeded``, 429 and ``Retry-After`` beyond it)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from xinyong.catalog.services import authenticate_key

        provider = authenticate_key(token)
        if provider is None:
            raise PlatformError(errors.AUTH_INVALID_KEY)
        return provider


def session_user(request: HttpRequest) -> User:
    """The signed-in account an operation guarded by ninja's ``django_auth`` was let through with."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


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
    error = errors.NOT_FOUND if exc.status_code == 404 else errors.INVALID_REQUEST
    return error_response(request, PlatformError(error, detail=str(exc)))


@api.exception_handler(NoRuleInForce)
def _no_rule(request: HttpRequest, exc: NoRuleInForce) -> HttpResponse:
    """A date from the caller that no rule version covers (e.g. before the data start): their input."""
    return error_response(request, PlatformError(errors.RULE_NOT_IN_FORCE, detail=str(exc)))
