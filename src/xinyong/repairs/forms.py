from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.repairs.services import MAX_STATEMENT_CHARS


class ApplyForm(forms.Form):
    obligations_statement = forms.CharField(
        label=_("履行法定义务、纠正失信行为的说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_STATEMENT_CHARS,
        required=False,  # the service refuses a short statement with its own error code
    )
    committed = forms.BooleanField(label=_("我已阅读并承诺"), required=False)


class DecisionForm(forms.Form):
    reasons = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
