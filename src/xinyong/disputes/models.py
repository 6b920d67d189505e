"""Objections (异议) to credit records: the case, its attachments, its history.

A subject objects to one of its records; the centre compares, may forward to the record's provider,
which checks; the centre closes the case as corrected (更正), revoked (撤销) or maintained (维持).

An objection for an omission (遗漏异议) is the same case without a record: the subject names the
department, the record kind, the document number and its date of a record that should be on the
platform and is not. The department either submits it through the intake pipeline (the case links the
record that arrived, matched by department + document number, and closes as 已补录) or explains why not
(不予补录, the reasons shown to the subject). Each step's deadline is a stored, indexed date computed from the rulebook (``objection.deadlines``) on the
working-day calendar; the states and who may move them are in ``disputes.workflow``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.cases.models import CaseEvent
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
        # An objection to a missing record (遗漏异议) has these grounds and no record; an objection to an
        # existing record for an omission within it (a missing fact) keeps its record.

    class State(models.TextChoices):
        ACCEPTED = "accepted", "已受理，信用中心比对中"
        FORWARDED = "forwarded", "已转交信息提供单位核查"
        ANSWERED = "answered", "单位已核查，信用中心处理中"
        CLOSED = "closed", "已办结"

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", "信息无误"
        CORRECTED = "corrected", "已更正信息"
        REVOKE = "revoke", "应予撤销"
        # for a missing record
        SUPPLIED = "supplied", "已报送补录"
        DECLINED = "declined", "不予补录"

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", "更正"
        REVOKED = "revoked", "撤销"
        MAINTAINED = "maintained", "维持"
        # for a missing record
        ADDED = "added", "已补录"
        NOT_ADDED = "not_added", "不予补录"

    OPEN_STATES = (State.ACCEPTED, State.FORWARDED, State.ANSWERED)

    number = models.CharField("异议编号", max_length=20, unique=True)
    subject_code = models.CharField("信用主体代码", max_length=40)
    # Empty for an objection for an omission, which names the missing record by the omitted_* facts.
    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    # The record's provider (for an omission, the department named), kept on the case: its inbox is
    # "objections forwarded to us".
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="objections")
    version_objected = models.PositiveIntegerField("异议所指版本", null=True, blank=True)
    omitted_kind_code = models.SlugField("遗漏信息事项", max_length=40, blank=True)
    omitted_key = models.CharField("遗漏记录文号/编号", max_length=200, blank=True)
    omitted_date = models.DateField("遗漏记录决定日期", null=True, blank=True)
    # The record the department submitted (or that arrived through ordinary intake), matched by
    # department + document number within the subject; set when it arrives, before or at closing.
    added_record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
            # Either a record or the facts of the missing one (遗漏异议), never both, never neither.
            models.CheckConstraint(
                condition=Q(
                    record__isnull=False,
                    version_objected__isnull=False,
                    omitted_kind_code="",
                    omitted_key="",
                    omitted_date__isnull=True,
                    added_record__isnull=True,
                )
                | Q(
                    record__isnull=True,
                    version_objected__isnull=True,
                    grounds="omission",
                    omitted_date__isnull=False,
                )
                & ~Q(omitted_kind_code="")
                & ~Q(omitted_key=""),
                name="disputes_objection_record_xor_omission",
            ),
            # One open objection for the same missing record (objection.already_open).
            models.UniqueConstraint(
                fields=["subject_code", "provider", "omitted_key"],
                condition=Q(record__isnull=True) & ~Q(state="closed"),
                name="disputes_objection_one_open_per_omission",
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
            # The arrivals job: open omission cases waiting for the department's record, looked up by
            # department + document number.
            models.Index(
                fields=["provider", "omitted_key"],
                name="disputes_obj_omission_idx",
                condition=Q(record__isnull=True, added_record__isnull=True) & ~Q(state="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_omission(self) -> bool:
        """An objection for a missing record (遗漏异议) rather than to an existing one."""
        return self.record_id is None

    @property
    def target_key(self) -> str:
        """The document number the case is about: the record's key or the missing record's."""
        return self.record.key if self.record is not None else self.omitted_key

    def arrived_record(self) -> CreditRecord | None:
        """For an omission: the record the department has reported since, matched by department and
        document number within the subject (read now, so right even before the arrivals job ran)."""
        if not self.is_omission:
            return None
        if self.added_record_id is not None:
            return self.added_record
        return (
            CreditRecord.objects.filter(
                subject_code=self.subject_code, provider_id=self.provider_id, key=self.omitted_key
            )
            # The kind the subject named first, should the department use the number for two kinds.
            .order_by(models.Case(models.When(kind_code=self.omitted_kind_code, then=0), default=1), "pk")
            .first()
        )

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


class ObjectionEvent(CaseEvent):
    """One line of the case history (办理记录): who did what, when, with what note. Append-only (the
    database refuses UPDATE and DELETE, migrations 0002 and 0005)."""

    class Action(models.TextChoices):
        """What each line records; the API has given these values since the first release, so the
        transitions keep them rather than the verbs' names."""

        FILED = "filed", "提出异议并受理"
        FORWARDED = "forwarded", "转交信息提供单位核查"
        ANSWERED = "answered", "信息提供单位反馈核查结果"
        CLOSED = "closed", "办结"
        ESCALATED = "escalated", "逾期督办"
        ARRIVED = "arrived", "补录的记录已报送"

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "异议办理记录 objection event"
        # The case page's timeline.
        indexes = [models.Index(fields=["objection", "at"], name="disputes_event_case_idx")]
