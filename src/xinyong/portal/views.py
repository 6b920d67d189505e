"""Pages for providers' staff and the centre: upload a file, follow its import, fix what was refused."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.catalog.models import RecordKind
from xinyong.collection import queries
from xinyong.collection.file_templates import write_template
from xinyong.collection.models import Batch, RejectedRow, Rejection
from xinyong.collection.services import start_file_import
from xinyong.collection.tasks import import_batch
from xinyong.core import clock, feedback
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number
from xinyong.core.spreadsheet import XLSX_CONTENT_TYPE
from xinyong.portal.figures import centre_tiles, public_figures, timeliness_chart
from xinyong.portal.forms import UploadForm
from xinyong.portal.models import Notice


def home(request: HttpRequest) -> HttpResponse:
    """The public home: search, the services, the lists, figures as charts, notices and policies, contact."""
    figures = public_figures()
    notices = Notice.objects.filter(is_published=True)
    context = {
        "stats": figures["totals"], "charts": figures["charts"],
        "notices": notices.filter(kind=Notice.Kind.NOTICE)[:5], "policies": notices.filter(kind=Notice.Kind.POLICY)[:5],
        "contact": settings.XINYONG_CONTACT,
    }  # fmt: skip
    return render(request, "portal/home.html", context)


def _visible_batches(request: HttpRequest) -> QuerySet[Batch]:
    """Centre staff see every batch; a provider's staff see their unit's; nobody else any."""
    user = signed_in(request)
    if allowed(user, Action.VIEW_ALL_BATCHES):
        return Batch.objects.all()
    if allowed(user, Action.VIEW_OWN_BATCHES) and user.provider is not None:
        return Batch.objects.filter(provider=user.provider)
    raise Http404


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    batches = _visible_batches(request).select_related("provider").order_by("-pk")
    user = signed_in(request)
    provider = user.provider if allowed(user, Action.UPLOAD_FILES) else None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if provider is None:
            messages.error(request, _("只有信息提供单位的账号可以上传数据。"))
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                with path.open("wb") as out:
                    for block in upload.chunks():
                        out.write(block)
                try:
                    batch = start_file_import(
                        provider,
                        path,
                        filename=upload.name,
                        kind_code=form.cleaned_data["kind"] or None,
                        uploaded_by=request.user,
                    )
                except PlatformError as exc:
                    feedback.refused(request, exc)
                    return redirect("portal:workspace")
            if batch.status != Batch.Status.DONE:
                import_batch.enqueue(batch.pk)
            return redirect("portal:batch", batch_id=batch.pk)
    page = Paginator(batches, 20).get_page(page_number(request.GET.get("page")))
    context: dict[str, object] = {"form": form, "page": page, "provider": provider}
    if provider is not None:  # the templates of the kinds this department may report
        granted = set(provider.grants.values_list("kind_code", flat=True))
        kinds = (
            RecordKind.objects.filter(code__in=granted)
            .order_by("code", "version")
            .values_list("code", "name")
        )
        context["templates"] = dict(kinds)
    if user.kind == User.Kind.CENTRE:  # the centre's home: what waits for it, and how departments keep time
        context["tiles"] = centre_tiles(clock.today())
        context["timeliness"] = timeliness_chart(clock.today())
    return render(request, "portal/workspace.html", context)


def _batch(request: HttpRequest, batch_id: int) -> Batch:
    batch = _visible_batches(request).select_related("provider").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    # A page of refused rows, each with all its reasons (one query for the rows, one for their reasons).
    numbers = (
        RejectedRow.objects.filter(batch=batch).order_by("row_number").values_list("row_number", flat=True)
    )
    page = Paginator(numbers, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    reasons = Rejection.objects.filter(batch=batch, row_number__in=list(page)).order_by("row_number", "id")
    refused = list(queries.refused_rows(batch, reasons, queries.field_names(batch.kind_code)))
    running = batch.status in (Batch.Status.QUEUED, Batch.Status.RUNNING)
    context = {"batch": batch, "page": page, "refused": refused, "running": running}
    return render(request, "portal/batch.html", context)


@login_required
def batch_rejections(request: HttpRequest, batch_id: int, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return queries.rejection_report_response(
        _batch(request, batch_id), fmt, actor=Actor.of_user(signed_in(request))
    )


@login_required
def kind_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The XLSX template of one record kind, with notes on every field, for a department to fill in."""
    if not allowed(signed_in(request), Action.UPLOAD_FILES):
        raise Http404
    found = RecordKind.objects.filter(code=kind).order_by("-version").first()
    if found is None:
        raise Http404
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    write_template(response, found)
    response["Content-Disposition"] = f'attachment; filename="template-{found.code}.xlsx"'
    return response


@login_required
def code_conflicts(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if allowed(user, Action.VIEW_ALL_CODE_CONFLICTS):
        provider = None
    elif allowed(user, Action.VIEW_OWN_CODE_CONFLICTS):
        provider = user.provider
    else:
        raise Http404
    page = Paginator(queries.held_records_queryset(provider), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    kinds = dict(RecordKind.objects.order_by("code", "version").values_list("code", "name"))  # latest wins
    rows = [
        (record, kinds.get(record.kind_code, record.kind_code), queries.code_problem_text(record.subject))
        for record in page
    ]
    return render(request, "portal/code_conflicts.html", {"page": page, "rows": rows})
