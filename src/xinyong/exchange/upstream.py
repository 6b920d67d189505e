"""Sending to the provincial platform (上报省公共信用信息平台): queue, send, retry, dead letters.

Two steps, each safe to run twice, late or in parallel (docs/exchange.md#sending-to-the-provincial-platform):

- ``queue_changes`` follows the feed from the sender's own position (``FeedPosition "upstream"``) and
  claims the records' upstream notices (corrections, revocations, repairs, additions after an
  omission); each becomes one ``Delivery`` with the change's stable id, in the transaction that moves
  the position, so a crash queues nothing twice and loses nothing.
- ``send_due`` claims due deliveries with a conditional update (a lease), posts them in batches, and
  records each answer: accepted or duplicate → acknowledged; rejected → failed (a dead letter);
  no answer, a timeout, 408/429/5xx → retried after an exponential back-off, failed after the last
  attempt. A sender that dies after posting leaves its claim to expire: the next one posts the same ids
  again, and the receiver answers "duplicate".
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q

from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.disclosure.audience import Audience
from xinyong.exchange import errors, feed
from xinyong.exchange.models import Delivery, FeedPosition
from xinyong.records.models import CreditRecord, UpstreamNotice

logger = logging.getLogger(__name__)
POSITION = "upstream"
#: How long a sender holds the deliveries it claimed: longer than one batch can take (timeout included).
LEASE = dt.timedelta(minutes=5)
BACKOFF_CAP = dt.timedelta(hours=6)
ERROR_CHARS = 500
SENDER = Actor.system("上报省平台")


# --- Queueing ---------------------------------------------------------------------------------------------


def queue_changes(*, page_size: int = 1000) -> int:
    """Queue every change the feed holds past the sender's position, and every unclaimed upstream
    notice; returns how many deliveries were added."""
    added = 0
    while True:
        with transaction.atomic():
            position, _ = FeedPosition.objects.select_for_update().get_or_create(
                name=POSITION, defaults={"updated_at": clock.now()}
            )
            page = feed.read(feed.Scope(Audience.STAFF), feed.Cursor(position.txid, position.seq), page_size)
            added += _queue_feed_items(page.items)
            position.txid, position.seq, position.updated_at = page.next.txid, page.next.seq, clock.now()
            position.save(update_fields=["txid", "seq", "updated_at"])
        if not page.more:
            break
    with transaction.atomic():
        added += _queue_notices()
    return added


def _queue_feed_items(items: list[dict[str, Any]]) -> int:
    """Deliveries for the feed's items; a record held for a code check (重错码) goes once corrected."""
    records = {
        r.pk: r
        for r in CreditRecord.objects.filter(pk__in={i["record"] for i in items}).only(
            "pk", "domain_id", "hold"
        )
    }
    now = clock.now()
    rows = [
        Delivery(
            change_id=item["id"],
            record_id=item["record"],
            subject_code=item.get("subject_code") or "",
            domain_id=records[item["record"]].domain_id,
            payload=_jsonable(item),
            next_attempt_at=now,
            created_at=now,
        )
        for item in items
        if item["visible"] and not records[item["record"]].hold
    ]
    return len(Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500))


def _queue_notices() -> int:
    notices = list(
        UpstreamNotice.objects.filter(sent_at=None, delivery__isnull=True).select_related("record")[:5000]
    )
    now = clock.now()
    rows = [
        Delivery(
            change_id=f"n{n.pk}",
            record_id=n.record_id,
            subject_code=n.subject_code,
            domain_id=n.record.domain_id,
            notice=n,
            next_attempt_at=now,
            created_at=now,
            payload=_jsonable(
                {
                    "id": f"n{n.pk}",
                    "type": "notice",
                    "change": n.change,
                    "record": n.record_id,
                    "version": n.version,
                    "subject_code": n.subject_code,
                    "source": n.source,
                    "detail": n.payload,
                    "at": n.created_at,
                }
            ),
        )
        for n in notices
    ]
    return len(Delivery.objects.bulk_create(rows, ignore_conflicts=True))


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))
    return result


