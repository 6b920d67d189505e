from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.records.models import CreditRecord, RecordVersion, UpstreamNotice


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


@admin.register(UpstreamNotice)
class UpstreamNoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "record", "subject_code", "change", "version", "source", "sent_at"]
    list_filter = ["change"]
    search_fields = ["=subject_code", "source"]
