"""Data quality governance (数据质量): what providers declare they decided each month (申报数).

The scorecards themselves are not stored: they are computed from the records, batches and
declarations whenever someone asks (``quality.scorecard``), so they are right even if no job ran.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinyong.cases.models import CaseEvent
from xinyong.catalog.models import Provider


class Declaration(models.Model):
    """A provider's declared total (申报数) of one record kind decided in one month: the denominator of
    the upload rate (上报率). The ledger (上报台账) each unit keeps under 厦信用办〔2022〕2号 二(六).
    One row per provider, kind and month; a correction replaces the count, and the audit trail keeps
    every earlier value (``quality.declare``)."""

    class Source(models.TextChoices):
        API = "api", "接口"
        WORKSPACE = "workspace", "工作台"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="declarations")
    kind_code = models.SlugField(max_length=40)
    month = models.DateField("月份", help_text="the first day of the month")
    count = models.PositiveIntegerField("申报数")
    source = models.CharField(max_length=10, choices=Source.choices)
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "月度申报数 declaration"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kind_code", "month"], name="quality_declaration_unique_month"
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="quality_declaration_first_day"),
        ]
        # The scorecards read one month (or twelve) for every provider.
        indexes = [models.Index(fields=["month", "provider"], name="quality_declaration_month_idx")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.kind_code} {self.month:%Y-%m}: {self.count}"


class Alert(models.Model):
    """A reminder sent to a provider (迟报、未更正、未申报提醒), kept so each fires once: the daily job
    inserts the alerts due and tells only those it inserted."""

    class Kind(models.TextChoices):
        LATE = "late", "超过7个工作日报送"
        NOT_RESUBMITTED = "not_resubmitted", "拒收后未更正重报"
        UNDECLARED = "undeclared", "未申报月度决定数"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What the alert is about: the receipt date (late), the batch id (not resubmitted), the month.
    reference = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "数据质量提醒 alert"
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind", "reference"], name="quality_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.kind} {self.reference}"


class SampleDraw(models.Model):
    """A reproducible random sample of one provider's records of one month (抽样核查, the third-party
    checks of 厦信用办〔2022〕2号 二（六））: the records first received in the month, ordered by id, sampled
    with Python's ``random.Random(seed).sample``; the same seed and size draw the same records again."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    size = models.PositiveIntegerField("抽样数")
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("总体记录数")
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "抽样 sample"
        constraints = [
            models.UniqueConstraint(fields=["provider", "month"], name="quality_sampledraw_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.month:%Y-%m} n={self.size} seed={self.seed}"


class SampleItem(models.Model):
    """One sampled record and the reviewer's verdict on it (核查结论)."""

    class Verdict(models.TextChoices):
        PENDING = "", "待核查"
        CORRECT = "correct", "正确"
        WRONG = "wrong", "有误"

    draw = models.ForeignKey(SampleDraw, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict.choices, blank=True, default=Verdict.PENDING)
    field = models.CharField("有误字段", max_length=40, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "抽样记录 sample item"
        constraints = [
            models.UniqueConstraint(fields=["draw", "record"], name="quality_sampleitem_unique"),
            models.CheckConstraint(
                condition=~models.Q(verdict="wrong") | ~models.Q(field=""),
                name="quality_sampleitem_wrong_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.record_id} {self.verdict or '-'}"


class CodeIssue(models.Model):
    """A suspected duplicate or wrong code (重错码) in the judgement queue, one row per kind and pair of
    codes: once judged, the same pair is never asked again. A case of the case kit (``quality.machine``):
    its state is the verdict, its history the ``CodeIssueEvent`` rows."""

    class Kind(models.TextChoices):
        CHECK_DIGIT = "check_digit", "校验位错误"
        TWO_NAMES = "two_names", "一码多名"
        TWO_CODES = "two_codes", "一名多码"
        PERSON_ID = "person_id", "组织记录使用身份证号码"

    class State(models.TextChoices):
        OPEN = "open", "待研判"
        SAME_SUBJECT = "same_subject", "同一主体"
        DIFFERENT_SUBJECTS = "different_subjects", "不同主体"
        WRONG_CODE = "wrong_code", "代码错误"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject_code = models.CharField("主体代码", max_length=40)
    other_code = models.CharField("另一代码", max_length=40, blank=True)
    names = models.CharField("名称", max_length=500)
    suggestion = models.CharField("可能原因", max_length=500)
    suggested_code = models.CharField("建议代码", max_length=40, blank=True)
    found_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    right_code = models.CharField("正确代码", max_length=40, blank=True)
    note = models.CharField("研判说明", max_length=500, blank=True)
    judged_at = models.DateTimeField(null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "重错码研判 code issue"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_code", "other_code"], name="quality_codeissue_once"
            ),
        ]
        # The queue: open issues, oldest first.
        indexes = [
            models.Index(
                fields=["found_at"], name="quality_codeissue_open_idx", condition=models.Q(state="open")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_code} {self.other_code}".strip()


class CodeIssueEvent(CaseEvent):
    """One line of a code issue's history (研判记录); append-only (migration 0002)."""

    issue = models.ForeignKey(CodeIssue, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "重错码研判记录 code issue event"


class CodeCorrection(models.Model):
    """A judgement applied to records: every record of ``from_code`` moved to ``to_code``. The records'
    versions are untouched (each keeps the code it was submitted with); this row is the provenance, and
    reversing it moves the same records back, restoring their holds."""

    issue = models.ForeignKey(CodeIssue, on_delete=models.PROTECT, related_name="corrections")
    from_code = models.CharField(max_length=40)
    to_code = models.CharField(max_length=40)
    # [[record id, its subject id, its hold]] before the correction.
    before = models.JSONField()
    applied_at = models.DateTimeField()
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "重错码更正 code correction"

    def __str__(self) -> str:
        return f"{self.from_code} → {self.to_code}"
