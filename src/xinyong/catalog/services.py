"""Providers (信息提供单位) and their API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.db import transaction

from xinyong.catalog.models import ApiKey, Domain, Provider, ProviderGrant
from xinyong.core import clock

KEY_PREFIX = "xy_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(provider: Provider, *, label: str = "") -> str:
    """Create an API key and return it; this is the only time it is ever visible."""
    prefix = secrets.token_hex(5)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(
        provider=provider, prefix=prefix, key_hash=hash_key(key), label=label, created_at=clock.now()
    )
    return key


@transaction.atomic
def rotate_key(provider: Provider, *, label: str = "") -> str:
    """Revoke every live key of the provider and issue a new one."""
    ApiKey.objects.filter(provider=provider, revoked_at__isnull=True).update(revoked_at=clock.now())
    return issue_key(provider, label=label)


def authenticate_key(key: str) -> Provider | None:
    """The active provider owning a live key, or None. Constant-time comparison of the hash."""
    parts = key.split("_")
    if len(parts) < 3 or not key.startswith(KEY_PREFIX):
        return None
    api_key = (
        ApiKey.objects.select_related("provider").filter(prefix=parts[1], revoked_at__isnull=True).first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key)):
        return None
    if not api_key.provider.active:
        return None
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=clock.now())
    return api_key.provider


@transaction.atomic
def create_provider(
    *, code: str, name: str, domains: Iterable[Domain], kind_codes: Iterable[str]
) -> tuple[Provider, str]:
    """Register a provider with the kinds it may report in each domain; returns it and its first key."""
    provider = Provider.objects.create(code=code, name=name, created_at=clock.now())
    kinds = list(kind_codes)
    ProviderGrant.objects.bulk_create(
        ProviderGrant(provider=provider, domain=domain, kind_code=kind)
        for domain in domains
        for kind in kinds
    )
    return provider, issue_key(provider, label="initial")
