"""``xinyong exchange send``: queue new changes for the provincial platform and send what is due.
``xinyong exchange watch``: tell followers of the changes to the subjects they follow (信用监测)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.exchange import upstream, watch


class Command(BaseCommand):
    help = "Queue new changes and send due ones to the provincial platform (idempotent; docs/exchange.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["send", "watch"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "watch":
            self.stdout.write(" ".join(f"{name}={n}" for name, n in watch.run().items()))
            return
        if not upstream.configured():
            self.stderr.write("未设置 XINYONG_UPSTREAM_URL：只排队，不发送（见 docs/operations.md）")
        counts = upstream.run()
        self.stdout.write(
            "排队 {queued} 条；发送 {sent} 条次：确认 {acknowledged}（其中对方已收到 {duplicates}），"
            "待重试 {retrying}，失败 {failed}".format(**counts)
        )
