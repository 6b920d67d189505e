from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xinyong.audit"
    label = "audit"
    verbose_name = "审计 audit trail"
