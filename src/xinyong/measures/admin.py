"""The measure catalogue in the admin: centre staff look, catalogue administrators edit (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from xinyong.accounts.admin_base import AuditedAdmin, ReadOnlyAdmin
from xinyong.measures.models import Check, Measure, PersonLink, Scenario
from xinyong.measures.triggers import check_triggers


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [f.name for f in Measure._meta.fields if f.name != "id"]

    def clean_triggers(self) -> Any:
        triggers = self.cleaned_data["triggers"]
        check_triggers(triggers, where=self.cleaned_data.get("code", ""))
        return triggers


@admin.register(Scenario)
class ScenarioAdmin(AuditedAdmin):
    list_display = ("order", "code", "name", "purpose")


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    form = MeasureForm
    list_display = (
        "code",
        "version",
        "scenario",
        "direction",
        "kind",
        "name",
        "effective_from",
        "effective_to",
    )
    list_filter = ("scenario", "direction", "kind")
    search_fields = ("code", "name", "basis")


@admin.register(PersonLink)
class PersonLinkAdmin(ReadOnlyAdmin):
    list_display = ("organisation_name", "role", "person_name", "started_on", "ended_on", "source")
    search_fields = ("organisation_code", "organisation_name")


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = ("at", "unit", "scenario", "subject_name", "measure_count")
    list_filter = ("scenario",)
