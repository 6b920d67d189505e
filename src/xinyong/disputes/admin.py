from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.disputes.models import Objection, ObjectionEvent


class EventInline(admin.TabularInline):
    model = ObjectionEvent
    extra = 0
    can_delete = False
    fields = ["at", "label", "actor_name", "to_state", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    """Cases are changed only through the workflow (the pages); the admin shows them."""

    list_display = [
        "number", "subject_code", "record", "omitted_key", "state", "outcome", "overall_due", "escalated_at",
    ]  # fmt: skip
    list_filter = ["state", "outcome", "grounds"]
    search_fields = ["=number", "=subject_code", "=omitted_key"]
    list_select_related = ["record"]
    inlines = [EventInline]
