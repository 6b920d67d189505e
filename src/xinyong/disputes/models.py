"""Objections (异议) to credit records: the case, its attachments, its history, and the upstream queue.

A subject objects to one of its records; the centre compares, may forward to the record's provider,
which checks; the centre closes the case as corrected (更正), revoked (撤销) or maintained (维持). Each
step's deadline is a stored, indexed date computed from the rulebook (``objection.deadlines``) on the
working-day calendar; the states and who may move them are in ``disputes.workflow``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.catalog.models import Provider
from xinyong.core.models import StoredEvidence
from xinyong.records.models import CreditRecord, Overlay


class Objection(models.Model):
    """异议申请. ``number`` is YY + the acceptance date (Asia/Shanghai) + "-" + a 4-digit sequence of
    that day, e.g. ``YY20261122-0001``: readable on the phone, unique, sortable by day."""

    class Grounds(models.TextChoices):
        ERROR = "error", "信息错误"
        OMISSION = "omission", "信息遗漏"
        TRADE_SECRET = "trade_secret", "侵犯商业秘密"
        PRIVACY = "privacy", "侵犯个人隐私"
        OTHER_RIGHTS = "other_rights", "侵犯其他合法权益"

    class State(models.TextChoices):
        ACCEPTED = "accepted", "已受理，信用中心比对中"
        FORWARDED = "forwarded", "已转交信息提供单位核查"
        ANSWERED = "answered", "单位已核查，信用中心处理中"
        CLOSED = "closed", "已办结"

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", "信息无误"
        CORRECTED = "corrected", "已更正信息"
        REVOKE = "revoke", "应予撤销"

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", "更正"
        REVOKED = "revoked", "撤销"
        MAINTAINED = "maintained", "维持"

    OPEN_STATES = (State.ACCEPTED, State.FORWARDED, State.ANSWERED)

    number = models.CharField("异议编号", max_length=20, unique=True)
    subject_code = models.CharField("信用主体代码", max_length=40)
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="objections")
    # The record's provider, kept on the case: its inbox is "objections forwarded to us".
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="objections")
    version_objected = models.PositiveIntegerField("异议所指版本")
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="objections")
    grounds = models.CharField("异议类型", max_length=16, choices=Grounds.choices)
    statement = models.TextField("异议理由")
    requested_correction = models.TextField("申请更正内容", blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.ACCEPTED)

    accepted_at = models.DateTimeField("受理时间")
    accepted_on = models.DateField("受理日期")  # in China; every deadline counts from a date
    compare_due = models.DateField("比对截止日")
    provider_due = models.DateField("单位核查截止日", null=True, blank=True)
    process_due = models.DateField("中心处理截止日", null=True, blank=True)
    overall_due = models.DateField("办结截止日")
    deadline_rule = models.CharField("时限依据规则", max_length=80)  # id@version, for every step

    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_note = models.TextField("转交说明", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provider_answer = models.CharField("核查结论", max_length=12, choices=Answer.choices, blank=True)
    provider_reasons = models.TextField("核查意见", blank=True)
    corrected_version = models.PositiveIntegerField("更正后版本", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField("处理结果", max_length=12, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField("处理理由", blank=True)

    # The 异议处理中 overlay laid at filing and ended at closing.
    pending_overlay = models.ForeignKey(Overlay, on_delete=models.PROTECT, null=True, related_name="+")
    # Set by the overdue job when the step named in ``escalated_step`` passed its due date.
    escalated_at = models.DateTimeField("逾期督办时间", null=True, blank=True)
    escalated_step = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议申请 objection"
        constraints = [
            # One open objection per record: the second is refused (objection.already_open).
            models.UniqueConstraint(
                fields=["record"],
                condition=~Q(state="closed"),
                name="disputes_objection_one_open_per_record",
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False) & ~Q(outcome="")
                | ~Q(state="closed") & Q(outcome=""),
                name="disputes_objection_outcome_iff_closed",
            ),
        ]
        indexes = [
            # A subject's own list of objections, newest first (filtered by subject code first).
            models.Index(fields=["subject_code", "-accepted_at"], name="disputes_obj_subject_idx"),
            # A provider's inbox: its open cases by state.
            models.Index(fields=["provider", "state"], name="disputes_obj_provider_idx"),
            # The centre queue and the overdue job: open cases by state and due date.
            models.Index(
                fields=["state", "overall_due"],
                name="disputes_obj_open_due_idx",
                condition=~Q(state="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED

    def step_due(self) -> dt.date | None:
        """The due date of the step the case is in (None once closed)."""
        return {
            self.State.ACCEPTED: self.compare_due,
            self.State.FORWARDED: self.provider_due,
            self.State.ANSWERED: self.process_due,
        }.get(self.State(self.state))

    def is_overdue(self, today: dt.date) -> bool:
        """Past its step's or its overall due date, computed now (right even if the job never ran)."""
        due = self.step_due()
        return self.is_open and (today > self.overall_due or (due is not None and today > due))


class ObjectionAttachment(StoredEvidence):
    """A file the applicant gave with the objection (PDF, JPG, PNG), stored under
    ``UPLOAD_DIR/objections/`` by its SHA-256; served only to those who may see the case."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="attachments")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "异议附件 objection attachment"


class ObjectionEvent(models.Model):
    """One line of the case history (办理记录): who did what, when, with what note. Append-only (the
    database refuses UPDATE and DELETE, migration 0002)."""

    class Action(models.TextChoices):
        FILED = "filed", "提出异议并受理"
        FORWARDED = "forwarded", "转交信息提供单位核查"
        ANSWERED = "answered", "信息提供单位反馈核查结果"
        CLOSED = "closed", "办结"
        ESCALATED = "escalated", "逾期督办"

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="events")
    subject_code = models.CharField(max_length=40)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200)  # the person and unit, or the job's name
    action = models.CharField(max_length=12, choices=Action.choices)
    state = models.CharField("办理后状态", max_length=12, choices=Objection.State.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议办理记录 objection event"
        # The case page's timeline.
        indexes = [models.Index(fields=["objection", "at"], name="disputes_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.objection_id} {self.get_action_display()}"
