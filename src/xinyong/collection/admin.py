from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.collection.models import Batch


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "provider",
        "kind_code",
        "source",
        "status",
        "rows_done",
        "created_count",
        "rejected_count",
    ]
    list_filter = ["status", "source", "kind_code"]
    list_select_related = ["provider"]
