from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xinyong.core"
    label = "core"
    verbose_name = "框架 core"

    def ready(self) -> None:
        # Registers the system checks (``xinyong check``, and ``--deploy`` for production) and the
        # ``in_set`` lookup (``core.bulk``), which a query may use before anything else imports it.
        from xinyong.core import (
            bulk,  # noqa: F401
            checks,  # noqa: F401
            rulebook,
        )

        # Every rule version checked against its schema now: a typo in rulebook/*.yaml stops the start.
        rulebook.check()
