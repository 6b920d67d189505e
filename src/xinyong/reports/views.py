"""Report pages: request and list (subjects, grantees, units), a report's page with progress and
download, the departments' confirmation inbox, and public verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.core.paging import page_number
from xinyong.reports import content, services
from xinyong.reports import financial_list as entries
from xinyong.reports.api import MAX_UPLOAD_MB
from xinyong.reports.confirmations import part_records
from xinyong.reports.forms import FinancialListForm, ReferForm, ReportForm, VerifyUploadForm
from xinyong.reports.models import Confirmation, FinancialListEntry, Report
from xinyong.reports.queries import standing, verify_by_number, verify_file
from xinyong.subjects.codes import normalise


def _requester(user: User) -> services.Requester:
    return services.Requester(user, user.get_username())


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """My reports, and the form to request one (for my subject, or another under a grant or purpose)."""
    user = signed_in(request)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = normalise(form.cleaned_data["subject"]) or user.subject_code
        try:
            report = services.request_report(
                _requester(user), code, edition=form.cleaned_data["edition"],
                years=form.cleaned_data["years"], purpose=form.cleaned_data["purpose"],
            )  # fmt: skip
        except PlatformError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            return redirect("reports:detail", number=report.number)
    mine = Report.objects.filter(requested_by=user)
    if user.subject_code and user.verified_at:
        mine = mine | Report.objects.filter(subject_code=user.subject_code)
    page = Paginator(mine.order_by("-requested_at"), 20).get_page(page_number(request.GET.get("page")))
    return render(request, "reports/list.html", {"form": form, "page": page})


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    user = signed_in(request)
    report = get_object_or_404(Report, number=number)
    if not services.may_download(user, report):
        raise Http404
    report = services.settle(report)
    context = {
        "report": report,
        "standing": standing(report),
        "cutoff": content.cutoff_statement(report),
        "confirmations": report.confirmations.select_related("provider").prefetch_related("domains"),
    }
    return render(request, "reports/detail.html", context)


@login_required
def pdf(request: HttpRequest, number: str) -> HttpResponse:
    user = signed_in(request)
    report = get_object_or_404(Report, number=number)
    if not services.may_download(user, report):
        raise Http404
    try:
        data = services.download(report, actor=_requester(user))
    except PlatformError as e:
        messages.error(request, e.message)
        return redirect("reports:detail", number=number)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@login_required
def confirmations(request: HttpRequest) -> HttpResponse:
    """A department's inbox of financial-edition parts to confirm (金融专用版部门确认)."""
    user = signed_in(request)
    if not allowed(user, Action.CONFIRM_REPORT_PART):
        raise Http404
    inbox = (
        Confirmation.objects.filter(provider=user.provider)
        .select_related("report")
        .prefetch_related("domains")
    )
    pending = inbox.filter(state=Confirmation.State.PENDING).order_by("due_on", "report__requested_at")
    answered = Paginator(inbox.exclude(state=Confirmation.State.PENDING).order_by("-answered_at", "-pk"), 20)
    context = {
        "pending": pending,
        "answered": answered.get_page(page_number(request.GET.get("page"))),
        "today": clock.today(),
    }
    return render(request, "reports/confirmations.html", context)


@login_required
def answer(request: HttpRequest, confirmation_id: int) -> HttpResponse:
    """One part to confirm: the department's own records in the report's snapshot (nobody else's), its
    deadline, and the answer (确认 or 请到本单位办理)."""
    user = signed_in(request)
    if not allowed(user, Action.CONFIRM_REPORT_PART):
        raise Http404
    confirmation = get_object_or_404(
        Confirmation.objects.select_related("report", "provider"), pk=confirmation_id, provider=user.provider
    )
    if request.method == "POST":
        confirm = request.POST.get("answer") == "confirm"
        try:
            services.answer_confirmation(
                confirmation, actor=user, confirm=confirm, instructions=request.POST.get("instructions", "")
            )
        except PlatformError as e:
            messages.error(request, e.message)
            return redirect("reports:answer", confirmation_id=confirmation.pk)
        messages.success(request, _("已确认。") if confirm else _("已答复：请到本单位办理。"))
        return redirect("reports:confirmations")
    context = {
        "c": confirmation,
        "records": part_records(confirmation),
        "overdue": confirmation.is_overdue_on(clock.today()),
        "form": ReferForm(),
    }
    return render(request, "reports/confirmation.html", context)


@login_required
def financial_list(request: HttpRequest) -> HttpResponse:
    """The financial bureau keeps the list of companies entitled to the financial edition."""
    user = signed_in(request)
    if not allowed(user, Action.MANAGE_FINANCIAL_LIST):
        raise Http404
    form = FinancialListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entries.put_entry(data["subject_code"], data["name"], data["reason"], actor=Actor.of_user(user))
        except PlatformError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("已列入名单。"))
            return redirect("reports:financial_list")
    listed = FinancialListEntry.objects.order_by("-active", "-added_at")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(request, "reports/financial_list.html", {"form": form, "page": page})


@login_required
@require_POST
def financial_list_remove(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in(request)
    if not allowed(user, Action.MANAGE_FINANCIAL_LIST):
        raise Http404
    try:
        entries.remove_entry(code, actor=Actor.of_user(user))
    except PlatformError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已移出名单。"))
    return redirect("reports:financial_list")


def verify(request: HttpRequest) -> HttpResponse:
    """Public verification (报告核验) by number and code, or by uploading the PDF."""
    number, code = request.GET.get("number", "")[:40], request.GET.get("code", "")[:20]
    answer, upload = None, VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if upload.is_valid() and upload.cleaned_data["file"].size <= MAX_UPLOAD_MB * 1024 * 1024:
            answer = verify_file(upload.cleaned_data["file"].read())
        else:
            upload.add_error(
                "file", _("请上传本平台出具的报告 PDF 文件（不超过 %(mb)s MB）。") % {"mb": MAX_UPLOAD_MB}
            )
    elif number:
        answer = verify_by_number(number, code)
    status = 404 if answer is not None and answer.status == "unknown" else 200
    context = {"number": number, "code": code, "answer": answer, "upload": upload}
    return render(request, "reports/verify.html", context, status=status)
