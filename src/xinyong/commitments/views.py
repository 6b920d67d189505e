"""Commitment pages: the accepting unit's workspace (record, list with countdowns, overdue, outcomes,
the 告知承诺 check) and the subject's "我的信用承诺"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.commitments import queries, services
from xinyong.commitments.eligibility import Answer, check_for
from xinyong.commitments.forms import BreachForm, CommitmentForm, EligibilityForm, FulfilmentForm
from xinyong.commitments.intake import domains_of
from xinyong.commitments.machine import MACHINE
from xinyong.commitments.models import Commitment
from xinyong.core import clock, feedback
from xinyong.core.calendar import Countdown
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number


def _recorder(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.RECORD_COMMITMENTS):
        raise Http404
    return user


def _own(request: HttpRequest, commitment_id: int) -> tuple[User, Commitment]:
    user = _recorder(request)
    found = queries.accepted_by(user).filter(pk=commitment_id).first()
    if found is None:
        raise Http404
    return user, found


def _with_countdowns(rows: list[Commitment]) -> list[tuple[Commitment, Countdown | None]]:
    today = clock.today()
    calendar = queries.counting_calendar(today)
    return [(c, queries.countdown(c, today, calendar)) for c in rows]


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = _recorder(request)
    accepted = queries.accepted_by(user)
    overdue = accepted.filter(state=Commitment.State.PENDING, deadline__lt=clock.today()).order_by("deadline")
    page = Paginator(accepted.order_by("-made_on", "-pk"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    context = {
        "overdue": _with_countdowns(list(overdue[:100])),
        "rows": _with_countdowns(list(page)),
        "page": page,
    }
    return render(request, "commitments/workspace.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _recorder(request)
    unit, provider = services.party_of(user)
    form = CommitmentForm(request.POST or None, domains=domains_of(unit, provider))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                c = services.record_commitment(actor=user, **form.cleaned_data)
            except PlatformError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.error.status
            else:
                messages.success(request, _("信用承诺已记录，编号 %(n)s。") % {"n": c.number})
                return redirect("commitments:detail", c.pk)
    return render(request, "commitments/new.html", {"form": form}, status=status)


@login_required
def detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    user, c = _own(request, commitment_id)
    context = {
        "c": c,
        "countdown": queries.countdown(c, clock.today()),
        "events": c.events.all(),
        "steps": {t.name for t in MACHINE.available(c.state, user)},
        "fulfilment_form": FulfilmentForm(),
        "breach_form": BreachForm(),
    }
    return render(request, "commitments/detail.html", context)


def _step(request: HttpRequest, commitment_id: int, form_class: type, done: str) -> HttpResponse:
    user, c = _own(request, commitment_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写。"))
        return redirect("commitments:detail", c.pk)
    try:
        if isinstance(form, BreachForm):
            services.record_breach(c, actor=user, **form.cleaned_data)
        else:
            services.record_fulfilment(c, actor=user, **form.cleaned_data)
    except PlatformError as exc:
        feedback.refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("commitments:detail", c.pk)


@login_required
@require_POST
def fulfilment(request: HttpRequest, commitment_id: int) -> HttpResponse:
    return _step(request, commitment_id, FulfilmentForm, _("已记录践诺。"))


@login_required
@require_POST
def breach(request: HttpRequest, commitment_id: int) -> HttpResponse:
    return _step(request, commitment_id, BreachForm, _("已认定违诺，并已形成违反信用承诺失信记录。"))


@login_required
def eligibility(request: HttpRequest) -> HttpResponse:
    """告知承诺核验: may this subject use 告知承诺 today? (audited as a query with its purpose)"""
    user = signed_in(request)
    if not allowed(user, Action.CHECK_NOTIFICATION_COMMITMENT):
        raise Http404
    form = EligibilityForm(request.GET or None)
    answer: Answer | None = None
    status = 200
    if request.GET and form.is_valid():
        try:
            answer = check_for(user, form.cleaned_data["subject"])
        except PlatformError as exc:
            form.add_error("subject", exc.message)
            status = exc.error.status
    return render(request, "commitments/eligibility.html", {"form": form, "answer": answer}, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的信用承诺: a verified subject account's commitments and their outcomes."""
    user = signed_in(request)
    if user.kind != User.Kind.SUBJECT:
        raise Http404
    if not allowed(user, Action.VIEW_OWN_COMMITMENTS):
        return redirect("portal:verify")
    found = queries.of_subject(user.subject_code).order_by("-made_on", "-pk")
    page = Paginator(found, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "commitments/mine.html", {"rows": _with_countdowns(list(page)), "page": page})
