"""Webhook secrets and signatures (回调签名), docs/exchange.md#webhooks.

A subscriber's secret is shown once and kept encrypted (Fernet, AES-128-CBC with HMAC-SHA256) under a
key derived from the platform's ``SECRET_KEY``: the platform must sign with it, so it cannot be a
one-way hash, but a copy of the database alone does not reveal it. Rotating ``SECRET_KEY`` makes the
stored secrets unreadable: subscribers then register their webhook again for a new secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet
from django.conf import settings

HEADER = "X-Xinyong-Signature"


def _fernet() -> Fernet:
    key = hashlib.sha256(f"xinyong.exchange.webhook:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body under the secret>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
