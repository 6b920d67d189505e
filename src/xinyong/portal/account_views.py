"""Pages of subject accounts (my record, grants, who looked) and of queriers (units, grantees)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import AuthorisationGrant, User
from xinyong.accounts.permissions import Action, allowed
from xinyong.accounts.realname import IdentityClaim, verifier
from xinyong.accounts.services import create_grant, revoke_grant, verify_identity
from xinyong.core import feedback
from xinyong.core.errors import PlatformError
from xinyong.disclosure.queries import lookups_of, read_subject
from xinyong.portal.account_forms import GrantForm, QueryForm, VerifyForm
from xinyong.subjects.codes import normalise


def _require(request: HttpRequest, action: Action) -> User:
    user = signed_in(request)
    if not allowed(user, action):
        raise Http404
    return user


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """A subject account's home: verification, own record, grants given, who looked."""
    user = signed_in(request)
    if user.kind != User.Kind.SUBJECT:
        raise Http404
    if not allowed(user, Action.VIEW_OWN_RECORD):
        return redirect("portal:verify")
    context = {
        "view": read_subject(user, user.subject_code),
        "grants": AuthorisationGrant.objects.filter(subject_code=user.subject_code).order_by("-created_at")[
            :100
        ],
        "lookups": lookups_of(user.subject_code),
        "form": GrantForm(),
    }
    return render(request, "portal/account.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if user.kind != User.Kind.SUBJECT:
        raise Http404
    form = VerifyForm(request.POST or None)
    backend = verifier()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        claim = IdentityClaim(data["code"], data["name"], data["representative"], data["evidence"])
        result = verify_identity(user, claim, verifier=backend)
        if result.ok:
            messages.success(request, _("实名核验通过。"))
            return redirect("portal:account")
        messages.error(request, result.reason)
    return render(request, "portal/verify.html", {"form": form, "backend": backend})


@login_required
@require_POST
def grant_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, Action.MANAGE_OWN_GRANTS)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写授权信息。"))
        return redirect("portal:account")
    try:
        create_grant(
            actor=user,
            grantee=form.cleaned_data["grantee"],
            purpose=form.cleaned_data["purpose"],
            valid_until=form.until(),
        )
    except PlatformError as exc:
        feedback.refused(request, exc)
    else:
        messages.success(request, _("授权已生效。"))
    return redirect("portal:account")


@login_required
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = _require(request, Action.MANAGE_OWN_GRANTS)
    grant = AuthorisationGrant.objects.filter(pk=grant_id, subject_code=user.subject_code).first()
    if grant is None:
        raise Http404
    revoke_grant(grant, actor=user)
    messages.success(request, _("授权已撤销。"))
    return redirect("portal:account")


@login_required
def query(request: HttpRequest) -> HttpResponse:
    """A unit officer (for a legal purpose) or a grantee (under an authorisation) looks a subject up."""
    user = signed_in(request)
    if not (allowed(user, Action.QUERY_FOR_PURPOSE) or allowed(user, Action.QUERY_UNDER_GRANT)):
        raise Http404
    unit_purposes = user.unit.purposes if user.unit is not None else []
    form = QueryForm(request.GET or None, unit_purposes=unit_purposes)
    view, status = None, 200
    if request.GET and not form.is_valid():
        status = 400  # e.g. a purpose outside this account's duties
    elif request.GET:
        try:
            view = read_subject(user, normalise(form.cleaned_data["subject"]), form.cleaned_data["purpose"])
        except PlatformError as exc:
            feedback.refused(request, exc)
            status = exc.error.status
    return render(request, "portal/query.html", {"form": form, "view": view}, status=status)