# --- Sending ----------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one ``send_due`` run did."""

    sent: int = 0  # deliveries posted (attempts)
    acknowledged: int = 0
    duplicates: int = 0  # acknowledged as already received
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "sent": self.sent, "acknowledged": self.acknowledged, "duplicates": self.duplicates,
            "retrying": self.retrying, "failed": self.failed,
        }  # fmt: skip


class Rejected(Exception):
    """The receiver refused the whole batch for good (a 4xx other than 408 and 429)."""


class Unanswered(Exception):
    """No usable answer: a timeout, a lost connection, 408, 429, a 5xx, or a body that is not the protocol."""


def configured() -> bool:
    return bool(settings.XINYONG_UPSTREAM_URL)


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.XINYONG_UPSTREAM_CA or None)
    if settings.XINYONG_UPSTREAM_CLIENT_CERT:
        context.load_cert_chain(
            settings.XINYONG_UPSTREAM_CLIENT_CERT, keyfile=settings.XINYONG_UPSTREAM_CLIENT_KEY or None
        )
    return context


def _endpoint() -> str:
    """The configured URL: HTTPS, or plain HTTP to this machine only (a test receiver on loopback)."""
    url = settings.XINYONG_UPSTREAM_URL
    parts = urlsplit(url)
    if parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1", "localhost")
    ):
        return url
    raise ImproperlyConfigured("XINYONG_UPSTREAM_URL 须为 https 地址（仅本机测试可用 http://127.0.0.1）")


