from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinyong.accounts"
    label = "accounts"
    verbose_name = "账号 accounts"

    def ready(self) -> None:
        # Registers the system checks (``xinyong check``, and ``--deploy`` for production).
        from xinyong.accounts import checks  # noqa: F401
