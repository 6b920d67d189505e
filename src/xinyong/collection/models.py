"""Collection batches (归集批次) and the rows they rejected."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinyong.catalog.models import Provider


class Batch(models.Model):
    """One API call or one imported file. Rows are committed in chunks together with ``rows_done``,
    the checkpoint a killed import resumes from, so a re-run writes exactly what one clean run would."""

    class Source(models.TextChoices):
        API = "api", "接口"
        FILE = "file", "文件"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="batches")
    kind_code = models.SlugField(max_length=40)
    source = models.CharField(max_length=8, choices=Source.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    filename = models.CharField(max_length=255, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_format = models.CharField(max_length=8, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(help_text="the receipt time of every version in the batch")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    owner = models.CharField(max_length=100, blank=True, help_text="host:pid of the importing process")
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_estimated = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField("新增记录", default=0)
    versioned_count = models.PositiveIntegerField("新增版本", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    held_count = models.PositiveIntegerField("重错码待核", default=0)
    rejected_count = models.PositiveIntegerField("拒收", default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "归集批次 batch"
        indexes = [
            # Resuming: the unfinished batch of the same file from the same provider.
            models.Index(fields=["provider", "file_sha256"], name="collection_batch_file_idx"),
        ]

    def __str__(self) -> str:
        return f"批次 {self.pk} {self.filename or self.get_source_display()}"

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_estimated:
            return None
        return min(99, self.rows_done * 100 // self.rows_estimated)


class RejectedRow(models.Model):
    """A refused row as submitted, kept once however many reasons it was refused for, so a
    department can download exactly what it sent beside the reasons (the report)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField()
    raw = models.TextField(
        help_text="the row as submitted, within the intake limits: JSON text of [header, value] pairs"
    )

    class Meta:
        verbose_name = verbose_name_plural = "拒收行 rejected row"
        ordering = ["batch", "row_number"]
        constraints = [
            # The report reads a batch's rows in row order; one row is kept once.
            models.UniqueConstraint(fields=["batch", "row_number"], name="collection_rejectedrow_row_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"


class Rejection(models.Model):
    """One reason a row was refused. A row with three problems has three rejections (at most
    ``XINYONG_MAX_ERRORS_PER_ROW``) and one ``RejectedRow``."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    code = models.CharField(max_length=60)
    field = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "拒收明细 rejection"
        ordering = ["batch", "row_number", "id"]
        indexes = [models.Index(fields=["batch", "row_number"], name="collection_rejection_row_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.code}"
