"""Backup codes (备用码): single-use codes that sign centre staff in when the authenticator is lost.

Ten codes are issued at enrolment and again on request (with the password); each new set replaces
the previous one. A code is shown once and only a keyed hash of it is kept: an HMAC-SHA256 under the
platform's secret key, over the account and the code, so a copy of the table alone cannot be searched
for codes. The codes are random (ten characters from 31, about 50 bits), and sign-in is throttled per
user and address, so a slow password hash would add nothing but latency. A code is used up with a
conditional update (``used_at IS NULL``), so of two requests with the same code only one signs in.
Issuing and using codes are on the audit trail.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.crypto import salted_hmac

from xinyong.accounts.models import BackupCode, User
from xinyong.audit.services import Actor, record
from xinyong.core import clock

COUNT = 10
LENGTH = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read off paper without doubt
_SALT = "xinyong.accounts.backup_codes"


def _normalise(code: str) -> str:
    return "".join(code.lower().split()).replace("-", "")


def _hash(user: User, code: str) -> str:
    return salted_hmac(_SALT, f"{user.pk}:{_normalise(code)}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def remaining(user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def issue(user: User, *, reason: str) -> list[str]:
    """A new set of ``COUNT`` codes for ``user``, replacing any earlier set; returns them for showing
    once. ``reason``: ``enrolment`` or ``regenerated``."""
    BackupCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(COUNT)]
    now = clock.now()
    BackupCode.objects.bulk_create(
        BackupCode(user=user, code_hash=_hash(user, c), created_at=now) for c in codes
    )
    record(
        actor=Actor.of_user(user),
        action="accounts.backup_codes.issue",
        object_type="accounts.user",
        object_id=user.pk,
        detail={"count": COUNT, "reason": reason},
    )
    return codes


@transaction.atomic
def use(user: User, code: str) -> bool:
    """Whether ``code`` is one of ``user``'s unused codes; uses it up and records it if so."""
    normalised = _normalise(code)
    if len(normalised) != LENGTH or any(c not in ALPHABET for c in normalised):
        return False
    used = BackupCode.objects.filter(
        user=user, code_hash=_hash(user, normalised), used_at__isnull=True
    ).update(used_at=clock.now())
    if used != 1:
        return False
    record(
        actor=Actor.of_user(user),
        action="accounts.backup_code.use",
        object_type="accounts.user",
        object_id=user.pk,
        detail={"remaining": remaining(user)},
    )
    return True
