"""The supervision app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
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
