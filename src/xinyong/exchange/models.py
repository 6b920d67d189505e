"""Data exchange (数据交换): the change log the feed reads, and what is sent to the provincial platform.

``Change`` rows are written by database triggers on ``records_recordversion`` and ``records_overlay``
(migration 0001), inside the transaction that writes the version or overlay: no write path of the
layers below can add a version without its change, and nothing below knows this app exists.
"""

from __future__ import annotations

from django.db import models

from xinyong.catalog.models import Provider
from xinyong.records.models import CreditRecord, Overlay


class Change(models.Model):
    """变更: one record version, the arrival of an exit, or an overlay laid or ended, in commit order.

    ``txid`` is the writing transaction's id on PostgreSQL (``pg_current_xact_id()``, an xid8 as a
    64-bit integer) and 0 on SQLite, where writers are serialised. The feed orders by ``(txid, seq)``
    and reads only below the oldest transaction still writing (``exchange.feed``)."""

    class Kind(models.TextChoices):
        VERSION = "version", "新增或变更"
        EXIT = "exit", "移出、缴清或解除"
        OVERLAY = "overlay", "状态标注"
        OVERLAY_ENDED = "overlay_ended", "标注结束"

    seq = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField(max_length=40)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(null=True)
    overlay = models.ForeignKey(Overlay, on_delete=models.PROTECT, null=True, related_name="+")
    overlay_kind = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "变更 change"
        indexes = [
            # The feed: WHERE (txid, seq) > cursor AND txid < horizon ORDER BY txid, seq.
            models.Index(fields=["txid", "seq"], name="exchange_change_order_idx"),
            # A subject's own feed, and a provider's.
            models.Index(fields=["subject_code", "txid", "seq"], name="exchange_change_subject_idx"),
            models.Index(fields=["provider", "txid", "seq"], name="exchange_change_provider_idx"),
            # The version trigger: has this record's exit been logged already?
            models.Index(fields=["record"], name="exchange_change_exit_idx", condition=models.Q(kind="exit")),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.kind} {self.record_id}"

    @property
    def change_id(self) -> str:
        """The change's stable id: the same on every read and every retry (docs/exchange.md)."""
        return change_id(self.kind, self.record_id, self.version, self.overlay_id)


def change_id(kind: str, record_id: int, version: int | None, overlay_id: int | None) -> str:
    if kind in (Change.Kind.VERSION, Change.Kind.EXIT):
        return f"v{record_id}.{version}"
    return f"{'o' if kind == Change.Kind.OVERLAY else 'e'}{overlay_id}"


class FeedPosition(models.Model):
    """Where a reader of the feed inside the platform stands (the upstream sender: ``upstream``)."""

    name = models.CharField(max_length=40, unique=True)
    txid = models.BigIntegerField(default=0)
    seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "订阅源读取位置 feed position"

    def __str__(self) -> str:
        return f"{self.name} @ {self.txid}.{self.seq}"


class Delivery(models.Model):
    """上报: one change to send to the provincial platform, and how sending it went.

    ``change_id`` is the change's stable id (``v812.2``, ``o17``, ``e17`` from the feed; ``n5`` for an
    upstream notice): sent with every attempt, so the receiver can tell a retry from a new change."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        ACKNOWLEDGED = "acknowledged", "已确认"
        FAILED = "failed", "失败"

    change_id = models.CharField(max_length=40, unique=True)
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField(max_length=40)
    domain = models.ForeignKey("catalog.Domain", on_delete=models.PROTECT, related_name="+")
    notice = models.OneToOneField(
        "records.UpstreamNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="delivery"
    )
    payload = models.JSONField(help_text="the change as sent, fixed when it was queued")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A sender claims rows until this time; a sender that died mid-batch leaves them to the next one.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField()
    first_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    duplicate = models.BooleanField(default=False, help_text="the receiver already had it (a retry)")
    receipt = models.CharField("回执", max_length=100, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "上报省平台 upstream delivery"
        indexes = [
            # The sender: pending deliveries whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="exchange_delivery_due_idx",
                condition=models.Q(state="pending"),
            ),
            # The dead-letter page.
            models.Index(
                fields=["-failed_at"], name="exchange_delivery_failed_idx", condition=models.Q(state="failed")
            ),
            models.Index(fields=["subject_code"], name="exchange_delivery_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.change_id} {self.get_state_display()}"


class Watch(models.Model):
    """信用监测: an account follows a subject, and hears of each change to it that it may see."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="watches")
    subject_code = models.CharField(max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "信用监测 watch"
        constraints = [models.UniqueConstraint(fields=["user", "subject_code"], name="exchange_watch_unique")]
        # The watch job: who follows the subjects of a page of changes.
        indexes = [models.Index(fields=["subject_code"], name="exchange_watch_subject_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.subject_code}"


class Webhook(models.Model):
    """A subscriber's endpoint for its watches' changes, and the secret that signs each call.

    The secret is shown once when issued and stored encrypted (``exchange.signing``) because the
    platform must sign with it; a database copy without the platform's key does not reveal it."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="webhook")
    url = models.URLField(max_length=500)
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "监测回调 webhook"

    def __str__(self) -> str:
        return self.url


class WebhookCall(models.Model):
    """One change to post to a subscriber's webhook, and how posting it went (the delivery log)."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "失败"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="calls")
    change_id = models.CharField(max_length=40)
    cursor = models.CharField(max_length=80)
    body = models.JSONField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "回调记录 webhook call"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "change_id"], name="exchange_webhookcall_unique")
        ]
        indexes = [
            # The webhook sender: pending calls whose time has come.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="exchange_call_due_idx",
                condition=models.Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.change_id} → {self.webhook_id}"
