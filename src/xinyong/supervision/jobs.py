"""The supervision app's periodic jobs (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.supervision.interviews import flag_overdue_interviews
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.services import review_warnings


@register(
    "supervision-warnings",
    title="社会信用预警发出与撤回",
    at="00:20",
    counts={"raised": "新发出预警（条）", "withdrawn": "撤回预警（条）"},
)
def warnings() -> dict[str, int]:
    changes = review_warnings(None)
    return {"raised": len(changes.raised), "withdrawn": len(changes.withdrawn)}


@register(
    "supervision-risk-warnings",
    title="信用风险预警发出与撤回",
    at="01:20",
    counts={"raised": "新发出风险预警（条）", "withdrawn": "撤回风险预警（条）"},
)
def risk_warnings() -> dict[str, int]:
    changes = review_risk_warnings(None)
    return {"raised": len(changes.raised), "withdrawn": len(changes.withdrawn)}


@register(
    "supervision-interviews-overdue",
    title="约谈整改逾期提示",
    at="01:40",
    counts={"flagged": "新标记逾期未认定整改结果的约谈（件）"},
)
def interviews_overdue() -> dict[str, int]:
    return {"flagged": len(flag_overdue_interviews())}
