"""Supervision (监管): the public social credit warning (社会信用预警), credit risk warnings (信用风险预警)
for government and staff, and the interviews (约谈) departments hold on them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.cases.models import CaseEvent
from xinyong.catalog.models import Provider
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject


class SocialCreditWarning(models.Model):
    """A public warning about a subject placed on three or more key-attention lists (重点关注名单) within
    twelve months, published for two years. Created automatically; withdrawn automatically (with a note)
    when the subject no longer meets the rule, never otherwise edited."""

    subject_code = models.CharField(max_length=40)
    issued_at = models.DateTimeField()
    publish_from = models.DateField()
    publish_until = models.DateField()
    lists = models.JSONField(
        help_text="the lists (名单类型) that triggered it; domain numbers before rule version 2"
    )
    records = models.JSONField(help_text="ids of the key-attention records it is based on")
    rule = models.CharField(max_length=80, help_text="id@version of the warning rule")
    publication_rule = models.CharField(max_length=80)
    explanation = models.CharField(max_length=300)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_note = models.CharField("撤回说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "社会信用预警 social credit warning"
        indexes = [
            models.Index(fields=["subject_code", "publish_until"], name="supervision_warning_subj_idx")
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.publish_from}"


class RiskWarning(models.Model):
    """A credit risk warning (信用风险预警) about one subject under one rule: raised when the subject meets
    the rule's condition, sent to every department with a record in it, withdrawn automatically (with a
    note) once the condition no longer holds. For government units, centre staff and the subject itself;
    never published."""

    class State(models.TextChoices):
        STANDING = "standing", "预警中"
        WITHDRAWN = "withdrawn", "已撤回"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField("主体代码", max_length=40)
    rule_id = models.CharField(
        "预警规则", max_length=80, help_text="e.g. supervision.risk_warning.penalty_count"
    )
    rule = models.CharField(max_length=80, help_text="id@version of the rule that raised it")
    title = models.CharField("预警条件", max_length=100)
    measured = models.PositiveIntegerField("计数", help_text="what the rule counted when it was raised")
    threshold = models.PositiveIntegerField("阈值")
    window_start = models.DateField("统计起始日", null=True, blank=True, help_text="空：不限时间（在列名单）")
    window_end = models.DateField("统计截止日")
    raised_at = models.DateTimeField("预警时间")
    explanation = models.CharField("预警说明", max_length=300)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.STANDING)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_note = models.CharField("撤回说明", max_length=300, blank=True)
    records = models.ManyToManyField(CreditRecord, related_name="+", verbose_name="触发预警的记录")
    departments = models.ManyToManyField(Provider, related_name="+", verbose_name="有记录的执法部门")

    class Meta:
        verbose_name = verbose_name_plural = "信用风险预警 risk warning"
        constraints = [
            # One standing warning per subject and rule: the review raises only where none stands.
            models.UniqueConstraint(
                fields=["subject_code", "rule_id"],
                condition=Q(state="standing"),
                name="supervision_riskwarning_one_standing",
            ),
            models.CheckConstraint(
                condition=Q(state="standing", withdrawn_at__isnull=True)
                | Q(state="withdrawn", withdrawn_at__isnull=False),
                name="supervision_riskwarning_withdrawn_has_time",
            ),
        ]
        indexes = [
            # The warnings list (newest first, by state) and the subject's own warnings.
            models.Index(fields=["state", "-raised_at"], name="supervision_rw_state_idx"),
            models.Index(fields=["subject_code", "-raised_at"], name="supervision_rw_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.title}"

    @property
    def window_text(self) -> str:
        if self.window_start is None:
            return f"截至 {self.window_end} 在列"
        return f"{self.window_start} 至 {self.window_end}"


class Interview(models.Model):
    """An interview (约谈) a department holds with a subject, on a risk warning or on a dishonesty record
    the department decided itself ("谁认定、谁约谈"): what it demanded, by when, and the outcome. It enters
    the subject's credit record as an ``interview`` record and is queued for the provincial platform."""

    class Type(models.TextChoices):
        REMINDER = "reminder", "提示约谈"
        CAUTION = "caution", "警示约谈"

    class State(models.TextChoices):
        RECTIFYING = "rectifying", "整改中"
        RECTIFIED = "rectified", "整改完成"
        NOT_RECTIFIED = "not_rectified", "未整改"

    number = models.CharField("约谈编号", max_length=40, blank=True)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField("主体代码", max_length=40)
    warning = models.ForeignKey(
        RiskWarning, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    basis = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="the department's own dishonesty record the interview is about (without a warning)",
    )  # fmt: skip
    department = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name="约谈部门"
    )
    type = models.CharField("约谈类型", max_length=12, choices=Type.choices)
    held_on = models.DateField("约谈日期")
    place = models.CharField("约谈地点", max_length=200)
    attendees = models.CharField("参加人员", max_length=1000)
    obligations = models.TextField("督促履行的义务", max_length=4000)
    deadline = models.DateField("整改期限")
    due_on = models.DateField(
        "整改期限届满日", help_text="the deadline moved past days off (rule supervision.interview)"
    )
    rule = models.CharField(max_length=80, help_text="id@version of supervision.interview")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.RECTIFYING)
    outcome_on = models.DateField("整改结果认定日期", null=True, blank=True)
    outcome_note = models.TextField("整改情况", blank=True, max_length=4000)
    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, null=True, related_name="+", help_text="the 约谈记录 record"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    overdue_flagged_at = models.DateTimeField("逾期提示时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "约谈 interview"
        constraints = [
            models.CheckConstraint(
                condition=Q(warning__isnull=False) | Q(basis__isnull=False),
                name="supervision_interview_on_warning_or_record",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("held_on")), name="supervision_interview_deadline_after"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="supervision_interview_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["subject_code", "-held_on"], name="supervision_iv_subject_idx"),
            # The overdue job: interviews still rectifying past their deadline, not yet flagged.
            models.Index(
                fields=["due_on"],
                condition=Q(state="rectifying", overdue_flagged_at__isnull=True),
                name="supervision_iv_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_type_display()} {self.subject_code}"

    def is_overdue_on(self, day: dt.date) -> bool:
        """No outcome past its deadline: the deadline day itself is still in time."""
        return self.state == self.State.RECTIFYING and day > self.due_on


class InterviewEvent(CaseEvent):
    """One step in an interview's history. Append-only (migration)."""

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "约谈记录 interview event"
