"""Framework tables: the working-day calendar (工作日历)."""

from __future__ import annotations

from django.db import models


class CalendarYear(models.Model):
    """A year whose holiday notice has been entered. Working-day arithmetic refuses other years."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "工作日历年度 calendar year"

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday default: a day off (放假) or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        OFF = "off", "放假 day off"
        MAKEUP = "makeup", "调休上班 make-up working day"

    date = models.DateField(primary_key=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")

    class Meta:
        verbose_name = verbose_name_plural = "节假日调整 calendar day"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
