"""信用监测 (credit monitoring): accounts follow subjects and hear of each change they may see.

- ``follow`` / ``unfollow``: one code or a file's worth (set-based: one query to check them all).
- ``watch_changes`` follows the feed from its own position (``FeedPosition "watch"``) and, for each
  change to a followed subject that the follower may see (the follower's own audience through the read
  path: itself for its own subject, the public otherwise), leaves an in-app notice, queues a webhook
  call if the follower registered one, and sends each follower one email digest for the run (the daily
  job ``exchange-watch``).
- ``send_webhooks`` posts due calls, signed (``exchange.signing``), retried with the same back-off as
  the upstream sender, each attempt in the delivery log (``WebhookCall``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.accounts.notify import notify
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.disclosure.audience import Audience
from xinyong.exchange import errors, feed, signing
from xinyong.exchange.models import FeedPosition, Watch, Webhook, WebhookCall
from xinyong.exchange.upstream import backoff
from xinyong.subjects.models import Subject

POSITION = "watch"
MAX_CODES = 5000
TIMEOUT_SECONDS = 10


def follow(user: User, codes: Iterable[str]) -> int:
    """Follow each subject of ``codes`` (blank lines ignored); refuses the whole list, naming the first
    unknown code, and adds nothing then. Returns how many were newly followed."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if len(wanted) > MAX_CODES:
        raise PlatformError(errors.WATCH_TOO_MANY, field="codes", limit=MAX_CODES)
    known = set(Subject.objects.filter(code__in_set=set(wanted)).values_list("code", flat=True))
    for row, code in enumerate(wanted, start=1):
        if code not in known:
            raise PlatformError(errors.WATCH_UNKNOWN_SUBJECT, field="codes", row=row, item=row, code=code)
    now = clock.now()
    with transaction.atomic():
        before = Watch.objects.filter(user=user).count()
        Watch.objects.bulk_create(
            [Watch(user=user, subject_code=code, created_at=now) for code in dict.fromkeys(wanted)],
            ignore_conflicts=True,
        )
        added = Watch.objects.filter(user=user).count() - before
        record(
            actor=Actor.of_user(user),
            action="exchange.watch.follow",
            detail={"codes": wanted, "added": added},
        )
    return added


def unfollow(user: User, code: str) -> bool:
    with transaction.atomic():
        removed = Watch.objects.filter(user=user, subject_code=code.strip().upper()).delete()[0] > 0
        if removed:
            record(
                actor=Actor.of_user(user), action="exchange.watch.unfollow", subject_code=code.strip().upper()
            )
    return removed


def register_webhook(user: User, url: str) -> str:
    """Set the follower's webhook; returns the new secret, shown this once."""
    if urlsplit(url).scheme != "https" and not url.startswith("http://127.0.0.1"):
        raise PlatformError(errors.WEBHOOK_URL, field="url")
    secret = signing.new_secret()
    Webhook.objects.update_or_create(
        user=user,
        defaults={
            "url": url,
            "secret_encrypted": signing.seal(secret),
            "created_at": clock.now(),
            "active": True,
        },
    )
    return secret


def _audience(user: User, subject_code: str) -> Audience:
    """The follower sees a change as the read path shows it to them without stating a purpose."""
    return Audience.SELF if user.subject_code == subject_code and user.verified_at else Audience.PUBLIC


def watch_changes(*, page_size: int = 1000) -> dict[str, int]:
    """Tell followers of the changes since the last run; see the module docstring."""
    counts = {"changes": 0, "notices": 0, "webhook_calls": 0, "digests": 0}
    digest: dict[int, list[str]] = defaultdict(list)
    users: dict[int, User] = {}
    while True:
        with transaction.atomic():
            position, _ = FeedPosition.objects.select_for_update().get_or_create(
                name=POSITION, defaults={"updated_at": clock.now()}
            )
            cursor = feed.Cursor(position.txid, position.seq)
            page = feed.read(feed.Scope(Audience.STAFF), cursor, page_size)
            codes = {i.get("subject_code") for i in page.items if i.get("subject_code")}
            watches = list(Watch.objects.filter(subject_code__in_set=codes).select_related("user__webhook"))
            if watches:
                _tell(page, cursor, watches, counts, digest, users)
            position.txid, position.seq, position.updated_at = page.next.txid, page.next.seq, clock.now()
            position.save(update_fields=["txid", "seq", "updated_at"])
        if not page.more:
            break
    mails = [
        (
            f"[信用平台] 信用监测日报：{len(lines)} 条变更",
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [users[u].email],
        )
        for u, lines in digest.items()
        if users[u].email
    ]
    if mails:
        send_mass_mail(mails, fail_silently=True)
    counts["digests"] = len(mails)
    return counts


