"""Admin base classes: who may use which admin page, and an audit entry for every change made there.

Credit data (subjects, records, versions, batches) is read-only in the admin for everyone: it changes
only through the intake pipeline and the workflows. Reference data (catalogue, providers, units, the
calendar, accounts) is edited by catalogue administrators, each save and delete on the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest

from xinyong.accounts.models import User
from xinyong.accounts.permissions import CENTRE, Action, allowed, principals_of


def _is_centre(request: HttpRequest) -> bool:
    return isinstance(request.user, User) and bool(principals_of(request.user) & CENTRE)


def _may_edit(request: HttpRequest) -> bool:
    return isinstance(request.user, User) and allowed(request.user, Action.EDIT_CATALOGUE)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_centre(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Reference data: centre staff look, catalogue administrators change, the trail records it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_centre(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_centre(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit(request)

    def _audit(self, request: HttpRequest, obj: Any, action: str, changed: list[str]) -> None:
        from xinyong.audit.services import Actor, record

        assert isinstance(request.user, User)
        record(
            actor=Actor.of_user(request.user),
            action=f"admin.{action}",
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            detail={"repr": str(obj), "changed": changed},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "change" if change else "add", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._audit(request, obj, "delete", [])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, "delete", [])
            super().delete_queryset(request, queryset)


class CentreAdminSite(admin.AdminSite):
    """The admin is for centre staff only, whatever ``is_staff`` says."""

    site_header = "公共信用信息平台 · 管理"
    site_title = "xinyong"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active) and _is_centre(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # One sign-in for everyone, with throttling and TOTP: the portal's.
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", "/admin/"))
