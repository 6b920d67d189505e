from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinyong.portal"
    label = "portal"
    verbose_name = "门户 portal"
