"""The notification inbox (站内消息) of any signed-in account: a list and "mark as read".

Every workflow (objections, repairs, commitments, reports) writes messages through ``accounts.notify``;
the inbox belongs to the portal, beside the account page. Marking read is the account's own bookkeeping, so it is not on the audit trail.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinyong.accounts.http import signed_in
from xinyong.accounts.models import Notification, User
from xinyong.core import clock
from xinyong.core.paging import MAX_ID, page_number, whole_number

PAGE_SIZE = 30


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one message (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=clock.now())


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    notes = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    page = Paginator(notes, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    user = signed_in(request)
    if not raw:
        mark_read(user)
    elif (
        one := whole_number(raw, maximum=MAX_ID)
    ) is not None:  # an id that is not a number marks nothing, not all
        mark_read(user, one)
    return redirect("portal:notifications")
