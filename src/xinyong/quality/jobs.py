"""The data-quality app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.quality import alerts, codes


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


@register(
    "quality-code-issues",
    title="重错码排查：校验位错误、一码多名、一名多码、组织用身份证号码",
    at="02:40",
    counts={"found": "新发现待研判（条）"},
)
def code_issues() -> dict[str, int]:
    return {"found": codes.detect()}