def post(batch: list[dict[str, Any]], batch_id: str) -> dict[str, dict[str, Any]]:
    """POST one batch; the receiver's result for each change id it answered."""
    url = _endpoint()
    body = json.dumps(
        {
            "sender": settings.XINYONG_UPSTREAM_SENDER,
            "batch": batch_id,
            "sent_at": clock.now(),
            "changes": batch,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Xinyong-Batch": batch_id}
    if settings.XINYONG_UPSTREAM_KEY:
        headers["Authorization"] = f"Bearer {settings.XINYONG_UPSTREAM_KEY}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - checked above
    context = _ssl_context() if url.startswith("https") else None
    try:
        timeout = settings.XINYONG_UPSTREAM_TIMEOUT_SECONDS
        with urllib.request.urlopen(request, timeout=timeout, context=context) as r:  # noqa: S310 - checked above
            answer = json.loads(r.read(10 * 1024 * 1024))
    except urllib.error.HTTPError as refused:
        if refused.code in (408, 429) or refused.code >= 500:
            raise Unanswered(f"HTTP {refused.code}") from refused
        raise Rejected(f"HTTP {refused.code}: {refused.read(300).decode('utf-8', 'replace')}") from refused
    except (OSError, ValueError) as lost:  # timeouts, refused connections, TLS, a body that is not JSON
        raise Unanswered(f"{type(lost).__name__}: {lost}") from lost
    try:
        return {str(r["id"]): r for r in answer["results"] if isinstance(r, dict) and "id" in r}
    except (KeyError, TypeError) as malformed:
        raise Unanswered("应答不符合协议：缺少 results") from malformed


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: BACKOFF × 2^(attempts-1), at most 6 hours."""
    seconds = settings.XINYONG_UPSTREAM_BACKOFF_SECONDS * 2 ** min(max(attempts - 1, 0), 20)
    return min(dt.timedelta(seconds=seconds), BACKOFF_CAP)


def _claim(now: dt.datetime, size: int) -> tuple[str, list[Delivery]]:
    due = Q(state=Delivery.State.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    ids = list(
        Delivery.objects.filter(due).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:size]
    )
    token = uuid.uuid4().hex
    # The conditional update is the claim: a parallel sender that took a row first makes it miss here.
    Delivery.objects.filter(due, pk__in=ids).update(claimed_until=now + LEASE, claim=token)
    return token, list(Delivery.objects.filter(claim=token, state=Delivery.State.PENDING).order_by("pk"))


def send_due(*, now: dt.datetime | None = None, max_batches: int = 1000) -> Outcome:
    """Post every due delivery, a batch at a time; each answer recorded as it comes."""
    outcome = Outcome()
    if not configured():
        return outcome
    for _ in range(max_batches):
        at = now or clock.now()
        token, batch = _claim(at, settings.XINYONG_UPSTREAM_BATCH)
        if not batch:
            break
        _send_batch(token, batch, at, outcome)
    if outcome.sent:
        with transaction.atomic():
            record(
                actor=SENDER, action="exchange.upstream.send", object_type="upstream", detail=outcome.counts()
            )
    return outcome


def _send_batch(token: str, batch: list[Delivery], at: dt.datetime, outcome: Outcome) -> None:
    Delivery.objects.filter(claim=token, first_sent_at__isnull=True).update(first_sent_at=at)
    # The attempt is counted before the post: a sender that dies while posting has still made it.
    Delivery.objects.filter(claim=token).update(last_sent_at=at, attempts=F("attempts") + 1)
    outcome.sent += len(batch)
    for delivery in batch:
        delivery.attempts += 1
    sent = [{**d.payload, "id": d.change_id, "attempt": d.attempts} for d in batch]
    try:
        answers = post(sent, token)
    except Rejected as refused:
        _settle(batch, {}, at, outcome, failed_all=str(refused))
        return
    except Unanswered as lost:
        outcome.errors.append(str(lost))
        _settle(batch, {}, at, outcome, retry_error=str(lost))
        return
    _settle(batch, answers, at, outcome, retry_error="接收方未就该条作答")


def _settle(
    batch: Iterable[Delivery],
    answers: dict[str, dict[str, Any]],
    at: dt.datetime,
    outcome: Outcome,
    *,
    failed_all: str = "",
    retry_error: str = "",
) -> None:
    """Record what happened to each delivery of a batch, in one transaction."""
    with transaction.atomic():
        for d in batch:
            answer = answers.get(d.change_id)
            status = str(answer.get("status", "")) if answer else ""
            d.claimed_until, d.claim = None, ""
            if status in ("accepted", "duplicate"):
                d.state, d.acknowledged_at, d.duplicate = (
                    Delivery.State.ACKNOWLEDGED,
                    at,
                    status == "duplicate",
                )
                d.receipt, d.last_error = str(answer.get("receipt", ""))[:100], ""  # type: ignore[union-attr]
                outcome.acknowledged += 1
                outcome.duplicates += d.duplicate
            elif status == "rejected" or failed_all:
                reason = failed_all or f"接收方拒收：{answer.get('reason', '')}"  # type: ignore[union-attr]
                d.state, d.failed_at, d.last_error = Delivery.State.FAILED, at, reason[:ERROR_CHARS]
                outcome.failed += 1
            elif d.attempts >= settings.XINYONG_UPSTREAM_MAX_ATTEMPTS:
                d.state, d.failed_at = Delivery.State.FAILED, at
                d.last_error = f"已尝试 {d.attempts} 次仍未成功：{retry_error}"[:ERROR_CHARS]
                outcome.failed += 1
            else:
                d.next_attempt_at, d.last_error = at + backoff(d.attempts), retry_error[:ERROR_CHARS]
                outcome.retrying += 1
            d.save(
                update_fields=[
                    "state", "attempts", "next_attempt_at", "claimed_until", "claim", "acknowledged_at", "duplicate",
                    "receipt", "failed_at", "last_error",
                ]
            )  # fmt: skip
        acknowledged_notices = [
            d.notice_id for d in batch if d.notice_id and d.state == Delivery.State.ACKNOWLEDGED
        ]
        UpstreamNotice.objects.filter(pk__in=acknowledged_notices, sent_at=None).update(sent_at=at)


def retry(delivery: Delivery, *, actor: Actor) -> Delivery:
    """Put a dead letter back in the queue now (staff, from the dead-letter page), on the record."""
    with transaction.atomic():
        now = clock.now()
        updated = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.FAILED).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=now, failed_at=None, claimed_until=None
        )
        if updated != 1:
            raise PlatformError(errors.DELIVERY_NOT_FAILED)
        record(
            actor=actor, action="exchange.upstream.retry", subject_code=delivery.subject_code,
            object_type="upstream_delivery", object_id=delivery.change_id, detail={"error": delivery.last_error},
        )  # fmt: skip
    delivery.refresh_from_db()
    return delivery


def run() -> dict[str, int]:
    """Queue what is new and send what is due: the job and ``xinyong exchange send``."""
    queued = queue_changes()
    outcome = send_due()
    return {"queued": queued, **outcome.counts()}
