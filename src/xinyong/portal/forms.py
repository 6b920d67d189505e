from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.collection.readers import FORMATS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("数据文件"), help_text=_("CSV、XLSX 或 JSON Lines，首行为中文表头或字段代码")
    )
    kind = forms.ChoiceField(label=_("信息事项"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = RecordKind.objects.order_by("code").values_list("code", "name").distinct()
        self.fields["kind"].choices = [("", _("按表头自动识别")), *kinds]  # type: ignore[attr-defined]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError(_("不支持的文件格式，请上传 CSV、XLSX 或 JSON Lines 文件。"))
        return upload


class PublicListForm(forms.Form):
    """The filters of a public list (双公示, red and black lists): all optional; a reversed date range
    is refused with a message rather than answered with an empty list."""

    name = forms.CharField(label=_("行政相对人名称"), required=False, max_length=100)
    number = forms.CharField(label=_("文号/编号"), required=False, max_length=128)
    provider = forms.TypedChoiceField(label=_("信息提供单位"), required=False, coerce=int, empty_value=None)
    domain = forms.TypedChoiceField(label=_("领域"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        domains = Domain.objects.order_by("number").values_list("number", "name")
        self.fields["domain"].choices = [("", _("全部领域")), *((n, f"{n} {name}") for n, name in domains)]  # type: ignore[attr-defined]
        providers = Provider.objects.order_by("name").values_list("pk", "name")
        self.fields["provider"].choices = [("", _("全部单位")), *providers]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("结束日期早于开始日期，请调换或重新选择。"))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as ``disclosure.queries.public_list`` takes them."""
        c = self.cleaned_data
        return {
            "name": c.get("name", "").strip(), "number": c.get("number", "").strip(),
            "provider": c.get("provider"), "domain": c.get("domain"), "since": c.get("since"),
            "until": c.get("until"),
        }  # fmt: skip
