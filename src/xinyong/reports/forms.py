from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.reports.models import Edition
from xinyong.reports.rules import PERIOD


class ReportForm(forms.Form):
    subject = forms.CharField(
        label=_("主体代码"), max_length=18, required=False, help_text=_("为本主体申请时留空")
    )
    edition = forms.ChoiceField(label=_("报告版本"), choices=Edition.choices, initial=Edition.SPECIAL)
    years = forms.TypedChoiceField(label=_("查询年限"), coerce=int)
    purpose = forms.CharField(label=_("查询事由代码"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The periods offered are the rule's (report.period in force today), the first one preselected.
        years = PERIOD.on(clock.today()).value.years
        field = self.fields["years"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, _("近%(years)d年") % {"years": y}) for y in years]
        field.initial = years[0]


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("报告 PDF 文件"))


class ReferForm(forms.Form):
    instructions = forms.CharField(
        label=_("办理指引"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FinancialListForm(forms.Form):
    subject_code = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    name = forms.CharField(label=_("企业名称"), max_length=200)
    reason = forms.CharField(
        label=_("列入事由"), max_length=200, required=False, help_text=_("如：拟上市挂牌、再融资、并购")
    )
