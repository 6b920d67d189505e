from __future__ import annotations

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "xinyong.disputes"
    label = "disputes"
    verbose_name = "异议 disputes"
