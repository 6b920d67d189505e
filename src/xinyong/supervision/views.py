"""Supervision pages: the risk warnings list and page, interviews, the governance ledger (staff and
government), and the subject's own warnings. Pages answer 404 to whoever may not see a thing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number
from xinyong.core.spreadsheet import write_xlsx
from xinyong.records.models import CreditRecord
from xinyong.supervision import interviews as service
from xinyong.supervision import queries
from xinyong.supervision.forms import InterviewForm, OutcomeForm
from xinyong.supervision.models import Interview, RiskWarning


def _reader(request: HttpRequest, action: Action = Action.VIEW_RISK_WARNINGS) -> User:
    user = signed_in(request)
    if not allowed(user, action):
        raise Http404
    return user


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    department = request.GET.get("department", "")[:18]
    state = request.GET.get("state", "")
    state = state if state in RiskWarning.State.values else ""
    rows = queries.filtered(queries.visible_warnings(user), department=department, state=state)
    page = Paginator(rows.prefetch_related("departments"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    context = {
        "page": page,
        "department": department,
        "state": state,
        "states": RiskWarning.State.choices,
        "departments": queries.departments_with_warnings(),
        "query": urlencode({k: v for k, v in (("department", department), ("state", state)) if v}),
    }
    return render(request, "supervision/warnings.html", context)


def _warning(user: User, warning_id: int) -> RiskWarning:
    found = queries.visible_warnings(user).select_related("subject").filter(pk=warning_id).first()
    if found is None:
        raise Http404
    return found


def _may_interview(user: User, warning: RiskWarning) -> bool:
    department = service.department_of(user) if allowed(user, Action.RECORD_INTERVIEWS) else None
    return (
        department is not None
        and warning.state == RiskWarning.State.STANDING
        and warning.departments.filter(pk=department.pk).exists()
    )


@login_required
def warning(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = _reader(request)
    found = _warning(user, warning_id)
    record(actor=Actor.of_user(user), action="risk_warning.view", subject_code=found.subject_code,
           object_type="risk_warning", object_id=found.pk)  # fmt: skip
    return _warning_page(request, user, found, InterviewForm(), 200)


def _warning_page(
    request: HttpRequest, user: User, found: RiskWarning, form: InterviewForm, status: int
) -> HttpResponse:
    context = {
        "w": found,
        "records": found.records.select_related("provider").order_by("-decision_date", "-pk"),
        "departments": found.departments.order_by("name"),
        "interviews": found.interviews.select_related("department").order_by("-held_on", "-pk"),
        "form": form if _may_interview(user, found) else None,
    }
    return render(request, "supervision/warning.html", context, status=status)


@login_required
@require_POST
def interview_on_warning(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = _reader(request, Action.RECORD_INTERVIEWS)
    found = _warning(user, warning_id)
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            interview = service.record_interview(actor=user, warning=found, **form.cleaned_data)
        except PlatformError as exc:
            form.add_error(None, f"{exc.message}（{exc.error.code}）")
            return _warning_page(request, user, found, form, exc.error.status)
        messages.success(request, _("约谈已录入，记入主体信用记录并报送省平台。"))
        return redirect("supervision:interview", interview.pk)
    return _warning_page(request, user, found, form, 400)


@login_required
def interview_on_record(request: HttpRequest, record_id: int) -> HttpResponse:
    """约谈 on a dishonesty record the user's department decided itself (no warning needed)."""
    user = _reader(request, Action.RECORD_INTERVIEWS)
    department = service.department_of(user)
    basis = CreditRecord.objects.select_related("subject").filter(pk=record_id, provider=department).first()
    if department is None or basis is None:
        raise Http404
    form = InterviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                interview = service.record_interview(actor=user, basis=basis, **form.cleaned_data)
            except PlatformError as exc:
                form.add_error(None, f"{exc.message}（{exc.error.code}）")
                status = exc.error.status
            else:
                messages.success(request, _("约谈已录入，记入主体信用记录并报送省平台。"))
                return redirect("supervision:interview", interview.pk)
    return render(request, "supervision/interview_new.html", {"basis": basis, "form": form}, status=status)


def _interview(user: User, interview_id: int) -> Interview:
    found = queries.interviews_visible(user).select_related("subject").filter(pk=interview_id).first()
    if found is None:
        raise Http404
    return found


@login_required
def interview(
    request: HttpRequest, interview_id: int, form: OutcomeForm | None = None, status: int = 200
) -> HttpResponse:
    user = _reader(request)
    found = _interview(user, interview_id)
    steps = {t.name for t in service.MACHINE.available(found.state, user)}
    mine = service.department_of(user) == found.department
    context = {
        "i": found,
        "events": found.events.all(),
        "overdue": found.is_overdue_on(clock.today()),
        "form": (form or OutcomeForm()) if mine and steps else None,
    }
    return render(request, "supervision/interview.html", context, status=status)


@login_required
@require_POST
def outcome(request: HttpRequest, interview_id: int) -> HttpResponse:
    user = _reader(request, Action.RECORD_INTERVIEWS)
    found = _interview(user, interview_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return interview(request, interview_id, form, 400)
    try:
        service.record_outcome(found, actor=user, rectified=form.cleaned_data["outcome"] == "rectified",
                               note=form.cleaned_data["note"])  # fmt: skip
    except PlatformError as exc:
        form.add_error(None, f"{exc.message}（{exc.error.code}）")
        return interview(request, interview_id, form, exc.error.status)
    messages.success(request, _("整改结果已认定。"))
    return redirect("supervision:interview", found.pk)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    user = _reader(request, Action.VIEW_GOVERNANCE_LEDGER)
    statuses = queries.LEDGER_STATUSES
    status = request.GET.get("status", "")
    status = status if status in statuses else ""
    department = service.department_of(user) if allowed(user, Action.RECORD_INTERVIEWS) else None
    subjects = queries.ledger(status, department=department)
    if request.GET.get("format") == "xlsx":
        record(actor=Actor.of_user(user), action="interviews.ledger_export", object_type="ledger",
               detail={"status": status})  # fmt: skip
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="ledger-{clock.today()}.xlsx"'
        header = ["统一社会信用代码/证件号码", "主体名称", "在列名单条目", "名单条目（含已退出）", "约谈次数", "整改完成",
                  "最近约谈日期", "状态"]  # fmt: skip
        rows = (queries.ledger_row(s) for s in subjects.iterator(chunk_size=2000))
        write_xlsx(response, "严重失信主体治理台账", [header, *(
            [r.subject_code, r.subject_name, r.lists_in_force, r.entries, r.interviews, r.rectified,
             r.last_interview, r.status] for r in rows)])  # fmt: skip
        return response
    page = Paginator(subjects, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    context = {
        "page": page,
        "rows": [queries.ledger_row(s) for s in page],
        "status": status,
        "statuses": statuses,
        "query": urlencode({"status": status} if status else {}),
    }
    return render(request, "supervision/ledger.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The subject's own risk warnings and why (records, rule, window), withdrawn ones with their note."""
    user = _reader(request, Action.VIEW_OWN_RISK_WARNINGS)
    own = (
        RiskWarning.objects.filter(subject_code=user.subject_code)
        .order_by("-raised_at", "-pk")
        .prefetch_related(
            Prefetch(
                "records", CreditRecord.objects.select_related("provider").order_by("-decision_date", "-pk")
            ),
            Prefetch("interviews", Interview.objects.select_related("department").order_by("-held_on")),
        )
    )
    return render(request, "supervision/mine.html", {"warnings": own[:100]})
