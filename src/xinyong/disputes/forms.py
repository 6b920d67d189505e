"""Forms of the objection pages. They only shape input; the services decide and refuse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.disputes.models import Objection

FIELD_PREFIX = "f_"
DOMAIN_COLUMN = "领域"


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


class OmissionForm(forms.Form):
    """遗漏异议: the department and the kind are typed (a name or a code, with suggestions); the service
    resolves them and refuses unknown ones with their error codes, as the API does."""

    provider = forms.CharField(
        label=_("信息提供单位（部门）"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"list": "providers", "autocomplete": "off"}),
        help_text=_("单位全称或统一社会信用代码"),
    )  # fmt: skip
    kind = forms.CharField(
        label=_("信息事项"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"list": "kinds", "autocomplete": "off"}),
        help_text=_("如 表彰奖励、行政许可"),
    )  # fmt: skip
    document_number = forms.CharField(label=_("决定书文号/许可编号"), max_length=200, required=False)
    document_date = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    statement = forms.CharField(
        label=_("遗漏情况说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ForwardForm(forms.Form):
    note = forms.CharField(label=_("转交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


OMISSION_OUTCOMES = (Objection.Outcome.ADDED, Objection.Outcome.NOT_ADDED)
OMISSION_ANSWERS = (Objection.Answer.SUPPLIED, Objection.Answer.DECLINED)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Objection.Outcome.choices)
    reasons = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, omission: bool = False, allowed: Sequence[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the outcomes of the case's kind; the service still decides which one fits now.
        choices = [
            (value, label)
            for value, label in Objection.Outcome.choices
            if (value in OMISSION_OUTCOMES) == omission
        ]
        if allowed is not None:
            # The page offers what the case may close with now (services.closing_outcomes), and never
            # preselects one the state forbids: a single allowed outcome is chosen, several ask.
            choices = [(value, label) for value, label in choices if value in allowed]
            if len(choices) != 1:
                choices = [("", str(_("请选择处理结果"))), *choices]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = choices


class AnswerForm(forms.Form):
    """The provider's answer; with "已更正信息", the record's fields as they should read (prefilled with
    the current version; the key cannot change). For an omission (``omission``), "已报送补录" with the
    missing record's fields (prefilled with what the case says; the document number cannot change) or
    "不予补录" with the reasons."""

    answer = forms.ChoiceField(
        label=_("核查结论"), choices=Objection.Answer.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("核查意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, schema: list[dict[str, Any]], key_field: str, current: dict[str, str],
                 omission: bool = False, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["answer"]).choices = [
            (value, label)
            for value, label in Objection.Answer.choices
            if (value in OMISSION_ANSWERS) == omission
        ]
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
        if omission and schema:
            # A department reporting the kind in several domains names the one (the pipeline's 领域 column).
            self.field_codes.append(DOMAIN_COLUMN)
            self.fields[FIELD_PREFIX + DOMAIN_COLUMN] = forms.CharField(
                label=_("领域（单位在多个领域报送此类信息时填写）"), required=False, max_length=100
            )

    def correction_fields(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + code] for code in self.field_codes]

    def corrected_row(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(FIELD_PREFIX + code, "") or "" for code in self.field_codes}
