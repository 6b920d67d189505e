"""Repair cases in the admin: read-only (they change only through the services, audited)."""

from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.repairs.models import RepairApplication, RepairEvent


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "subject_code",
        "state",
        "filed_on",
        "city_due",
        "provincial_due",
        "overall_due",
    ]
    list_filter = ["state"]
    search_fields = ["=number", "=subject_code"]


@admin.register(RepairEvent)
class RepairEventAdmin(ReadOnlyAdmin):
    list_display = ["application", "at", "label", "actor_name"]
    search_fields = ["=subject_code"]
