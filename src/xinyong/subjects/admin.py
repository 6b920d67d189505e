from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.subjects.models import Subject, SubjectName


class SubjectNameInline(admin.TabularInline):
    model = SubjectName
    extra = 0
    can_delete = False
    readonly_fields = ["name", "first_seen_on", "last_seen_on"]
    fields = readonly_fields


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "code_valid"]
    list_filter = ["kind", "code_valid"]
    search_fields = ["=code", "name"]
    inlines = [SubjectNameInline]
