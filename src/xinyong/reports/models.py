"""Special credit reports (专项信用报告).

A ``Report`` is issued once and never changes content: it stores the snapshot it was built from (the
record versions and the state each showed, the rule versions, the template version), so
``xinyong report reissue`` renders the same report again. A later correction, revocation, repair or new
version of a record it relied on makes it superseded (``Report.superseded_at``, kept by triggers).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from xinyong.catalog.models import Domain, Provider
from xinyong.records.models import CreditRecord


class Edition(models.TextChoices):
    SPECIAL = "special", "专项信用报告（无违法违规记录证明版）"
    FINANCIAL = "financial", "专项信用报告（金融专用版）"
    FULL = "full", "公共信用信息报告"


class Report(models.Model):
    class State(models.TextChoices):
        AWAITING = "awaiting", "待部门确认"  # financial edition, before every department has answered
        ISSUED = "issued", "已出具"
        REVOKED = "revoked", "已作废"

    number = models.CharField("报告编号", max_length=32, unique=True)
    verification_code = models.CharField("验证码", max_length=8)
    edition = models.CharField("版本", max_length=10, choices=Edition.choices)
    subject_code = models.CharField(max_length=40)
    subject_name = models.CharField("主体名称", max_length=200)
    # As printed: a person's resident ID is masked, since the report is handed to third parties.
    subject_code_shown = models.CharField("报告所载代码", max_length=40)
    years = models.PositiveSmallIntegerField("查询年限")
    period_from = models.DateField("期间起")
    period_to = models.DateField("期间止（数据截止日）")
    data_start = models.DateField("数据起始日", help_text="earlier proof stays with the departments")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ISSUED)
    requested_at = models.DateTimeField()
    issued_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requester_name = models.CharField("申请人", max_length=200)
    basis = models.CharField("查询依据", max_length=20)  # disclosure.access.Basis, or "system"
    purpose = models.CharField("用途", max_length=200, blank=True)
    # The snapshot (besides ReportRecord rows): what a reissue needs to render the same words.
    audience = models.CharField(max_length=12)
    domains = models.JSONField(help_text="[[number, name], …] of the covered domains at issue")
    rules = models.JSONField(help_text="rule refs (id@version) the report relied on")
    template_version = models.CharField(max_length=20)
    fingerprint = models.CharField(
        max_length=64, help_text="sha256 of the snapshot: same fingerprint, same day → same report"
    )
    pdf_name = models.CharField(max_length=200, blank=True, help_text="the latest file in the report storage")
    pdf_sha256 = models.CharField("文件指纹", max_length=64, blank=True)
    retain_until = models.DateField("保存期限")
    purged_at = models.DateTimeField(null=True, blank=True, help_text="PDF deleted after retention")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    # When a record the report relied on first changed after the snapshot (a correction, revocation or
    # repair overlay, or a new version). Set by database triggers on those inserts (migration 0002), in
    # the same transaction, so verification is one indexed read and no workflow needs to call reports.
    superseded_at = models.DateTimeField("被更新时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用报告 report"
        indexes = [
            # The subject's own list, and the same-day reuse check (subject, edition, newest first).
            models.Index(fields=["subject_code", "edition", "-requested_at"], name="reports_subject_idx"),
            # The retention job: issued PDFs past their retention date not yet purged.
            models.Index(
                fields=["retain_until"],
                name="reports_retention_idx",
                condition=models.Q(purged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReportRecord(models.Model):
    """One record version a report relied on, and the state it showed (已修复, 异议处理中 …)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=20)

    class Meta:
        verbose_name = verbose_name_plural = "报告所含记录 report record"
        constraints = [models.UniqueConstraint(fields=["report", "record"], name="reports_item_unique")]
        # "Which reports relied on this record?" (superseding after a correction or repair).
        indexes = [models.Index(fields=["record"], name="reports_item_record_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.record_id} v{self.version}"


class FinancialListEntry(models.Model):
    """A company on the financial bureau's list (金融专用版企业名单库), the only subjects who may request the
    financial edition (上市挂牌、再融资、并购及相关联公司). Kept by the financial bureau's officers
    (``Unit.financial_bureau``) through ``reports.financial_list``, every change audited."""

    subject_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    reason = models.CharField("列入事由", max_length=200, blank=True)
    active = models.BooleanField("有效", default=True)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "金融专用版企业名单 financial list entry"

    def __str__(self) -> str:
        return f"{self.subject_code} {self.name}"


class Confirmation(models.Model):
    """A department's answer for its part of a financial-edition report (部门确认): confirmed (and sealed
    with the department's own key), or "请到本单位办理" with instructions, which the report then prints
    instead of the department's section; or no answer by the deadline (逾期未确认), which the report prints
    likewise. Only departments holding records on the subject in the period, or bound by
    ``report.financial_confirmation`` to state "no record" for their domain, are asked."""

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REFERRED = "referred", "请到本单位办理"
        OVERDUE = "overdue", "逾期未确认"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="confirmations")
    subject_code = models.CharField(max_length=40)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    domains = models.ManyToManyField(Domain, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    instructions = models.CharField("办理指引", max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The last day to answer (inclusive), from report.financial_confirmation on the request date; empty
    # only on confirmations asked before deadlines existed.
    due_on = models.DateField("确认期限", null=True, blank=True)
    deadline_rule = models.CharField(max_length=60, blank=True, help_text="rule ref (id@version)")
    overdue_at = models.DateTimeField("逾期时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门确认 confirmation"
        constraints = [
            models.UniqueConstraint(fields=["report", "provider"], name="reports_confirmation_unique")
        ]
        indexes = [
            # A department's inbox of pending confirmations.
            models.Index(fields=["provider", "state"], name="reports_confirmation_inbox"),
            # The overdue job: pending confirmations whose deadline has passed (due_on < today).
            models.Index(
                fields=["due_on"],
                name="reports_confirmation_due_idx",
                condition=models.Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.provider_id} {self.get_state_display()}"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Past its deadline without an answer: true at read time even before the overdue job ran."""
        return self.state == self.State.OVERDUE or (
            self.state == self.State.PENDING and self.due_on is not None and day > self.due_on
        )


class ReportFile(models.Model):
    """Every signed PDF of a report (the first and any reissue), so any genuine copy verifies by upload."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="files")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "报告文件 report file"
        # Verification by uploaded file looks the copy up by its fingerprint.
        indexes = [models.Index(fields=["sha256"], name="reports_file_sha_idx")]

    def __str__(self) -> str:
        return self.name
