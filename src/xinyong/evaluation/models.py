"""Stored outcomes of the public credit composite evaluation (公共信用综合评价).

``Evaluation`` keeps a subject's history: a run writes a new row only when the outcome (grade, score,
indicator counts and contributions, tags, model version) differs from the subject's current row, which it
then marks as no longer current; a run that finds the same outcome writes nothing. ``GradeCount`` is the
distribution after each run over all subjects, by domain, for the staff charts.
"""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Q


class Evaluation(models.Model):
    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    subject_code = models.CharField(max_length=40)
    grade = models.CharField("等级", max_length=1, choices=Grade.choices)
    score = models.IntegerField("得分")
    model = models.CharField("评价模型", max_length=80, help_text="id@version of evaluation.model")
    evaluated_on = models.DateField("评价日")
    evaluated_at = models.DateTimeField()
    # JSON text, made by the evaluation's SQL: {indicator: {"n": count, "points": contribution}} for each
    # indicator with a count, and the clean-record bonus. Text so that both databases compare it as written.
    indicators = models.TextField()
    # JSON text {indicator: [record id, …]}: the records behind each count (order not significant).
    record_ids = models.TextField()
    override = models.CharField(
        "规则调整", max_length=40, blank=True, help_text="the indicator whose override decided"
    )
    # Tag codes as ",a,b," (empty: none), so a tag filter is one LIKE '%,code,%'.
    tags = models.CharField("信用标签", max_length=300, blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用评价 evaluation"
        constraints = [
            # The evaluation run relies on it: at most one current row per subject.
            models.UniqueConstraint(
                fields=["subject_code"], condition=Q(current=True), name="evaluation_one_current"
            ),
        ]
        indexes = [
            # A subject's page and history: its rows, newest first.
            models.Index(fields=["subject_code", "-evaluated_at"], name="evaluation_subject_idx"),
            # Staff lists and spot checks: current rows by grade.
            models.Index(fields=["grade"], name="evaluation_current_grade_idx", condition=Q(current=True)),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.grade} ({self.evaluated_on})"

    @property
    def indicator_values(self) -> dict[str, dict[str, int]]:
        return dict(json.loads(self.indicators))

    @property
    def records_by_indicator(self) -> dict[str, list[int]]:
        return {code: sorted(ids) for code, ids in json.loads(self.record_ids).items()}

    @property
    def tag_codes(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class GradeCount(models.Model):
    """How many subjects held each grade after the run of ``day``: all subjects (domain 0) and, per report
    domain, the subjects with a record in it."""

    day = models.DateField()
    domain_number = models.PositiveSmallIntegerField(help_text="0: all subjects")
    grade = models.CharField(max_length=1, choices=Evaluation.Grade.choices)
    subjects = models.PositiveIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "评价等级分布 grade count"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "domain_number", "grade"], name="evaluation_gradecount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.domain_number} {self.grade}: {self.subjects}"
