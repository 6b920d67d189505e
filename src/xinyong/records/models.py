"""Credit records (信用记录) as immutable versions (docs/architecture.md, principle 3).

``CreditRecord`` is the identity of a record: provider + kind + its key (决定书文号 or 许可编号). Its
content lives in ``RecordVersion`` rows, which the database refuses to update or delete (triggers in
migration 0002). Resubmitting identical content adds nothing; changed content adds a version.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import models
from django.db.models import Q

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.subjects.models import Subject


class CreditRecord(models.Model):
    class Hold(models.TextChoices):
        NONE = "", "无"
        CODE_CONFLICT = "code_conflict", "重错码"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="records")
    subject_code = models.CharField(max_length=40)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="records")
    kind_code = models.SlugField(max_length=40)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT)
    key = models.CharField("决定书文号/许可编号", max_length=200)
    latest_version = models.PositiveIntegerField(default=1)
    decision_date = models.DateField("决定日期")
    first_received_at = models.DateTimeField()
    # A record held as 重错码 is kept, visible to its provider and the centre, and never published.
    hold = models.CharField(max_length=16, choices=Hold.choices, blank=True, default=Hold.NONE)

    # Publication of the latest version (records/publication.py), decided at intake from the rulebook.
    # Whether a record is visible today is still computed from these dates and the overlays at read
    # time (disclosure), so it is right even if the expiry job has not run.
    published = models.BooleanField("公示", default=True)
    publish_from = models.DateField("公示起始日", null=True)  # null only on rows older than the clock
    publish_until = models.DateField("公示截止日", null=True, blank=True, help_text="空：有效期内长期公示")
    minimum_until = models.DateField("最短公示期至", null=True, blank=True)
    severity = models.CharField("严重程度", max_length=10, blank=True)
    publication_rule = models.CharField(
        "公示依据规则", max_length=200, blank=True, help_text="id@version, comma-separated"
    )
    publication_note = models.CharField("公示说明", max_length=300, blank=True)
    # The exit date of the latest version (移出日期, 缴清日期, 解除日期; rule publication.exit): from this
    # day the record is no longer a current dishonesty entry (black list, 失信信息, warnings, reports).
    ended_on = models.DateField("失信状态终止日", null=True, blank=True)
    # Set by the daily expiry job once the window has closed (materialised for lists and statistics;
    # reads never depend on it).
    expired_at = models.DateTimeField("公示期满处理时间", null=True, blank=True)

    # Timeliness of the first receipt: null where the rule was not in force on the
    # decision date or, for working days, the calendar does not cover the span.
    natural_days_to_receipt = models.IntegerField()
    met_natural_day_rule = models.BooleanField(null=True)
    natural_day_rule = models.CharField(max_length=80, blank=True)
    working_days_to_receipt = models.IntegerField(null=True)
    met_working_day_rule = models.BooleanField(null=True)
    working_day_rule = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用记录 credit record"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kind_code", "key"], name="records_creditrecord_unique_key"
            ),
        ]
        indexes = [
            # Every per-subject read (subject page, report) filters by subject code first.
            models.Index(fields=["subject_code", "kind_code"], name="records_cr_subject_kind_idx"),
            # The public 双公示 lists: latest published penalties and licences by kind and date.
            models.Index(fields=["kind_code", "-decision_date"], name="records_cr_kind_date_idx"),
            # The expiry job: published records whose window closed and that are not yet marked.
            models.Index(
                fields=["publish_until"],
                name="records_cr_expiry_due_idx",
                condition=models.Q(published=True, expired_at__isnull=True, publish_until__isnull=False),
            ),
            # Data-quality scorecards (quality.scorecard): one month of every provider's records by
            # receipt (timeliness) and by decision (upload rate), grouped by provider and kind; the
            # drill-down walks one provider's month in date order.
            models.Index(
                fields=["first_received_at", "provider", "kind_code"], name="records_cr_received_idx"
            ),
            models.Index(fields=["decision_date", "provider", "kind_code"], name="records_cr_decided_idx"),
            # The 重错码 queue: held records per provider.
            models.Index(
                fields=["provider", "hold"],
                name="records_cr_held_idx",
                condition=~models.Q(hold=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_code} {self.key}"


class RecordVersion(models.Model):
    """One immutable version of a record's content, with its provenance."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="versions")
    subject_code = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    kind = models.ForeignKey(
        RecordKind, on_delete=models.PROTECT, help_text="the schema version validated against"
    )
    batch = models.ForeignKey("collection.Batch", on_delete=models.PROTECT, related_name="versions")
    row_number = models.PositiveIntegerField(help_text="row in the batch (1 = first data row)")
    received_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    data = models.JSONField(help_text="validated values keyed by field code")
    # The row as submitted, as JSON text of [header, value] pairs in submitted order. Text, not jsonb:
    # it is archived, never queried, and PostgreSQL would spend most of an import parsing it.
    raw = models.TextField()

    class Meta:
        verbose_name = verbose_name_plural = "记录版本 record version"
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="records_recordversion_unique"),
        ]
        indexes = [
            models.Index(fields=["subject_code"], name="records_rv_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version}"

    @property
    def raw_pairs(self) -> list[list[str]]:
        return list(json.loads(self.raw))


class Overlay(models.Model):
    """A status laid over a record by a workflow, with its own provenance (docs/architecture.md, principle 3):
    the record's versions are never touched. Expiry needs no overlay: it follows from the dates."""

    class Kind(models.TextChoices):
        OBJECTION_PENDING = "objection_pending", "异议处理中"
        CORRECTED = "corrected", "已更正"
        REVOKED = "revoked", "已撤销"
        REPAIRED = "repaired", "已修复"

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="overlays")
    subject_code = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="空：持续有效")
    # Repair under 36号令 may stop sharing as well as publication (终止公示 / 停止共享和使用).
    stops_sharing = models.BooleanField(default=False)
    reason = models.CharField(max_length=500)
    source = models.CharField("来源", max_length=100, help_text="the workflow and its case number")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "状态标注 overlay"
        indexes = [models.Index(fields=["subject_code", "record"], name="records_overlay_subject_idx")]

    def __str__(self) -> str:
        return f"{self.record_id} {self.get_kind_display()}"

    def active_at(self, at: dt.datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


class UpstreamNotice(models.Model):
    """A change to a record to report to the upstream (provincial / national) platform (上报上级平台):
    corrected or revoked after an objection, added after an objection for an omission (遗漏异议), repaired
    after a credit repair, an interview (约谈) recorded or its outcome decided. Only the queue: sending is a
    separate integration that claims unsent rows with a conditional update and sets ``sent_at``."""

    class Change(models.TextChoices):
        CORRECTED = "corrected", "更正"
        REVOKED = "revoked", "撤销"
        REPAIRED = "repaired", "信用修复"
        ADDED = "added", "补录"
        INTERVIEW = "interview", "约谈记录"

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField(max_length=40)
    change = models.CharField(max_length=12, choices=Change.choices)
    version = models.PositiveIntegerField("记录版本")
    source = models.CharField("来源", max_length=100, help_text="the workflow and its case number")
    payload = models.JSONField(default=dict, blank=True, help_text="what the workflow adds for the receiver")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "上报上级平台 upstream notice"
        indexes = [
            # The sender's queue: unsent notices, oldest first.
            models.Index(
                fields=["created_at"], name="records_upstream_unsent_idx", condition=Q(sent_at=None)
            ),
            models.Index(fields=["subject_code"], name="records_upstream_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.record_id} ({self.source})"
