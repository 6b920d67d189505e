from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "xinyong.exchange"
    label = "exchange"
    verbose_name = "数据交换 exchange"
