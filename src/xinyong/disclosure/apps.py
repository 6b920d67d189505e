from __future__ import annotations

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "xinyong.disclosure"
    label = "disclosure"
    verbose_name = "公示与查询 disclosure"
