"""The auditor's page: the chain's state, verification on demand, exports for regulators."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit import export
from xinyong.audit.models import AuditHead
from xinyong.audit.services import Actor
from xinyong.audit.verify import verify_chain


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("格式"), choices=[("csv", "CSV"), ("json", "JSON")])
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=_("信用主体代码"), required=False, max_length=40)


def _auditor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not allowed(user, Action.EXPORT_AUDIT):
        raise Http404
    return user


@login_required
def audit_home(request: HttpRequest) -> HttpResponse:
    _auditor(request)
    result = verify_chain() if request.method == "POST" else None
    context = {"head": AuditHead.objects.get(pk=1), "result": result, "form": ExportForm()}
    return render(request, "portal/audit.html", context)


@login_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = _auditor(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request, "portal/audit.html", {"head": AuditHead.objects.get(pk=1), "form": form}, status=400
        )
    data = form.cleaned_data
    selection = export.Selection.of_days(data["since"], data["until"], data["subject"] or "")
    fmt = data["format"]
    _, chunks = export.open_export(
        selection, fmt, actor=Actor.of_user(user), detail={"since": data["since"], "until": data["until"]}
    )
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="audit-trail.{fmt}"'
    return response
