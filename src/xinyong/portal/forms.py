from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import RecordKind
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
