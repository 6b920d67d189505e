from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from xinyong.accounts.admin_base import AuditedAdmin, ReadOnlyAdmin
from xinyong.accounts.models import AuthorisationGrant, RoleAssignment, TotpDevice, Unit, User
from xinyong.accounts.services import unbind_identity
from xinyong.core.errors import PlatformError


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
    list_display = ["username", "kind", "provider", "unit", "subject_code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "=subject_code"]
    inlines = [RoleAssignmentInline]
    actions = ["unbind"]

    @admin.action(description="解除主体绑定（须重新实名核验）", permissions=["change"])
    def unbind(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Moving an account to another subject is a staff action: release it here, with a reason on the
        audit trail; the account then verifies again (``accounts.services.unbind_identity``)."""
        bound = queryset.exclude(subject_code="")
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            assert isinstance(request.user, User)
            try:
                for user in bound:
                    unbind_identity(user, actor=request.user, reason=reason)
            except PlatformError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return None
            self.message_user(request, f"已解除 {len(bound)} 个账号的主体绑定。")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "解除主体绑定",
            "accounts": bound,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "missing_reason": "apply" in request.POST,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/unbind.html", context)


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
