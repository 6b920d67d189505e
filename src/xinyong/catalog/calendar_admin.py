from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseInlineFormSet, Form
from django.http import HttpRequest

from xinyong.accounts.admin_base import AuditedAdmin
from xinyong.accounts.models import User
from xinyong.accounts.permissions import CENTRE, Action, allowed, principals_of
from xinyong.core.models import CalendarDay, CalendarYear

WEEKDAYS = "一二三四五六日"

# The admin index warns centre staff when a year deadlines may soon need has no holiday notice
# (accounts.context_processors.calendar_warning supplies the years).
admin.site.index_template = "core/admin_index.html"


class CalendarDayForm(forms.ModelForm):
    """A day must belong to its year, and must change something: a make-up working day (调休) on a
    weekday or a day off on a weekend says nothing the Monday–Friday default does not already say.

    Only added or changed rows are judged: the State Council's notices list whole holiday ranges,
    weekends included, and the seeded years keep them as published."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "year"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day: dt.date | None = data.get("date")
        kind = data.get("kind")
        year: CalendarYear | None = data.get("year") or getattr(self.instance, "year", None)
        if day is None or not self.has_changed():
            return data
        if year is not None and day.year != year.year:
            raise forms.ValidationError(
                "日期 %(day)s 不属于 %(year)s 年度，请在该日期所在年度下录入。",
                code="wrong_year",
                params={"day": day.isoformat(), "year": year.year},
            )
        weekday = f"星期{WEEKDAYS[day.weekday()]}"
        if kind == CalendarDay.Kind.MAKEUP and day.weekday() < 5:
            raise forms.ValidationError(
                "%(day)s 是%(weekday)s，本来就是工作日，设为“调休上班”没有意义。",
                code="makeup_on_weekday",
                params={"day": day.isoformat(), "weekday": weekday},
            )
        if kind == CalendarDay.Kind.OFF and day.weekday() >= 5:
            raise forms.ValidationError(
                "%(day)s 是%(weekday)s，本来就休息，单独设为“放假”没有意义。",
                code="off_on_weekend",
                params={"day": day.isoformat(), "weekday": weekday},
            )
        return data


class CalendarDayInline(admin.TabularInline):
    """The year's days, edited on the year's page by catalogue administrators (the same rule as
    ``AuditedAdmin``; inlines otherwise ask Django's model permissions, which no account holds)."""

    model = CalendarDay
    form = CalendarDayForm
    extra = 0
    ordering = ["date"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return isinstance(request.user, User) and bool(principals_of(request.user) & CENTRE)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return isinstance(request.user, User) and allowed(request.user, Action.EDIT_CATALOGUE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "source"]
    inlines = [CalendarDayInline]

    def save_formset(
        self, request: HttpRequest, form: Form, formset: BaseInlineFormSet, change: bool
    ) -> None:
        # The days are edited inline: each added, changed or deleted day gets its own trail entry, in
        # the admin's transaction (AuditedAdmin only audits the year itself).
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for day in deleted:
            self._audit(request, day, "delete", [])
        super().save_formset(request, form, formset, change)
        for day in formset.new_objects:
            self._audit(request, day, "add", ["date", "kind"])
        for day, changed in formset.changed_objects:
            self._audit(request, day, "change", list(changed))


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    form = CalendarDayForm
    list_display = ["date", "kind", "year"]
    list_filter = ["kind", "year"]
