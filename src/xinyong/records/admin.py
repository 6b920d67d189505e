from __future__ import annotations

from django.contrib import admin

from xinyong.core.admin_base import ReadOnlyAdmin
from xinyong.records.models import CreditRecord, RecordVersion


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind_code", "subject_code", "provider", "decision_date", "latest_version", "hold"]
    list_filter = ["kind_code", "hold", "met_natural_day_rule", "met_working_day_rule"]
    search_fields = ["=subject_code", "key"]
    list_select_related = ["provider"]


@admin.register(RecordVersion)
class RecordVersionAdmin(ReadOnlyAdmin):
    list_display = ["record", "version", "batch", "received_at", "content_hash"]
    search_fields = ["=subject_code"]
