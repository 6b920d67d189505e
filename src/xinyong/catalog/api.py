"""How a provider's system authenticates to the API: its key, counted against the key's quota."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from xinyong.catalog.services import authenticate_key
from xinyong.core import errors
from xinyong.core.errors import PlatformError


class ProviderKey(HttpBearer):
    """``Authorization: Bearer xy_…``: a provider system's API key, within its per-minute quota
    (refused with ``auth.quota_exceeded``, 429 and ``Retry-After`` beyond it)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        provider = authenticate_key(token)
        if provider is None:
            raise PlatformError(errors.AUTH_INVALID_KEY)
        return provider
