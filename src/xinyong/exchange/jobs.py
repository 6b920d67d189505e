"""The exchange app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.exchange import upstream
from xinyong.exchange.watch import run as run_watch


@register(
    "exchange-upstream",
    title="向省公共信用信息平台上报变更",
    at="01:40",
    counts={
        "queued": "新排队（条）", "sent": "发送（条次）", "acknowledged": "已确认（条）",
        "duplicates": "其中对方已收到（条）", "retrying": "待重试（条）", "failed": "失败转人工（条）",
    },
)  # fmt: skip
def send() -> dict[str, int]:
    return upstream.run()


@register(
    "exchange-watch",
    title="信用监测：站内通知、邮件日报与回调",
    at="07:30",
    counts={
        "changes": "读取变更（条）", "notices": "站内通知（条）", "digests": "邮件日报（封）",
        "webhook_calls": "新回调（条）", "delivered": "回调送达（条）", "retrying": "回调待重试（条）",
        "failed": "回调失败（条）",
    },
)  # fmt: skip
def watch() -> dict[str, int]:
    return run_watch()
