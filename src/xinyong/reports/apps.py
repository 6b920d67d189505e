from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xinyong.reports"
    label = "reports"
    verbose_name = "专项信用报告 reports"

    def ready(self) -> None:
        # Registers the signing system checks, so a broken production key stops the start, not the first report.
        from xinyong.reports import signing  # noqa: F401
