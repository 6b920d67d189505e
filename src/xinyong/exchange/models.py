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
