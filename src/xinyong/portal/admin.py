from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import AuditedAdmin
from xinyong.portal.models import Notice


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin):
    list_display = ["title", "kind", "published_on", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "source"]
