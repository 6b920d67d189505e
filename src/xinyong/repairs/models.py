"""Credit repair cases (信用修复申请), their history, evidence and the upstream queue.

A subject applies to have one dishonesty record repaired; the city centre reviews first (市级初审), the
province second (省级复核); approval lays a 已修复 overlay over the record (records.services), never
touching its versions. Deadlines are stored, indexed columns with the rule that set them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.cases.models import CaseEvent
from xinyong.core.models import StoredEvidence
from xinyong.records.models import CreditRecord


class RepairApplication(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        CITY_REVIEW = "city_review", "市级初审"
        PROVINCIAL_REVIEW = "provincial_review", "省级复核"
        APPROVED = "approved", "已修复"
        REJECTED = "rejected", "不予修复"

    OPEN_STATES = (State.SUBMITTED, State.CITY_REVIEW, State.PROVINCIAL_REVIEW)

    number = models.CharField("申请编号", max_length=24, unique=True)
    subject_code = models.CharField("主体代码", max_length=40)
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="repair_applications")
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="repair_applications")
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resubmissions",
        verbose_name="前次申请（重新申请时）",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    obligations_statement = models.TextField("履行法定义务、纠正失信行为的说明")
    commitment_text = models.TextField("信用修复承诺书")
    committed_at = models.DateTimeField("承诺时间")
    filed_at = models.DateTimeField("申请时间")
    filed_on = models.DateField("申请日期")

    # Deadlines (办理时限), working days from rulebook repair.deadlines; provincial_due is planned at
    # filing and set again from the city's approval day. overall_due is shown on the case, not
    # queried: the overdue job flags each step against its own deadline.
    city_due = models.DateField("市级初审期限")
    provincial_due = models.DateField("省级复核期限")
    overall_due = models.DateField("办理期限")
    deadline_rule = models.CharField(max_length=80)
    city_overdue_at = models.DateTimeField("初审逾期标记时间", null=True, blank=True)
    provincial_overdue_at = models.DateTimeField("复核逾期标记时间", null=True, blank=True)

    # Eligibility as judged at filing (repairs.eligibility), so the decision can be explained later.
    eligibility_reasons = models.JSONField(default=list)
    eligibility_rules = models.JSONField(default=list)
    earliest = models.DateField("最早可申请日", null=True, blank=True)

    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField("决定理由", blank=True)
    stops_sharing = models.BooleanField("停止共享", null=True, blank=True)
    stops_sharing_rule = models.CharField(max_length=80, blank=True)
    resubmission_rule = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用修复申请 repair application"
        constraints = [
            # One application under review per record, even if two are filed at the same moment.
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(state__in=["submitted", "city_review", "provincial_review"]),
                name="repairs_app_one_open_per_record",
            ),
        ]
        indexes = [
            # A subject's own applications, newest first.
            models.Index(fields=["subject_code", "-filed_at"], name="repairs_app_subject_idx"),
            # "Is there an open application for this record?" (eligibility) and the record's history.
            models.Index(fields=["record", "state"], name="repairs_app_record_idx"),
            # The city queue and the overdue job: open city reviews by due date. (``submitted`` never
            # outlives the filing transaction, so it is not part of the condition.)
            models.Index(
                fields=["city_due"], name="repairs_app_city_due_idx", condition=Q(state="city_review")
            ),
            # The provincial queue and the overdue job.
            models.Index(
                fields=["provincial_due"],
                name="repairs_app_prov_due_idx",
                condition=Q(state="provincial_review"),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def step_due(self) -> dt.date | None:
        """The deadline of the step the case is in now (None once decided)."""
        if self.state in (self.State.SUBMITTED, self.State.CITY_REVIEW):
            return self.city_due
        if self.state == self.State.PROVINCIAL_REVIEW:
            return self.provincial_due
        return None


class RepairAttachment(StoredEvidence):
    """Evidence (证明材料) of an application, stored under UPLOAD_DIR/repairs/ by its SHA-256."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "证明材料"
        TRAINING_CERTIFICATE = "training_certificate", "信用修复培训证明"

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.EVIDENCE)

    class Meta:
        verbose_name = verbose_name_plural = "修复附件 repair attachment"
        indexes = [models.Index(fields=["subject_code"], name="repairs_att_subject_idx")]


class RepairEvent(CaseEvent):
    """One step in a case's history (时间轴). Append-only: the database refuses updates and deletes
    (migrations 0005 and 0006)."""

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "修复办理记录 repair event"
        indexes = [models.Index(fields=["subject_code"], name="repairs_event_subject_idx")]
