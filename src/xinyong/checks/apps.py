from __future__ import annotations

from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "xinyong.checks"
    label = "checks"
    verbose_name = "信用互查 batch checks"