def _tell(
    page: feed.Page,
    cursor: feed.Cursor,
    watches: list[Watch],
    counts: dict[str, int],
    digest: dict[int, list[str]],
    users: dict[int, User],
) -> None:
    """Notices and webhook calls for one page: each follower gets the changes its audience may see,
    read again through the read path as that audience (one read per audience in the page)."""
    followers: dict[str, list[Watch]] = defaultdict(list)
    for w in watches:
        followers[w.subject_code].append(w)
    views: dict[Audience, dict[str, dict[str, Any]]] = {}
    for audience in {_audience(w.user, w.subject_code) for w in watches}:
        read = feed.read(feed.Scope(audience), cursor, len(page.items) or 1)
        views[audience] = {i["id"]: i for i in read.items if i["visible"]}
    now = clock.now()
    calls: list[WebhookCall] = []
    per_user: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in page.items:
        counts["changes"] += 1
        for w in followers.get(item.get("subject_code") or "", []):
            seen = views[_audience(w.user, w.subject_code)].get(item["id"])
            if seen is None:
                continue
            users[w.user_id] = w.user
            per_user[w.user_id].append(seen)
            hook = getattr(w.user, "webhook", None)
            if hook is not None and hook.active:
                body = json.loads(json.dumps({"event": "change", "change": seen}, cls=DjangoJSONEncoder))
                calls.append(
                    WebhookCall(
                        webhook=hook,
                        change_id=seen["id"],
                        cursor=seen["cursor"],
                        body=body,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
    for user_id, seen_items in per_user.items():
        lines = [f"{i['subject_name']}：{i['type']} {i.get('key') or ''}（{i['state']}）" for i in seen_items]
        notify(
            [users[user_id]],
            title=f"信用监测：{len(lines)} 条新变更",
            body="\n".join(lines[:20]),
            email=False,
        )
        digest[user_id] += lines
        counts["notices"] += 1
    counts["webhook_calls"] += len(WebhookCall.objects.bulk_create(calls, ignore_conflicts=True))


def send_webhooks(*, max_calls: int = 10_000) -> dict[str, int]:
    """Post every due webhook call once; returns delivered / retrying / failed counts."""
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    now = clock.now()
    due = WebhookCall.objects.filter(state=WebhookCall.State.PENDING, next_attempt_at__lte=now)
    for call in due.select_related("webhook").order_by("next_attempt_at", "pk")[:max_calls]:
        # Claimed by a conditional update, so a parallel sender does not post it too.
        claimed = WebhookCall.objects.filter(
            Q(pk=call.pk, state=WebhookCall.State.PENDING, attempts=call.attempts)
        ).update(attempts=call.attempts + 1)
        if claimed != 1:
            continue
        call.attempts += 1
        status, error = _post(call)
        call.status_code = status
        if status is not None and 200 <= status < 300:
            call.state, call.delivered_at, call.last_error = WebhookCall.State.DELIVERED, now, ""
            counts["delivered"] += 1
        elif call.attempts >= settings.XINYONG_UPSTREAM_MAX_ATTEMPTS:
            call.state, call.last_error = WebhookCall.State.FAILED, error[:500]
            counts["failed"] += 1
        else:
            call.next_attempt_at, call.last_error = now + backoff(call.attempts), error[:500]
            counts["retrying"] += 1
        call.save(update_fields=["state", "delivered_at", "status_code", "last_error", "next_attempt_at"])
    return counts


def _post(call: WebhookCall) -> tuple[int | None, str]:
    body = json.dumps(call.body, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(clock.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        signing.HEADER: signing.signature(signing.unseal(call.webhook.secret_encrypted), timestamp, body),
        "X-Xinyong-Delivery": f"{call.change_id}.{call.attempts}",
    }
    request = urllib.request.Request(call.webhook.url, data=body, headers=headers, method="POST")  # noqa: S310 - https or loopback, checked when registered
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as refused:
        return refused.code, f"HTTP {refused.code}"
    except OSError as lost:
        return None, f"{type(lost).__name__}: {lost}"


def run() -> dict[str, int]:
    """The daily job and ``xinyong exchange watch``: tell followers, then post their webhooks."""
    return {**watch_changes(), **send_webhooks()}
