"""Repair pages (信用修复): the subject's eligibility list, application form and cases; the city and
provincial reviewers' queues and case pages. Views authenticate, validate, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.cases import evidence
from xinyong.catalog.models import Category
from xinyong.core import clock, feedback
from xinyong.core.calendar import WorkingCalendar, countdown
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.core.paging import page_number
from xinyong.disclosure.queries import own_record, read_subject
from xinyong.records.models import CreditRecord
from xinyong.repairs import queries, services
from xinyong.repairs.eligibility import eligibility
from xinyong.repairs.forms import ApplyForm, DecisionForm
from xinyong.repairs.models import RepairApplication
from xinyong.repairs.rules import DEADLINES, STOPS_SHARING
from xinyong.repairs.workflow import MACHINE

DECISIONS = {
    "city_approve": services.city_approve,
    "provincial_approve": services.provincial_approve,
}
REJECTIONS = {
    "city_reject": services.city_reject,
    "provincial_reject": services.provincial_reject,
}


def _subject(request: HttpRequest) -> User | None:
    """The signed-in subject account that may apply; None sends it to real-name verification."""
    user = signed_in(request)
    if user.kind != User.Kind.SUBJECT:
        raise Http404
    return user if allowed(user, Action.REPAIRS_APPLY) else None


def _own_record(user: User, record_id: int) -> CreditRecord:
    record = own_record(user, record_id)
    if record is None:
        raise Http404
    return record


def _case(request: HttpRequest, number: str) -> tuple[User, RepairApplication]:
    """The case if the signed-in user may see it (its subject, or centre staff); else 404."""
    user = signed_in(request)
    application = (
        RepairApplication.objects.select_related("record__subject", "applicant").filter(number=number).first()
    )
    if application is None:
        raise Http404
    own = allowed(user, Action.REPAIRS_APPLY) and application.subject_code == user.subject_code
    if not (own or allowed(user, Action.REPAIRS_VIEW_ALL)):
        raise Http404
    return user, application


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My dishonesty records with whether each may be repaired now, and my applications."""
    user = _subject(request)
    if user is None:
        return redirect("portal:verify")
    today = clock.today()
    try:
        view = read_subject(user, user.subject_code)
    except PlatformError as missing:  # a verified subject not in the register yet: it has no records
        if missing.error is not NOT_FOUND:
            raise
        ids = []
    else:
        ids = [r.record_id for r in view.records if r.category == Category.DISHONESTY]
    records = CreditRecord.objects.filter(pk__in=ids, subject_code=user.subject_code)
    record_page, judged = queries.judged(
        records.order_by("-decision_date", "pk"), page_number(request.GET.get("rpage")), today
    )
    page = queries.own(user.subject_code, page_number(request.GET.get("page")))
    rows = queries.rows(page, today, WorkingCalendar.load())
    context = {
        "judged": judged, "record_page": record_page, "page": page, "rows": rows, "today": today,
        "steps": DEADLINES.on(today).value,
        "stops_sharing": STOPS_SHARING.on(today).value,
    }  # fmt: skip
    return render(request, "repairs/home.html", context)


@login_required
def apply(request: HttpRequest, record_id: int) -> HttpResponse:
    """Eligibility of one record explained, and the application form with the commitment letter."""
    user = _subject(request)
    if user is None:
        return redirect("portal:verify")
    record = _own_record(user, record_id)
    today = clock.today()
    form = ApplyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply_for_repair(
                record, actor=user, obligations_statement=form.cleaned_data["obligations_statement"],
                committed=form.cleaned_data["committed"], uploads=request.FILES.getlist("evidence"),
                training_certificate=request.FILES.get("training_certificate"),
            )  # fmt: skip
        except PlatformError as exc:
            feedback.refused(request, exc)
            status = exc.error.status
        else:
            messages.success(request, f"信用修复申请 {application.number} 已提交。")
            return redirect("repairs:case", number=application.number)
    context = {
        "record": record, "result": eligibility(record, today), "form": form,
        "letter": services.commitment_letter(record, today),
    }  # fmt: skip
    return render(request, "repairs/apply.html", context, status=status)


def _render_case(
    request: HttpRequest, user: User, application: RepairApplication, status: int = 200
) -> HttpResponse:
    today = clock.today()
    due = application.step_due()
    context = {
        "application": application,
        "events": application.events.all(),
        "files": application.attachments.all(),
        "countdown": countdown(due, today, WorkingCalendar.load()) if due else None,
        "actions": [t for t in MACHINE.available(application.state, user) if t.name != "submit"],
        "form": DecisionForm(),
        "state_label": MACHINE.states[application.state],
    }
    return render(request, "repairs/case.html", context, status=status)


@login_required
def case(request: HttpRequest, number: str) -> HttpResponse:
    user, application = _case(request, number)
    services.record_view(application, user)
    return _render_case(request, user, application)


@login_required
@require_POST
def decide(request: HttpRequest, number: str, verb: str) -> HttpResponse:
    """A reviewer's step: approve (after confirming in the browser) or reject with reasons."""
    user, application = _case(request, number)
    if verb not in DECISIONS and verb not in REJECTIONS:
        raise Http404
    form = DecisionForm(request.POST)
    reasons = form.cleaned_data["reasons"] if form.is_valid() else ""
    try:
        if verb in DECISIONS:
            DECISIONS[verb](application, actor=user, note=reasons)
        else:
            REJECTIONS[verb](application, actor=user, reasons=reasons)
    except PlatformError as exc:
        feedback.refused(request, exc)
        application.refresh_from_db()
        return _render_case(request, user, application, status=exc.error.status)
    messages.success(request, f"已办理：{MACHINE.transitions[verb].label}")
    return redirect("repairs:case", number=application.number)


@login_required
def attachment(request: HttpRequest, number: str, attachment_id: int) -> HttpResponseBase:
    """One evidence file, as a download (never inline), its read audited (cases.evidence.serve)."""
    user, application = _case(request, number)
    item = application.attachments.filter(pk=attachment_id).first()
    return evidence.serve(item, reader=user, case=application.number)


def _queue(request: HttpRequest, action: Action, which: str) -> HttpResponse:
    user = signed_in(request)
    if not allowed(user, action):
        raise Http404
    today = clock.today()
    calendar = WorkingCalendar.load()
    pick = queries.city_queue if which == "city" else queries.provincial_queue
    page = pick(page_number(request.GET.get("page")))
    overdue = pick(1, overdue_on=today)
    context = {
        "which": which, "page": page, "rows": queries.rows(page, today, calendar),
        "overdue": queries.rows(overdue, today, calendar), "overdue_total": overdue.paginator.count,
    }  # fmt: skip
    return render(request, "repairs/queue.html", context)


@login_required
def city_queue(request: HttpRequest) -> HttpResponse:
    """市级初审 queue, with countdowns and the overdue list."""
    return _queue(request, Action.REPAIRS_REVIEW_CITY, "city")


@login_required
def provincial_queue(request: HttpRequest) -> HttpResponse:
    """省级复核 queue."""
    return _queue(request, Action.REPAIRS_REVIEW_PROVINCE, "province")
