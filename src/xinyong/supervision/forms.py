from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.supervision.rules import INTERVIEW

DATE = forms.DateInput(attrs={"type": "date"})


class InterviewForm(forms.Form):
    type = forms.ChoiceField(label=_("约谈类型"))
    held_on = forms.DateField(label=_("约谈日期"), widget=DATE)
    place = forms.CharField(label=_("约谈地点"), max_length=200)
    attendees = forms.CharField(
        label=_("参加人员"), max_length=1000, help_text=_("约谈部门与被约谈主体的参加人员")
    )
    obligations = forms.CharField(
        label=_("督促履行的义务"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(
        label=_("整改期限"), widget=DATE, help_text=_("逢节假日顺延至其后第一个工作日")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = INTERVIEW.on(clock.today())
        self.fields["type"].choices = [(t.code, t.label) for t in rule.value.types]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("整改结果"), choices=[("rectified", _("整改完成")), ("not_rectified", _("未整改"))]
    )
    note = forms.CharField(label=_("整改情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
