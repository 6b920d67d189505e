"""May this viewer see this subject's non-public credit information, and on what basis?

Seed 001: querying oneself needs identity verification; querying another needs that subject's
authorisation (授权查询), except a government unit acting for one of the listed legal purposes
(政务共享), stated with each query. Centre staff see everything for their work, on the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet

from xinyong.accounts import errors
from xinyong.accounts.models import AuthorisationGrant, User
from xinyong.accounts.permissions import Action, allowed
from xinyong.accounts.purposes import purposes
from xinyong.core.errors import PlatformError


class Basis(StrEnum):
    SELF = "self"  # the subject itself (实名核验)
    STAFF = "staff"  # centre staff at work
    GRANT = "grant"  # 授权查询
    PURPOSE = "purpose"  # 政务共享 for a legal purpose


@dataclass(frozen=True)
class Decision:
    basis: Basis
    purpose: str  # what the audit trail records as the purpose
    grant_id: int | None = None


def live_grants(viewer: User, at: dt.datetime) -> QuerySet[AuthorisationGrant]:
    """The authorisations (授权) ``viewer`` holds at ``at``: to its account, or to its unit, provider or
    subject by code; not revoked, in their period."""
    grantee = Q(grantee_user=viewer)
    own_code = viewer.subject_code or (viewer.unit.code if viewer.unit_id else "")  # type: ignore[union-attr]
    if viewer.provider_id:
        own_code = viewer.provider.code  # type: ignore[union-attr]
    if own_code:
        grantee |= Q(grantee_code=own_code)
    return AuthorisationGrant.objects.filter(grantee, revoked_at__isnull=True).filter(
        valid_from__lte=at, valid_until__gt=at
    )


def live_grant(viewer: User, subject_code: str, at: dt.datetime) -> AuthorisationGrant | None:
    return live_grants(viewer, at).filter(subject_code=subject_code).order_by("-valid_until").first()


def granted_subjects(viewer: User, at: dt.datetime) -> dict[str, tuple[int, str]]:
    """授权查询 in bulk: each subject that has authorised ``viewer`` at ``at``, with the grant (id and
    purpose) that allows it, the latest-ending one where there are several."""
    if not allowed(viewer, Action.QUERY_UNDER_GRANT):
        return {}
    grants = live_grants(viewer, at).order_by("valid_until").values_list("subject_code", "pk", "purpose")
    return {code: (pk, purpose) for code, pk, purpose in grants}


def for_purpose(viewer: User, purpose_code: str) -> Decision:
    """政务共享: a unit officer's basis for a stated legal purpose its unit holds, or a refusal."""
    purpose = purposes().get(purpose_code)
    unit_purposes = viewer.unit.purposes if viewer.unit is not None else []
    if not allowed(viewer, Action.QUERY_FOR_PURPOSE) or purpose is None or purpose_code not in unit_purposes:
        raise PlatformError(errors.QUERY_PURPOSE_NOT_ALLOWED, field="purpose", purpose=purpose_code)
    return Decision(Basis.PURPOSE, f"{purpose.code} {purpose.name}")


def decide(viewer: User, subject_code: str, purpose_code: str, at: dt.datetime) -> Decision:
    """The basis on which ``viewer`` may see ``subject_code``'s non-public information, or a refusal."""
    if viewer.is_centre_staff and viewer.roles:
        return Decision(Basis.STAFF, purpose_code or "信用中心工作")
    if allowed(viewer, Action.VIEW_OWN_RECORD) and viewer.subject_code == subject_code:
        return Decision(Basis.SELF, "本人查询")
    if allowed(viewer, Action.QUERY_FOR_PURPOSE) and purpose_code:
        return for_purpose(viewer, purpose_code)
    if allowed(viewer, Action.QUERY_UNDER_GRANT):
        grant = live_grant(viewer, subject_code, at)
        if grant is not None:
            return Decision(Basis.GRANT, grant.purpose, grant.pk)
    if allowed(viewer, Action.QUERY_FOR_PURPOSE):
        raise PlatformError(errors.QUERY_PURPOSE_REQUIRED, field="purpose")
    raise PlatformError(errors.QUERY_NO_BASIS, field="subject")
