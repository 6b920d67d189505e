"""Forms of the objection pages. They only shape input; the services decide and refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.disputes.models import Objection

FIELD_PREFIX = "f_"


class ObjectionForm(forms.Form):
    grounds = forms.ChoiceField(label=_("异议类型"), choices=Objection.Grounds.choices)
    statement = forms.CharField(
        label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    requested_correction = forms.CharField(
        label=_("申请更正的内容（可选）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class ForwardForm(forms.Form):
    note = forms.CharField(label=_("转交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Objection.Outcome.choices)
    reasons = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    """The provider's answer; with "已更正信息", the record's fields as they should read (prefilled with
    the current version; the key cannot change)."""

    answer = forms.ChoiceField(
        label=_("核查结论"), choices=Objection.Answer.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("核查意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, schema: list[dict[str, Any]], key_field: str, current: dict[str, str],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.field_codes = [spec["code"] for spec in schema]
        for spec in schema:
            code = spec["code"]
            self.fields[FIELD_PREFIX + code] = forms.CharField(
                label=spec["name"],
                required=False,
                initial=current.get(code, ""),
                disabled=code == key_field,
                max_length=int(spec.get("max_length", 500)) + 100,  # the pipeline gives the precise refusal
            )

    def correction_fields(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + code] for code in self.field_codes]

    def corrected_row(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(FIELD_PREFIX + code, "") or "" for code in self.field_codes}
