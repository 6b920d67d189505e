"""The exchange app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.exchange import upstream


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
