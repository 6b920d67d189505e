"""State changes of accounts: real-name verification and authorisation grants (授权查询).

Each verb runs in one transaction with its audit entry (ARCHITECTURE principle 2).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from xinyong.accounts import errors
from xinyong.accounts.models import AuthorisationGrant, User
from xinyong.accounts.realname import IdentityClaim, IdentityVerifier, Verification
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.subjects.codes import normalise, resident_id_problem, uscc_problem


@transaction.atomic
def verify_identity(user: User, claim: IdentityClaim, *, verifier: IdentityVerifier) -> Verification:
    """Bind a subject account to the subject it proved to be (实名核验). A failed attempt is recorded
    in the audit trail too, and returned rather than raised so that the record commits."""
    result = verifier.verify(claim)
    record(
        actor=Actor.of_user(user),
        action="identity.verify",
        subject_code=result.code,
        object_type="user",
        object_id=user.pk,
        detail={"ok": result.ok, "verifier": verifier.label, "reason": result.reason},
    )
    if result.ok:
        user.subject_code, user.verified_at, user.verified_by = result.code, clock.now(), verifier.label
        user.save(update_fields=["subject_code", "verified_at", "verified_by"])
    return result


def _grantee(value: str) -> tuple[User | None, str]:
    value = value.strip()
    account = User.objects.filter(username=value, is_active=True).first()
    if account is not None:
        return account, ""
    code = normalise(value)
    if uscc_problem(code) is None or resident_id_problem(code) is None:
        return None, code
    raise PlatformError(errors.GRANT_GRANTEE, field="grantee")


@transaction.atomic
def create_grant(*, actor: User, grantee: str, purpose: str, valid_until: dt.datetime) -> AuthorisationGrant:
    """The actor's subject authorises a querier (an account, or an organisation or person by code)."""
    now = clock.now()
    longest = dt.timedelta(days=settings.XINYONG_GRANT_MAX_DAYS)
    if not now < valid_until <= now + longest:
        raise PlatformError(errors.GRANT_PERIOD, field="valid_until", days=longest.days)
    grantee_user, grantee_code = _grantee(grantee)
    if grantee_code == actor.subject_code or (
        grantee_user and grantee_user.subject_code == actor.subject_code
    ):
        raise PlatformError(errors.GRANT_SELF, field="grantee")
    grant = AuthorisationGrant.objects.create(
        subject_code=actor.subject_code,
        grantee_user=grantee_user,
        grantee_code=grantee_code,
        purpose=purpose.strip(),
        valid_from=now,
        valid_until=valid_until,
        created_by=actor,
        created_at=now,
    )
    record(
        actor=Actor.of_user(actor),
        action="grant.create",
        subject_code=actor.subject_code,
        purpose=grant.purpose,
        object_type="grant",
        object_id=grant.pk,
        detail={
            "grantee": grantee_user.get_username() if grantee_user else grantee_code,
            "until": valid_until,
        },
    )
    return grant


@transaction.atomic
def revoke_grant(grant: AuthorisationGrant, *, actor: User) -> AuthorisationGrant:
    """Stop a grant now. Revoking twice changes nothing the second time."""
    updated = AuthorisationGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    if updated:
        record(
            actor=Actor.of_user(actor),
            action="grant.revoke",
            subject_code=grant.subject_code,
            object_type="grant",
            object_id=grant.pk,
        )
    grant.refresh_from_db()
    return grant
