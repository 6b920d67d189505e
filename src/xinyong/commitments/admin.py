from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.commitments.models import Commitment, CommitmentEvent


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    """Read-only: commitments change only through the workflow's services."""

    list_display = ["number", "subject_name", "type_name", "state", "deadline", "made_on"]
    list_filter = ["state", "type"]
    search_fields = ["number", "subject_code", "subject_name"]


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "label", "at", "actor_name"]
