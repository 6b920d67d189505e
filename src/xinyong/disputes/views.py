"""Pages of the objection workflow: the subject files and follows, the provider answers, the centre
handles. Each view: authenticate → validate → call the service → render (refusals keep their status)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.cases import evidence
from xinyong.catalog.models import Provider, RecordKind
from xinyong.collection.services import kind_in_force
from xinyong.core import clock, feedback
from xinyong.core.errors import PlatformError
from xinyong.core.paging import page_number
from xinyong.disclosure.queries import own_record
from xinyong.disputes import deadlines, queries, services
from xinyong.disputes.forms import AnswerForm, CloseForm, ForwardForm, ObjectionForm, OmissionForm
from xinyong.disputes.models import Objection
from xinyong.disputes.workflow import MACHINE
from xinyong.records.models import CreditRecord, RecordVersion, UpstreamNotice
from xinyong.subjects.models import Subject

PAGE_SIZE = 30


def _require(request: HttpRequest, action: Action) -> User:
    user = signed_in(request)
    if not allowed(user, action):
        raise Http404
    return user


def _case(request: HttpRequest, number: str) -> tuple[User, Objection]:
    user = signed_in(request)
    try:
        return user, queries.case_for(user, number)
    except PlatformError as exc:
        raise Http404 from exc


def _page(request: HttpRequest, cases: QuerySet[Objection]) -> dict[str, Any]:
    page = Paginator(cases, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return {"page": page, "rows": queries.with_countdowns(list(page.object_list))}


# --- subject ------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _require(request, Action.FILE_OBJECTION)
    cases = queries.visible_to(user).order_by("-accepted_at")
    return render(request, "disputes/mine.html", _page(request, cases))


@login_required
def file(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _require(request, Action.FILE_OBJECTION)
    record = own_record(user, record_id)
    if record is None:
        raise Http404
    open_case = Objection.objects.filter(record=record).exclude(state=Objection.State.CLOSED).first()
    if open_case is not None:
        messages.info(request, _("该记录已有正在办理的异议。"))
        return redirect("disputes:case", number=open_case.number)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.file_objection(
                actor=user, record=record, files=request.FILES.getlist("attachments"), **form.cleaned_data
            )
        except PlatformError as exc:
            feedback.refused(request, exc)
            status = exc.error.status
        else:
            messages.success(request, _("异议申请已受理。"))
            return redirect("disputes:case", number=objection.number)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "record": record,
        "fields": _fields(_current(record)),
        "steps": deadlines.rule_for(clock.today()).value,
        "max_files": services.MAX_ATTACHMENTS,
    }
    return render(request, "disputes/file.html", context, status=status)


@login_required
def file_omission(request: HttpRequest) -> HttpResponse:
    """报告信息遗漏: a record the subject holds a document for is not on the platform."""
    user = _require(request, Action.FILE_OBJECTION)
    form = OmissionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.file_omission(
                actor=user, files=request.FILES.getlist("attachments"), **form.cleaned_data
            )
        except PlatformError as exc:
            feedback.refused(request, exc)
            status = exc.error.status
        else:
            messages.success(request, _("遗漏异议已受理。"))
            return redirect("disputes:case", number=objection.number)
    elif request.method == "POST":
        status = 400
    today = clock.today()
    context = {
        "form": form,
        "providers": Provider.objects.filter(active=True).values_list("name", flat=True),
        "kinds": sorted({k.name for k in RecordKind.objects.all() if k.in_force_on(today)}),
        "steps": deadlines.rule_for(today).value,
        "max_files": services.MAX_ATTACHMENTS,
    }
    return render(request, "disputes/file_omission.html", context, status=status)


def _kind_name(code: str) -> str:
    return (
        RecordKind.objects.filter(code=code).order_by("-version").values_list("name", flat=True).first()
        or code
    )


def _current(record: CreditRecord) -> RecordVersion:
    return RecordVersion.objects.get(record=record, version=record.latest_version)


def _fields(version: RecordVersion) -> list[tuple[str, str]]:
    """The version's values under their Chinese field names (the subject sees its own record unmasked)."""
    names = {f["code"]: f["name"] for f in RecordKind.objects.get(pk=version.kind_id).schema}
    return [(names.get(code, code), value) for code, value in version.data.items()]


