from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.reports.models import Edition


class ReportForm(forms.Form):
    subject = forms.CharField(
        label=_("主体代码"), max_length=18, required=False, help_text=_("为本主体申请时留空")
    )
    edition = forms.ChoiceField(label=_("报告版本"), choices=Edition.choices, initial=Edition.SPECIAL)
    years = forms.TypedChoiceField(
        label=_("查询年限"), choices=[(3, _("近3年")), (5, _("近5年"))], coerce=int, initial=3
    )
    purpose = forms.CharField(label=_("查询事由代码"), max_length=40, required=False)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("报告 PDF 文件"))


class ReferForm(forms.Form):
    instructions = forms.CharField(
        label=_("办理指引"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
