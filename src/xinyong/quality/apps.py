from __future__ import annotations

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "xinyong.quality"
    label = "quality"
    verbose_name = "数据质量 data quality"
