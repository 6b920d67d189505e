"""Template helpers of the shared page components (docs/ui.md): ``{% load ui %}``.

``ui_field`` renders a form field with its label, hint and errors, and marks the widget for assistive
technology (``aria-invalid``, ``aria-describedby``); ``rule_title`` names a rule by its source document
for people, where the decision stores ``id@version``; ``kind_name`` names a record kind in Chinese.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from xinyong.catalog.models import RecordKind
from xinyong.core import rulebook

register = template.Library()


@register.inclusion_tag("portal/components/field.html")
def ui_field(field: BoundField, **attrs: Any) -> dict[str, Any]:
    """``{% ui_field form.name %}``, optionally with widget attributes (``autocomplete="off"``)."""
    described = [f"{field.id_for_label}-error"] if field.errors else []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    widget_attrs = {key.replace("_", "-"): value for key, value in attrs.items()}
    if field.errors:
        widget_attrs["aria-invalid"] = "true"
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    widget: SafeString = field.as_widget(attrs=widget_attrs)
    return {"field": field, "widget": widget}


@register.filter
def rule_title(ref: str) -> str:
    """The document a rule applies, for people (《厦门市公共信用信息管理办法》, 厦信用办〔2024〕1号); the
    ``id@version`` a decision stores stays for staff and the API."""
    return rulebook.citation(ref)


@register.filter
def kind_name(code: str) -> str:
    """The Chinese name of a record kind code (``penalty`` → 行政处罚); the code itself if unknown."""
    name = RecordKind.objects.filter(code=code).order_by("-version").values_list("name", flat=True).first()
    return name or code