# --- the case page and the centre's steps ----------------------------------------------------------------


def _render_case(request: HttpRequest, user: User, objection: Objection, status: int = 200) -> HttpResponse:
    [row] = queries.with_countdowns([objection])
    closable = services.closing_outcomes(objection)
    context = {
        "row": row,
        "o": objection,
        "events": queries.timeline(objection),
        "files": objection.attachments.order_by("pk"),
        "steps": {t.name for t in MACHINE.available(objection.state, user)},
        "forward_form": ForwardForm(),
        "close_form": CloseForm(omission=objection.is_omission, allowed=closable),
        "closable": bool(closable),
        "is_provider": user.provider_id is not None and user.provider_id == objection.provider_id,
        "kind_name": _kind_name(objection.omitted_kind_code) if objection.is_omission else "",
        "arrived": objection.arrived_record(),
        "disputed": _disputed_fields(objection),
    }
    return render(request, "disputes/case.html", context, status=status)


def _disputed_fields(objection: Objection) -> list[tuple[str, str]]:
    """The record as it read when objected to, to set beside the correction the applicant asks for."""
    if objection.record is None or objection.version_objected is None:
        return []
    version = RecordVersion.objects.filter(
        record=objection.record, version=objection.version_objected
    ).first()
    return _fields(version) if version is not None else []


@login_required
def case(request: HttpRequest, number: str) -> HttpResponse:
    user, objection = _case(request, number)
    services.record_read(objection, reader=user)
    return _render_case(request, user, objection)


def _step(request: HttpRequest, number: str, make_form: Any, verb: Any, done: Any = None) -> HttpResponse:
    """One centre step from the case page; ``done(objection)`` says what happened (default 已办理)."""
    user, objection = _case(request, number)
    form = make_form(request.POST, objection)
    if not form.is_valid():
        messages.error(request, _("请完整填写。"))
        return _render_case(request, user, objection, status=400)
    try:
        objection = verb(objection, actor=user, **form.cleaned_data)
    except PlatformError as exc:
        feedback.refused(request, exc)
        objection.refresh_from_db()
        return _render_case(request, user, objection, status=exc.error.status)
    messages.success(request, done(objection) if done else _("已办理。"))
    return redirect("disputes:case", number=number)


@login_required
@require_POST
def forward(request: HttpRequest, number: str) -> HttpResponse:
    def done(o: Objection) -> str:
        return _("已转交%(provider)s核查，请其于 %(due)s 前反馈。") % {
            "provider": o.provider.name,
            "due": f"{o.provider_due:%Y-%m-%d}",
        }

    return _step(request, number, lambda data, _: ForwardForm(data), services.forward_objection, done)


@login_required
@require_POST
def close(request: HttpRequest, number: str) -> HttpResponse:
    return _step(
        request, number, lambda data, o: CloseForm(data, omission=o.is_omission), services.close_objection
    )


