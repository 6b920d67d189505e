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


class AssistForm(forms.Form):
    """Which department to ask, for which domain (the departments granted to report in it)."""

    target = forms.ChoiceField(label=_("协查部门（领域）"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        from xinyong.catalog.models import ProviderGrant

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        pairs = (
            ProviderGrant.objects.filter(provider__active=True)
            .values_list("provider_id", "provider__name", "domain_id", "domain__name")
            .distinct()
            .order_by("domain__number", "provider__name")
        )
        self.fields["target"].choices = [(f"{p}:{d}", f"{pn}（{dn}）") for p, pn, d, dn in pairs]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    findings = forms.CharField(
        label=_("有记录的主体（每行“主体代码,核查情况”；未列出的主体视为经核查无违法违规记录）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=200_000,
    )
    note = forms.CharField(label=_("答复说明"), max_length=2000, required=False)
