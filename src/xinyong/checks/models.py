"""Batch checks (信用互查互认): a unit uploads a file of subject codes, chooses a scenario and a legal
purpose, and gets a result sheet (XLSX) and a signed 协助核查情况统计表 (PDF). See docs/measures.md."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import Unit, User
from xinyong.measures.models import Scenario


def new_verification_code() -> str:
    """Eight characters a person can type from the printed sheet (no 0/O, 1/I)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class BatchCheck(models.Model):
    """One batch check: the codes read from the uploaded file, its progress and its outputs."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "核查中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    number = models.CharField("核查编号", max_length=20, unique=True)
    verification_code = models.CharField("验证码", max_length=8, default=new_verification_code)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("查询事由", max_length=200)
    filename = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField(max_length=64)
    # The rows to check, as read from the file at upload: [[row, code, name], …], and the rows refused
    # there: [{row, field, code, message, value}, …]. Kept so the result sheet lists every row.
    subjects = models.JSONField(default=list)
    rejected = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField("待核查主体数", default=0)
    done = models.PositiveIntegerField("已核查主体数", default=0)
    counts = models.JSONField("统计", default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sheet_path = models.CharField(max_length=500, blank=True)
    pdf_path = models.CharField(max_length=500, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用互查批量核查 batch check"
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="checks_batch_unit_idx"),
            # Verification of a printed statistics sheet by its file's fingerprint.
            models.Index(fields=["pdf_sha256"], name="checks_batch_pdf_idx", condition=~Q(pdf_sha256="")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def progress(self) -> int:
        """Per cent done, for the progress bar."""
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
