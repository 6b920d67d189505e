"""The data-quality app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.quality import alerts


@register(
    "quality-alerts",
    title="数据质量提醒：迟报、拒收未更正、未申报",
    at="02:30",
    counts={
        "late": "迟报提醒（条）",
        "not_resubmitted": "未更正提醒（条）",
        "undeclared": "未申报提醒（条）",
    },
)
def quality_alerts() -> dict[str, int]:
    return alerts.run()
