from __future__ import annotations

from django.contrib import admin

from xinyong.accounts.admin_base import AuditedAdmin

# The working-day calendar (core's models) is edited by catalogue administrators; its admin lives
# here because the kernel may not import the accounts that decide who they are.
from xinyong.catalog import calendar_admin  # noqa: F401  (registers on import)
from xinyong.catalog.models import ApiKey, Domain, Provider, ProviderGrant, RecordKind


@admin.register(Domain)
class DomainAdmin(AuditedAdmin):
    list_display = ["number", "name", "city_units", "in_special_report"]
    search_fields = ["name", "city_units"]


@admin.register(RecordKind)
class RecordKindAdmin(AuditedAdmin):
    list_display = ["code", "version", "name", "category", "severity", "effective_from", "effective_to"]
    list_filter = ["category", "code"]


class ProviderGrantInline(admin.TabularInline):
    model = ProviderGrant
    extra = 0


class ApiKeyInline(admin.TabularInline):
    """Keys are issued with ``xinyong provider create|rotate-key``; here they can only be seen and revoked."""

    model = ApiKey
    extra = 0
    fields = ["prefix", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "label", "created_at", "last_used_at"]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "code", "active"]
    search_fields = ["name", "code"]
    inlines = [ProviderGrantInline, ApiKeyInline]
