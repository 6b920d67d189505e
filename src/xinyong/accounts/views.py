"""Sign-in (登录): a password, then for centre staff a one-time code from their authenticator.

Between the two steps the session is *not* signed in: it only holds the pending user's id, the
authentication backend and when the password was accepted. The pending step expires after
``PENDING_SECONDS``, and finishing it is what calls ``login()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from xinyong.accounts import backup_codes, totp
from xinyong.accounts.forms import BackupCodeForm, CodeForm, PasswordConfirmForm, SignInForm, ThrottledMixin
from xinyong.accounts.http import signed_in
from xinyong.accounts.models import TotpDevice, User
from xinyong.core import clock

PENDING = "xinyong_pending_sign_in"
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def _next_url(request: HttpRequest, candidate: str) -> str:
    """Where to go after signing in: the requested page if it is on this site, else the workspace."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _respond(request: HttpRequest, template: str, form: Form, **context: Any) -> HttpResponse:
    """Renders the step's page; a throttled attempt gets 429 and a ``Retry-After``."""
    refusal = form.refusal if isinstance(form, ThrottledMixin) else None
    response = render(request, template, {"form": form, **context}, status=429 if refusal else 200)
    if refusal is not None:
        response["Retry-After"] = str(refusal.seconds)
    return response


def _pending(request: HttpRequest) -> Pending | None:
    stored = request.session.get(PENDING)
    if not isinstance(stored, dict) or clock.now().timestamp() - stored["since"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=stored["user"], is_active=True, kind=User.Kind.CENTRE).first()
    if user is None:
        return None
    return Pending(user=user, backend=stored["backend"], next_url=stored["next"])


def _finish(request: HttpRequest, pending: Pending) -> HttpResponse:
    request.session.pop(PENDING, None)
    auth_login(request, pending.user, backend=pending.backend)
    return redirect(pending.next_url)


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The one time backup codes are shown: never cached, never stored in clear."""
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next_url": next_url})


def qr_svg(data: str) -> SafeString:
    """``data`` as an inline SVG QR code (no image file, no script). The SVG is made by ``segno`` from
    the ``otpauth://`` URI and holds only paths, so marking it safe lets nothing of a user's through."""
    return mark_safe(segno.make(data, error="m").svg_inline(scale=4, border=2, omitsize=True))  # noqa: S308


def _confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def _home_of(user: User) -> str:
    """Where a sign-in without a requested page lands: each kind of account has its own home."""
    homes = {User.Kind.SUBJECT: "portal:account", User.Kind.UNIT: "portal:query"}
    return resolve_url(homes.get(User.Kind(user.kind), settings.LOGIN_REDIRECT_URL))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next", ""))
    if form.is_valid():
        user = form.get_user()
        assert isinstance(user, User)
        if not user.is_centre_staff:
            auth_login(request, user)
            return redirect(
                next_url if next_url != resolve_url(settings.LOGIN_REDIRECT_URL) else _home_of(user)
            )
        # Centre staff can change what the platform publishes: a password alone is not enough.
        # A new session key from here on, as login() will give again once the code is accepted.
        request.session.cycle_key()
        request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
            "since": clock.now().timestamp(),
            "next": next_url,
        }
        return redirect("accounts:totp" if _confirmed_device(user) else "accounts:totp-setup")
    return _respond(
        request, "accounts/login.html", form, next=request.POST.get("next") or request.GET.get("next", "")
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def totp_view(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    device = _confirmed_device(pending.user)
    if device is None:
        return redirect("accounts:totp-setup")
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data, request=request, user=pending.user, device=device)
    if form.is_valid():
        return _finish(request, pending)
    return _respond(request, "accounts/totp.html", form, pending_user=pending.user)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    if _confirmed_device(pending.user) is not None:
        # Replacing a confirmed authenticator is for an administrator, not for whoever has the password.
        return redirect("accounts:totp")
    device = totp.device_for_setup(pending.user)
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data, request=request, user=pending.user, device=device, confirming=True)
    if form.is_valid():
        _finish(request, pending)
        # Enrolled: the backup codes for the day the phone is lost, shown this once.
        return _show_codes(request, backup_codes.issue(pending.user, reason="enrolment"), pending.next_url)
    grouped_secret = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    uri = totp.provisioning_uri(device)
    return _respond(
        request,
        "accounts/totp_setup.html",
        form,
        pending_user=pending.user,
        secret=grouped_secret,
        uri=uri,
        qr=qr_svg(uri),
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def backup_view(request: HttpRequest) -> HttpResponse:
    """The second step with a backup code instead of the authenticator's code."""
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    if _confirmed_device(pending.user) is None:
        return redirect("accounts:totp-setup")
    data = request.POST if request.method == "POST" else None
    form = BackupCodeForm(data, request=request, user=pending.user)
    if form.is_valid():
        left = backup_codes.remaining(pending.user)
        response = _finish(request, pending)
        messages.warning(
            request,
            _("已使用一个备用码登录，还剩 %(left)s 个。用完前请在“备用码”页面重新生成。") % {"left": left},
        )
        return response
    return _respond(request, "accounts/backup.html", form, pending_user=pending.user)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@login_required
def backup_codes_view(request: HttpRequest) -> HttpResponse:
    """How many backup codes a centre staff member has left, and a new set for the password."""
    user = signed_in(request)
    if not user.is_centre_staff:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = PasswordConfirmForm(data, request=request, user=user)
    if form.is_valid():
        return _show_codes(
            request, backup_codes.issue(user, reason="regenerated"), resolve_url("accounts:backup-codes")
        )
    return _respond(request, "accounts/backup_manage.html", form, left=backup_codes.remaining(user))
