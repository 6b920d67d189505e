from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.purposes import purposes
from xinyong.measures.models import Scenario


class BatchForm(forms.Form):
    file = forms.FileField(label=_("核查文件（XLSX、CSV，含“统一社会信用代码”或“证件号码”列）"))
    scenario = forms.ChoiceField(label=_("应用场景"))
    purpose = forms.ChoiceField(label=_("查询事由"))

    def __init__(self, *args: object, unit_purposes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        known = purposes()
        self.fields["scenario"].choices = [(s.code, s.name) for s in Scenario.objects.all()]  # type: ignore[attr-defined]
        self.fields["purpose"].choices = [(c, known[c].name) for c in unit_purposes if c in known]  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("核查编号"), max_length=20, required=False)
    code = forms.CharField(label=_("验证码"), max_length=8, required=False)
    file = forms.FileField(label=_("或上传统计表 PDF"), required=False)
