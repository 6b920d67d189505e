"""Credit commitments (信用承诺) and their fulfilment (践诺): the "承诺—践诺" closed loop (闽信用〔2019〕7号 一,
《厦门市社会信用体系建设2022年工作要点》 (十一)). A unit accepts a subject's commitment, records whether it was kept, and a false or
broken commitment becomes a 违反信用承诺 dishonesty record through the intake pipeline."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import Unit, User
from xinyong.cases.models import CaseEvent
from xinyong.catalog.models import Domain, Provider
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject


class Commitment(models.Model):
    """One commitment made by a subject to the unit (or provider) that accepted it."""

    class State(models.TextChoices):
        PENDING = "pending", "履约中"
        FULFILLED = "fulfilled", "已践诺"
        BROKEN = "broken", "未践诺（违诺）"
        FALSE = "false", "虚假承诺"

    number = models.CharField("承诺书编号", max_length=40, blank=True)
    subject_code = models.CharField("主体代码", max_length=40)
    subject_name = models.CharField("主体名称", max_length=200)
    subject_kind = models.CharField("主体类别", max_length=24, choices=Subject.Kind.choices)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    type = models.CharField("承诺类型", max_length=40, help_text="a code of rule commitments.types")
    subtype = models.CharField("承诺子类型", max_length=40, blank=True)
    type_name = models.CharField("承诺类型名称", max_length=60, help_text="e.g. 审批替代型-告知承诺")
    types_rule = models.CharField(max_length=80, help_text="id@version of commitments.types")
    matter = models.CharField("承诺事项", max_length=500)
    content = models.TextField("承诺内容", max_length=4000)
    made_on = models.DateField("承诺日期")
    deadline = models.DateField("践诺期限", null=True, blank=True)
    # The accepting party: a government unit, or a provider (its staff or its system).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Through whom the commitment's records enter the platform (intake.intake_provider explains).
    intake_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, verbose_name="领域")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, null=True, related_name="+", help_text="信用承诺 record"
    )
    closed_on = models.DateField("践诺/违诺认定日期", null=True, blank=True)
    outcome_note = models.TextField("践诺情况/违诺情形", blank=True)
    breach_document_no = models.CharField("认定文书号", max_length=128, blank=True)
    breach_record = models.OneToOneField(
        CreditRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="the 违反信用承诺 dishonesty record this breach created",
    )  # fmt: skip
    breach_rule = models.CharField(
        max_length=80, blank=True, help_text="id@version of commitments.breach_record"
    )
    overdue_flagged_at = models.DateTimeField("逾期提示时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用承诺 commitment"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, provider__isnull=True)
                | Q(unit__isnull=True, provider__isnull=False),
                name="commitments_commitment_one_accepting_party",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("made_on")),
                name="commitments_commitment_deadline_after_made",
            ),
            # The number is set from the id right after the insert, in the same transaction.
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="commitments_commitment_number_unique"
            ),
            # One determination document, one breach record: the document number is the record's key.
            models.UniqueConstraint(
                fields=["intake_provider", "breach_document_no"],
                condition=~Q(breach_document_no=""),
                name="commitments_commitment_document_unique",
            ),
        ]
        indexes = [
            # A subject's commitments ("我的信用承诺", the API list by subject), newest first.
            models.Index(fields=["subject_code", "-made_on"], name="commitments_subject_idx"),
            # The overdue job: pending commitments past their deadline not yet flagged.
            models.Index(
                fields=["deadline"],
                condition=Q(state="pending", overdue_flagged_at__isnull=True),
                name="commitments_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name} {self.get_state_display()}"

    @property
    def accepted_by(self) -> str:
        party = self.unit or self.provider
        return party.name if party is not None else ""

    def is_overdue_on(self, day: dt.date) -> bool:
        """Pending past its deadline: the deadline day itself is still in time."""
        return self.state == self.State.PENDING and self.deadline is not None and day > self.deadline


class CommitmentEvent(CaseEvent):
    """One step in a commitment's history (recorded, fulfilled, broken, overdue). Append-only: the
    database refuses updates and deletes (migrations 0002 and 0003); the audit trail holds the
    tamper-evident copy."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = verbose_name_plural = "信用承诺记录 commitment event"
        # The history on a commitment's page is read through the foreign key's own index.
