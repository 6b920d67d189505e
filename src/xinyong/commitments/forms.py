from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import Domain
from xinyong.commitments.services import commitment_types
from xinyong.core import clock
from xinyong.subjects.models import Subject


class CommitmentForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("主体类别"), choices=Subject.Kind.choices)
    subject_code = forms.CharField(label=_("统一社会信用代码/身份证号码"), max_length=40)
    subject_name = forms.CharField(
        label=_("主体名称"), max_length=200, required=False,
        help_text=_("可不填：按主体登记名称记录；填写时须与登记名称一致"),
    )  # fmt: skip
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("承诺类型"))
    matter = forms.CharField(label=_("承诺事项"), max_length=500)
    content = forms.CharField(label=_("承诺内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    made_on = forms.DateField(label=_("承诺日期"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(
        label=_("践诺期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("审批替代型（容缺受理、告知承诺）必填"),
    )  # fmt: skip
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.none())

    def __init__(self, *args: Any, domains: list[Domain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _, types = commitment_types(clock.today())
        self.fields["type"].choices = [(key, t.name) for key, t in types.items()]  # type: ignore[attr-defined]
        self.fields["domain"].queryset = Domain.objects.filter(pk__in=[d.pk for d in domains])  # type: ignore[attr-defined]
        if domains:
            self.fields["domain"].initial = domains[0].pk


class FulfilmentForm(forms.Form):
    note = forms.CharField(label=_("践诺情况"), max_length=1000, required=False)


class BreachForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("认定结果"), choices=[("broken", _("未践诺（违诺）")), ("false", _("虚假承诺"))]
    )
    document_no = forms.CharField(label=_("认定文书号"), max_length=128)
    reasons = forms.CharField(label=_("违诺情形"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class EligibilityForm(forms.Form):
    subject = forms.CharField(label=_("统一社会信用代码/身份证号码"), max_length=40)
