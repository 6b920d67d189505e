"""Sign-in forms: the password, and for centre staff a one-time code. Both are throttled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import backup_codes, throttle, totp
from xinyong.accounts.models import LoginAttempt, TotpDevice, User
from xinyong.core.client import client_ip


class ThrottledMixin:
    """``refusal`` is set when the attempt was refused unchecked; the view answers 429."""

    refusal: throttle.Refusal | None = None

    def _begin(self, request: HttpRequest, username: str) -> LoginAttempt:
        outcome = throttle.begin(username, client_ip(request))
        if isinstance(outcome, throttle.Refusal):
            self.refusal = outcome
            raise forms.ValidationError(outcome.message, code="throttled")
        return outcome


class SignInForm(ThrottledMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or self.cleaned_data.get("password") is None:
            return self.cleaned_data  # a missing field is reported on the field and checks nothing
        assert self.request is not None
        attempt = self._begin(self.request, username)
        # Raises on a wrong password, leaving the attempt counted as failed.
        cleaned = super().clean()
        throttle.succeeded(attempt)
        return cleaned


class CodeForm(ThrottledMixin, forms.Form):
    """A one-time code for ``device``; with ``confirming``, the first code of a new device."""

    code = forms.CharField(
        label=_("动态口令"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def __init__(
        self, data: Any, *, request: HttpRequest, user: User, device: TotpDevice, confirming: bool = False
    ) -> None:
        super().__init__(data)
        self.request = request
        self.user = user
        self.device = device
        self.confirming = confirming

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        attempt = self._begin(self.request, self.user.get_username())
        accepted = totp.confirm(self.device, code) if self.confirming else totp.verify(self.device, code)
        if not accepted:
            raise forms.ValidationError(
                _("动态口令不正确或已使用过，请输入验证器上的新口令。"), code="invalid_code"
            )
        throttle.succeeded(attempt)
        return code


class BackupCodeForm(ThrottledMixin, forms.Form):
    """One of the user's backup codes, in place of the authenticator's code; throttled like it."""

    code = forms.CharField(
        label=_("备用码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "size": 12}),
    )

    def __init__(self, data: Any, *, request: HttpRequest, user: User) -> None:
        super().__init__(data)
        self.request = request
        self.user = user

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        attempt = self._begin(self.request, self.user.get_username())
        if not backup_codes.use(self.user, code):
            raise forms.ValidationError(_("备用码不正确或已使用过。"), code="invalid_backup_code")
        throttle.succeeded(attempt)
        return code


class PasswordConfirmForm(ThrottledMixin, forms.Form):
    """The signed-in user's password again, before something that must not be done by whoever finds an
    unlocked screen; throttled like sign-in, so it cannot be used to guess the password."""

    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, data: Any, *, request: HttpRequest, user: User) -> None:
        super().__init__(data)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        attempt = self._begin(self.request, self.user.get_username())
        if not self.user.check_password(password):
            raise forms.ValidationError(_("密码不正确。"), code="invalid_password")
        throttle.succeeded(attempt)
        return password
