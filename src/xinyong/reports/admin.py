from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from xinyong.accounts.admin_base import ReadOnlyAdmin
from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.reports import services
from xinyong.reports.models import FinancialListEntry, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "edition",
        "subject_name",
        "subject_code",
        "state",
        "requested_at",
        "requester_name",
    ]
    list_filter = ["edition", "state"]
    search_fields = ["=number", "=subject_code"]
    actions = ["revoke_reports"]

    @admin.action(description="作废所选报告（出具错误）")
    def revoke_reports(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        user = request.user
        if not isinstance(user, User) or not allowed(user, Action.MANAGE_REPORTS):
            messages.error(request, "仅目录管理员可作废报告。")
            return
        for report in queryset:
            services.revoke(report, actor=user, reason="管理员作废：出具错误")
        messages.success(request, f"已作废 {queryset.count()} 份报告。")


@admin.register(FinancialListEntry)
class FinancialListEntryAdmin(ReadOnlyAdmin):
    """Shown to centre staff; kept by the financial bureau on its own page (reports.financial_list)."""

    list_display = ["subject_code", "name", "reason", "active", "added_at"]
    list_filter = ["active"]
    search_fields = ["=subject_code", "name"]
