from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xinyong.evaluation"
    label = "evaluation"
    verbose_name = "信用评价 evaluation"
