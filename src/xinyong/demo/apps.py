from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic city (``xinyong demo``): the top layer, since it seeds every app below it."""

    name = "xinyong.demo"
    label = "demo"
    verbose_name = "演示 demo"
