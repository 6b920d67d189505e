from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from xinyong.accounts.models import AuthorisationGrant, RoleAssignment, TotpDevice, Unit, User
from xinyong.core.admin_base import AuditedAdmin, ReadOnlyAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("账号类型", {"fields": ["kind", "provider", "unit", "subject_code", "verified_at", "verified_by"]}),
    )
    readonly_fields = ["subject_code", "verified_at", "verified_by"]  # set only by real-name verification
    list_display = ["username", "kind", "provider", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [RoleAssignmentInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "financial_bureau", "active"]
    filter_horizontal = ["domains"]


@admin.register(AuthorisationGrant)
class AuthorisationGrantAdmin(ReadOnlyAdmin):
    list_display = ["subject_code", "grantee_user", "grantee_code", "purpose", "valid_until", "revoked_at"]
    search_fields = ["=subject_code", "=grantee_code"]


@admin.register(TotpDevice)
class TotpDeviceAdmin(AuditedAdmin):
    """Resetting a lost authenticator: delete the device; the person sets up a new one at next sign-in."""

    list_display = ["user", "confirmed_at"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request: object, *args: object) -> bool:
        return False
