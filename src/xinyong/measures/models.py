"""Joint rewards and punishments (联合奖惩): the measure catalogue, persons linked to organisations, and
the counter checks (嵌入式核查) units run with the feedback they give.

The catalogue is data (``data/measures/catalogue.yaml``), seeded additively and then edited by staff in
the admin. Measures are versioned and effective-dated like record kinds: a change is a new version, and
every check stores the ``code@version`` of each measure it answered with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import Unit, User


class Scenario(models.Model):
    """A scenario (应用场景) in which units apply measures, e.g. 招标投标, 政府采购."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("场景", max_length=100)
    # The legal query purpose (data/query_purposes.yaml) a check in this scenario is normally made for.
    purpose = models.CharField("默认查询事由", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "应用场景 scenario"

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One measure (奖惩措施) of a scenario in one version: what triggers it, what the officer must do, and
    its legal basis. ``triggers`` is a list of ``{kind, field?, values?, severity?, within_months?}``
    (docs/measures.md); any one makes the measure apply."""

    class Direction(models.TextChoices):
        PUNISHMENT = "punishment", "失信惩戒"
        REWARD = "reward", "守信激励"

    class Kind(models.TextChoices):
        PROHIBIT = "prohibit", "禁止"
        RESTRICT = "restrict", "限制"
        SCRUTINY = "scrutiny", "重点审查"
        GREEN_CHANNEL = "green_channel", "绿色通道"
        TOLERANCE = "tolerance", "容缺受理"
        FEWER_INSPECTIONS = "fewer_inspections", "减少检查"
        PRIORITY = "priority", "优先安排"

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
        PRINCIPAL = "principal", "主要负责人"
        ACTUAL_CONTROLLER = "actual_controller", "实际控制人"

    code = models.SlugField("代码", max_length=60)
    version = models.PositiveIntegerField(default=1)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="measures")
    direction = models.CharField("类别", max_length=12, choices=Direction.choices)
    kind = models.CharField("措施类型", max_length=20, choices=Kind.choices)
    name = models.CharField("措施", max_length=200)
    instruction = models.TextField("核查人员应当")
    triggers = models.JSONField("触发条件")
    extends_to_persons = models.BooleanField("延伸至相关责任人", default=False)
    person_roles = models.JSONField("延伸的职务", default=list, blank=True)
    basis = models.CharField("法律依据", max_length=500)
    national_item = models.CharField("基础清单条目", max_length=200, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["scenario__order", "code", "version"]
        verbose_name = verbose_name_plural = "奖惩措施 measure"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="measures_measure_unique_version"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="measures_measure_effective_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def ref(self) -> str:
        return f"{self.code}@{self.version}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class PersonLink(models.Model):
    """A person holding a role in an organisation (法定代表人 / 主要负责人 / 实际控制人) over a span of days:
    from ``started_on`` up to, not including, ``ended_on`` (null: still in office). Derived data, rebuilt
    per organisation from registrations and from the 法定代表人 fields of its records (``links.py``)."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", "登记信息"
        RECORD = "record", "信用记录的法定代表人字段"

    organisation_code = models.CharField("组织统一社会信用代码", max_length=40)
    organisation_name = models.CharField("组织名称", max_length=200)
    person_code = models.CharField("证件号码", max_length=40)
    person_name = models.CharField("姓名", max_length=100)
    role = models.CharField("职务", max_length=24, choices=Measure.Role.choices)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    source_record_id = models.BigIntegerField("来源记录")

    class Meta:
        verbose_name = verbose_name_plural = "相关责任人 person link"
        indexes = [
            # A person's check: the organisations the person held a role in.
            models.Index(fields=["person_code"], name="measures_link_person_idx"),
            # Rebuilding one organisation's links.
            models.Index(fields=["organisation_code"], name="measures_link_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_role_display()} {self.organisation_name}"

    def held_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


class Check(models.Model):
    """One counter check (嵌入式核查): a unit officer asked which measures of a scenario apply to a subject
    now, for a legal purpose. ``result`` keeps what was answered (measures with their triggers)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    subject_code = models.CharField("主体代码", max_length=40)
    subject_name = models.CharField("主体名称", max_length=200, blank=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("查询事由", max_length=200)
    at = models.DateTimeField("核查时间")
    result = models.JSONField()
    # How many measures were answered: the statistics count feedback still owed without reading JSON.
    measure_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "嵌入式核查 check"
        indexes = [
            models.Index(fields=["subject_code"], name="measures_check_subject_idx"),
            # The feedback statistics: checks by unit and scenario.
            models.Index(fields=["unit", "scenario"], name="measures_check_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.scenario_id} {self.at:%Y-%m-%d}"

    @property
    def measure_refs(self) -> list[str]:
        return [m["ref"] for m in self.result.get("measures", [])]

    def measure(self, ref: str) -> dict[str, Any] | None:
        return next((m for m in self.result.get("measures", []) if m["ref"] == ref), None)


class Feedback(models.Model):
    """What the officer did with one measure of a check (奖惩反馈): applied, or not and why."""

    check_run = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="feedback")
    subject_code = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    measure_ref = models.CharField("措施", max_length=80)
    direction = models.CharField(max_length=12, choices=Measure.Direction.choices)
    applied = models.BooleanField("已实施")
    reason = models.CharField("未实施原因", max_length=1000, blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "奖惩反馈 feedback"
        constraints = [
            models.UniqueConstraint(fields=["check_run", "measure_ref"], name="measures_feedback_once"),
            models.CheckConstraint(
                condition=Q(applied=True) | ~Q(reason=""), name="measures_feedback_reason_if_not_applied"
            ),
        ]
        indexes = [models.Index(fields=["unit", "scenario"], name="measures_feedback_unit_idx")]

    def __str__(self) -> str:
        return f"{self.check_run_id} {self.measure_ref} {'已实施' if self.applied else '未实施'}"
