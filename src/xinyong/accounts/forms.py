"""Sign-in forms: the password, and for centre staff a one-time code. Both are throttled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import throttle, totp
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
