from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "xinyong.records"
    label = "records"
    verbose_name = "信用记录 credit records"
