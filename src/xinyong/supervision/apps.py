from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xinyong.supervision"
    label = "supervision"
    verbose_name = "监管 supervision"

    def ready(self) -> None:
        # Subscribes to intake's ``rows_stored``: collection is a layer below and may not call us.
        from xinyong.supervision import receivers  # noqa: F401
