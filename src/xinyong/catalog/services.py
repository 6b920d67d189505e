"""Providers (信息提供单位) and their API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.db import transaction

from xinyong.audit.services import Actor, record
from xinyong.catalog.models import ApiKey, Domain, Provider, ProviderGrant
from xinyong.catalog.quota import check_quota
from xinyong.core import clock

KEY_PREFIX = "xy_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


#: Keys are managed from the command line (``xinyong provider``); the trail names it as the actor.
CLI = Actor.system("xinyong provider")


@transaction.atomic
def issue_key(provider: Provider, *, label: str = "", actor: Actor = CLI) -> str:
    """Create an API key and return it; this is the only time it is ever visible."""
    prefix = secrets.token_hex(5)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(
        provider=provider, prefix=prefix, key_hash=hash_key(key), label=label, created_at=clock.now()
    )
    record(actor=actor, action="api_key.issue", object_type="provider", object_id=provider.code,
           detail={"prefix": prefix, "label": label})  # fmt: skip
    return key


@transaction.atomic
def rotate_key(provider: Provider, *, label: str = "", actor: Actor = CLI) -> str:
    """Revoke every live key of the provider and issue a new one."""
    revoked = ApiKey.objects.filter(provider=provider, revoked_at__isnull=True).update(revoked_at=clock.now())
    record(actor=actor, action="api_key.revoke_all", object_type="provider", object_id=provider.code,
           detail={"revoked": revoked})  # fmt: skip
    return issue_key(provider, label=label, actor=actor)


def live_key(key: str) -> ApiKey | None:
    """The unrevoked key of an active provider that ``key`` is, or None. Constant-time comparison of
    the hash. Counts nothing: the public rate limit (``core.ratelimit``) asks this to exempt keys."""
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
    return api_key


def authenticate_key(key: str) -> Provider | None:
    """The active provider owning a live key, or None.

    A valid key's request is counted against its quota: raises ``PlatformError``
    (``auth.quota_exceeded``) once the key has used up its requests for this minute.
    """
    api_key = live_key(key)
    if api_key is None:
        return None
    check_quota(api_key)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=clock.now())
    return api_key.provider


@transaction.atomic
def create_provider(
    *, code: str, name: str, domains: Iterable[Domain], kind_codes: Iterable[str]
) -> tuple[Provider, str]:
    """Register a provider with the kinds it may report in each domain; returns it and its first key."""
    provider = Provider.objects.create(code=code, name=name, created_at=clock.now())
    kinds = list(kind_codes)
    domains = list(domains)
    record(actor=CLI, action="provider.create", object_type="provider", object_id=code,
           detail={"name": name, "domains": [d.number for d in domains], "kinds": kinds})  # fmt: skip
    ProviderGrant.objects.bulk_create(
        ProviderGrant(provider=provider, domain=domain, kind_code=kind)
        for domain in domains
        for kind in kinds
    )
    return provider, issue_key(provider, label="initial")
