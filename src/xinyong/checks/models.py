"""Batch checks (信用互查互认): a unit uploads a file of subject codes, chooses a scenario and a legal
purpose, and gets a result sheet (XLSX) and a signed 协助核查情况统计表 (PDF). See docs/measures.md."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import Unit, User
from xinyong.cases.models import CaseEvent
from xinyong.catalog.models import Domain, Provider
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


class AssistRequest(models.Model):
    """A 协查 request: the checking unit asks a department, whose domain's data the platform lacks, to check
    the subjects of a batch; the department answers in its workspace within the rulebook's deadline in
    working days (rule ``checks.assist_deadline``), and the answers are added to the result sheet."""

    class State(models.TextChoices):
        SENT = "sent", "待答复"
        ANSWERED = "answered", "已答复"

    number = models.CharField("协查编号", max_length=24, unique=True)
    batch = models.ForeignKey(BatchCheck, on_delete=models.PROTECT, related_name="assists")
    # The case kit keys every history line by subject; a request concerns a batch of subjects, so it carries
    # the checking unit's code.
    subject_code = models.CharField(max_length=40)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name="协查部门"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    codes = models.JSONField("协查主体代码")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField()
    due = models.DateField("答复期限")
    rule = models.CharField(max_length=80)
    overdue_at = models.DateTimeField("逾期标记时间", null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # code → the department's finding; a code it did not name: 经核查无违法违规记录.
    findings = models.JSONField(default=dict, blank=True)
    note = models.CharField("答复说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "协查请求 assist request"
        indexes = [
            # The daily overdue job: unanswered requests past their deadline not yet flagged.
            models.Index(
                fields=["due"],
                name="checks_assist_due_idx",
                condition=Q(state="sent", overdue_at__isnull=True),
            ),
            models.Index(fields=["provider", "state"], name="checks_assist_provider_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.state == self.State.SENT and day > self.due


class AssistEvent(CaseEvent):
    """One line of a 协查 request's history (append-only)."""

    request = models.ForeignKey(AssistRequest, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "协查办理记录 assist event"
