"""Forms of subject accounts and queriers: identity verification, grants, queries."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.purposes import purposes
from xinyong.core.clock import start_of_day


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或居民身份证号码"), max_length=40)
    name = forms.CharField(label=_("名称或姓名"), max_length=200)
    representative = forms.CharField(label=_("法定代表人姓名（企业填写）"), max_length=100, required=False)
    # The one-time ticket the government identity service hands back after its own check (电子营业执照
    # or a face check); the production verifier redeems it. The development verifier ignores it.
    evidence = forms.CharField(label=_("核验凭证"), max_length=200, required=False)


class GrantForm(forms.Form):
    grantee = forms.CharField(
        label=_("被授权方"), max_length=150, help_text=_("平台账号名，或统一社会信用代码、居民身份证号码")
    )
    purpose = forms.CharField(label=_("授权事由"), max_length=200)
    valid_until = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))

    def until(self) -> dt.datetime:
        """The end of the chosen day in China, as an aware datetime."""
        day: dt.date = self.cleaned_data["valid_until"]
        return start_of_day(day + dt.timedelta(days=1))


class QueryForm(forms.Form):
    subject = forms.CharField(label=_("统一社会信用代码或居民身份证号码"), max_length=40)
    purpose = forms.ChoiceField(label=_("查询事由"), required=False)

    def __init__(self, *args: object, unit_purposes: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        known = purposes()
        choices = [(c, known[c].name) for c in (unit_purposes or []) if c in known]
        self.fields["purpose"].choices = [("", _("依据信用主体授权查询")), *choices]  # type: ignore[attr-defined]
