"""The repairs app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.repairs.services import flag_overdue_repairs


@register("repairs-overdue", title="信用修复逾期标记", at="00:50", counts={"flagged": "新标记逾期环节（个）"})
def overdue() -> dict[str, int]:
    return {"flagged": len(flag_overdue_repairs())}
