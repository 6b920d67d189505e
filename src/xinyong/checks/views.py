"""Batch-check pages: the unit's upload and list, a batch's progress (refreshing itself without
JavaScript) and downloads, and the public verification of a printed 协助核查情况统计表."""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.models import Domain, Provider
from xinyong.checks import assists, services
from xinyong.checks.forms import AnswerForm, AssistForm, BatchForm, VerifyForm
from xinyong.checks.models import AssistRequest, BatchCheck
from xinyong.checks.outputs import OUTCOMES
from xinyong.checks.tasks import run_batch_check
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.core.paging import PAGE_SIZE, page_number
from xinyong.reports.signing import check_pdf

MAX_VERIFY_BYTES = 20 * 1024 * 1024


def _officer(request: HttpRequest) -> User:
    user = signed_in(request)
    if not allowed(user, Action.RUN_CHECKS) or user.unit is None:
        raise Http404
    return user


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    assert user.unit is not None
    form = BatchForm(request.POST or None, request.FILES or None, unit_purposes=list(user.unit.purposes))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                with path.open("wb") as out:
                    for block in upload.chunks():
                        out.write(block)
                try:
                    batch = services.submit(user, path, filename=path.name, scenario=form.cleaned_data["scenario"],
                                            purpose=form.cleaned_data["purpose"])  # fmt: skip
                except PlatformError as exc:
                    form.add_error("file", f"{exc.message}（{exc.error.code}）")
                    status = exc.error.status
                else:
                    run_batch_check.enqueue(batch.pk)
                    return redirect("checks:batch", batch_id=batch.pk)
    page = Paginator(services.batches_of(user).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    return render(request, "checks/batches.html", {"form": form, "page": page}, status=status)


def _own(request: HttpRequest, batch_id: int) -> tuple[User, BatchCheck]:
    user = _officer(request)
    batch = services.batches_of(user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return user, batch


@login_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user, found = _own(request, batch_id)
    form = AssistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider_id, domain_id = (int(part) for part in form.cleaned_data["target"].split(":"))
        try:
            sent = assists.send(
                user, found, Domain.objects.get(pk=domain_id), Provider.objects.get(pk=provider_id)
            )
        except PlatformError as exc:
            messages.error(request, f"{exc.message}（{exc.error.code}）")
        else:
            messages.success(
                request,
                _("已发起协查 %(number)s，答复期限 %(due)s。") % {"number": sent.number, "due": sent.due},
            )
        return redirect("checks:batch", batch_id=found.pk)
    running = found.state in (BatchCheck.State.QUEUED, BatchCheck.State.RUNNING)
    outcome = found.counts.get("outcome", {})
    context = {"batch": found, "running": running, "assist_form": form, "today": clock.today(),
               "outcomes": [(label, outcome.get(key, 0)) for key, label in OUTCOMES],
               "assists": found.assists.select_related("provider", "domain").order_by("pk")}  # fmt: skip
    return render(request, "checks/batch.html", context)


def _department(request: HttpRequest) -> tuple[User, int]:
    """The signed-in department clerk and their department (provider) id."""
    user = signed_in(request)
    if not allowed(user, Action.ANSWER_ASSIST) or user.provider_id is None:
        raise Http404
    return user, user.provider_id


@login_required
def assist_inbox(request: HttpRequest) -> HttpResponse:
    _, provider_id = _department(request)
    found = AssistRequest.objects.filter(provider_id=provider_id).select_related("batch__unit", "domain")
    page = Paginator(found.order_by("state", "due", "pk"), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    return render(request, "checks/assists.html", {"page": page, "today": clock.today()})


@login_required
def assist(request: HttpRequest, request_id: int) -> HttpResponse:
    user, provider_id = _department(request)
    found = AssistRequest.objects.filter(pk=request_id, provider_id=provider_id).first()
    if found is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                findings = assists.parse_findings(form.cleaned_data["findings"], set(found.codes))
                assists.answer(user, found, findings=findings, note=form.cleaned_data["note"])
            except PlatformError as exc:
                form.add_error(None, f"{exc.message}（{exc.error.code}）")
                status = exc.error.status
            else:
                messages.success(request, _("已答复协查。"))
                return redirect("checks:assist", request_id=found.pk)
    context = {"request_case": found, "form": form, "codes": found.codes[:500], "today": clock.today()}
    return render(request, "checks/assist.html", context, status=status)


@login_required
def download(request: HttpRequest, batch_id: int, what: str) -> HttpResponseBase:
    user, found = _own(request, batch_id)
    try:
        path = services.download(user, found, what)
    except PlatformError as exc:
        messages.error(request, exc.message)
        return redirect("checks:batch", batch_id=found.pk)
    name = f"核查结果-{found.number}.xlsx" if what == "sheet" else f"协助核查情况统计表-{found.number}.pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a printed or forwarded statistics sheet checks it: by number and verification code,
    or by the PDF itself (the platform's signature, intact, on a file the platform issued)."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    answer: dict[str, object] | None = None
    if request.method == "POST" and form.is_valid():
        found: BatchCheck | None = None
        upload = form.cleaned_data.get("file")
        if upload is not None and upload.size <= MAX_VERIFY_BYTES:
            check = check_pdf(upload.read())
            if check.intact and check.trusted:
                found = (
                    BatchCheck.objects.filter(pdf_sha256=check.sha256)
                    .select_related("unit", "scenario")
                    .first()
                )
            answer = {"ok": found is not None, "problem": check.problem or "文件不是本平台出具的统计表。"}
        else:
            candidate = BatchCheck.objects.filter(number=form.cleaned_data["number"].strip().upper()).first()
            given = form.cleaned_data["code"].strip().upper().encode()
            if candidate is not None and hmac.compare_digest(candidate.verification_code.encode(), given):
                found = candidate
            answer = {"ok": found is not None, "problem": "查无此统计表，或验证码不正确。"}
        answer["batch"] = found if found is not None and found.state == BatchCheck.State.DONE else None
        answer["ok"] = answer["batch"] is not None
    return render(request, "checks/verify.html", {"form": form, "answer": answer})
