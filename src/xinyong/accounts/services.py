"""State changes of accounts: real-name verification, its release by staff, and authorisation grants
(授权查询).

Each verb runs in one transaction with its audit entry (docs/architecture.md, principle 2).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from xinyong.accounts import errors
from xinyong.accounts.models import AuthorisationGrant, User
from xinyong.accounts.notify import accounts_of_subject, notify
from xinyong.accounts.realname import IdentityClaim, IdentityVerifier, Verification
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.subjects.codes import normalise, resident_id_problem, uscc_problem

ALREADY_BOUND = "本账号已绑定其他主体，更换绑定须由信用中心办理。"


@transaction.atomic
def verify_identity(user: User, claim: IdentityClaim, *, verifier: IdentityVerifier) -> Verification:
    """Bind a subject account to the subject it proved to be (实名核验). A failed attempt is recorded
    in the audit trail too, and returned rather than raised so that the record commits.

    An account bound to one subject cannot bind itself to another: moving it is for centre staff
    (``unbind_identity``), or a stolen session could move a company's account to a company of the
    thief's choosing. The subject's other verified accounts are told when a new account binds to it,
    so a borrowed identity does not go unnoticed."""
    if user.verified_at is not None and user.subject_code and normalise(claim.code) != user.subject_code:
        result = Verification(False, normalise(claim.code), ALREADY_BOUND)
        record(
            actor=Actor.of_user(user),
            action="identity.verify",
            subject_code=result.code,
            object_type="user",
            object_id=user.pk,
            detail={
                "ok": False,
                "verifier": verifier.label,
                "reason": result.reason,
                "bound_to": user.subject_code,
            },
        )
        return result
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
        newly_bound = user.subject_code != result.code or user.verified_at is None
        user.subject_code, user.verified_at, user.verified_by = result.code, clock.now(), verifier.label
        user.save(update_fields=["subject_code", "verified_at", "verified_by"])
        if newly_bound:
            _tell_holders(user, verifier.label)
    return result


def _tell_holders(user: User, method: str) -> None:
    holders = accounts_of_subject(user.subject_code).exclude(pk=user.pk)
    when = clock.now().astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M")
    notify(
        holders,
        title="又有一个账号绑定了本主体",
        body=(
            f"账号 {user.get_username()} 于 {when} 经{method}绑定了本主体，可查看本主体的非公开信用信息。"
            "如不是本单位或您本人授权的人员，请立即联系信用中心解除绑定。"
        ),
        link=reverse("portal:account"),
    )


@transaction.atomic
def unbind_identity(user: User, *, actor: User, reason: str) -> User:
    """Centre staff release an account from its subject (e.g. a company's staff member left, or the
    account must move to another subject); the account verifies again before it acts for anyone."""
    if not actor.is_centre_staff:
        raise PlatformError(errors.IDENTITY_UNBIND_STAFF_ONLY)
    if not reason.strip():
        raise PlatformError(errors.IDENTITY_UNBIND_REASON, field="reason")
    previous = user.subject_code
    User.objects.filter(pk=user.pk).update(subject_code="", verified_at=None, verified_by="")
    record(
        actor=Actor.of_user(actor),
        action="identity.unbind",
        subject_code=previous,
        object_type="user",
        object_id=user.pk,
        detail={"account": user.get_username(), "reason": reason.strip()},
    )
    notify(
        [user],
        title="账号已解除主体绑定",
        body=f"信用中心已解除本账号与主体 {previous} 的绑定（{reason.strip()}）。如需代表主体办理业务，请重新实名核验。",
        link=reverse("portal:verify"),
    )
    user.refresh_from_db()
    return user


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
