from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.purposes import purposes
from xinyong.measures.models import Scenario


class CheckForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或居民身份证号码"), max_length=40)
    scenario = forms.ChoiceField(label=_("应用场景"))
    purpose = forms.ChoiceField(label=_("查询事由"))

    def __init__(self, *args: object, unit_purposes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        known = purposes()
        self.fields["scenario"].choices = [(s.code, s.name) for s in Scenario.objects.all()]  # type: ignore[attr-defined]
        self.fields["purpose"].choices = [(c, known[c].name) for c in unit_purposes if c in known]  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    measure = forms.CharField(max_length=80, widget=forms.HiddenInput)
    applied = forms.TypedChoiceField(
        label=_("实施情况"),
        choices=[("1", _("已实施")), ("0", _("未实施"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("未实施原因"), max_length=1000, required=False)


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("起始日期"), required=False)
    until = forms.DateField(label=_("截止日期"), required=False)

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or until.replace(day=1)
        return min(since, until), until
