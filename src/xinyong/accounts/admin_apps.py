from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class CentreAdminConfig(AdminConfig):
    """Django's admin, with the site that only centre staff may enter."""

    default_site = "xinyong.accounts.admin_base.CentreAdminSite"