@login_required
def attachment(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    user, objection = _case(request, number)
    item = objection.attachments.filter(pk=attachment_id).first()
    return evidence.serve(item, reader=user, case=objection.number)


# --- provider -----------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _require(request, Action.ANSWER_OBJECTION)
    cases = queries.visible_to(user).order_by("state", "provider_due", "pk")
    context = _page(request, cases) | {"steps": deadlines.rule_for(clock.today()).value}
    return render(request, "disputes/inbox.html", context)


@login_required
def answer(request: HttpRequest, number: str) -> HttpResponse:
    user, objection = _case(request, number)
    if not allowed(user, Action.ANSWER_OBJECTION):
        raise Http404
    if request.method != "POST":
        services.record_read(objection, reader=user)
    arrived = objection.arrived_record()
    form = _answer_form(request, objection, arrived)
    status = 200
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["answer"]
        fields = form.corrected_row()
        try:
            services.answer_objection(
                objection, actor=user, answer=answer, reasons=form.cleaned_data["reasons"],
                corrected=fields if answer == Objection.Answer.CORRECTED else None,
                supplied=fields if answer == Objection.Answer.SUPPLIED else None,
            )  # fmt: skip
        except PlatformError as exc:
            feedback.refused(request, exc)
            status = exc.error.status
        else:
            messages.success(request, _("核查结果已反馈信用中心。"))
            return redirect("disputes:case", number=number)
    elif request.method == "POST":
        status = 400
    [row] = queries.with_countdowns([objection])
    context = {"form": form, "o": objection, "row": row, "arrived": arrived}
    if objection.is_omission:
        context["kind_name"] = _kind_name(objection.omitted_kind_code)
    return render(request, "disputes/answer.html", context, status=status)


def _answer_form(request: HttpRequest, objection: Objection, arrived: CreditRecord | None) -> AnswerForm:
    """The answer form: the record's fields to correct, or for an omission the missing record's fields
    to submit, prefilled from the case (none once the department's record has arrived: it is linked)."""
    data = request.POST or None
    if objection.record is not None:
        version = _current(objection.record)
        kind = RecordKind.objects.get(pk=version.kind_id)
        return AnswerForm(data, schema=kind.schema, key_field=kind.key_field, current=version.data)
    if arrived is not None:
        return AnswerForm(data, schema=[], key_field="", current={}, omission=True)
    # The schema in force today: the row goes through today's intake pipeline.
    try:
        omitted = kind_in_force(objection.omitted_kind_code, clock.today())
    except PlatformError:  # the kind was retired since filing: the department can still answer why not
        return AnswerForm(data, schema=[], key_field="", current={}, omission=True)
    current = _omission_row(objection, omitted)
    return AnswerForm(
        data, schema=omitted.schema, key_field=omitted.key_field, current=current, omission=True
    )


def _omission_row(objection: Objection, kind: RecordKind) -> dict[str, str]:
    """What the case already says about the missing record, under the kind's field codes."""
    row = {
        kind.key_field: objection.omitted_key,
        kind.decision_date_field: f"{objection.omitted_date:%Y-%m-%d}",
    }
    subject = Subject.objects.filter(code=objection.subject_code).first()
    roles = kind.subject_fields
    if subject is not None:
        row[roles.get("name", "")] = subject.name
        row[roles.get("category", "")] = subject.get_kind_display()
        row[roles.get("legal_representative", "")] = subject.legal_representative
    code_role = "id_number" if subject is not None and subject.is_person else "uscc"
    row[roles.get(code_role, "")] = objection.subject_code
    row.pop("", None)
    return row


# --- centre -------------------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest, overdue_only: bool = False) -> HttpResponse:
    user = _require(request, Action.HANDLE_OBJECTIONS)
    cases = queries.visible_to(user)
    state = request.GET.get("state", "open")
    if state == "open":
        cases = cases.exclude(state=Objection.State.CLOSED)
    elif state in Objection.State.values:
        cases = cases.filter(state=state)
    if overdue_only or request.GET.get("overdue"):
        cases = queries.overdue(cases, clock.today())
    context = _page(request, cases.order_by("overall_due", "pk"))
    context |= {"state": state, "states": Objection.State.choices, "overdue_only": overdue_only}
    return render(request, "disputes/queue.html", context)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    return queue(request, overdue_only=True)


@login_required
def upstream(request: HttpRequest) -> HttpResponse:
    _require(request, Action.HANDLE_OBJECTIONS)
    notices = UpstreamNotice.objects.select_related("record").order_by("-created_at", "-pk")
    page = Paginator(notices, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "disputes/upstream.html", {"page": page})
