"""The batch-check app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.checks.assists import flag_overdue_assists
from xinyong.core import clock
from xinyong.core.jobs import register


@register(
    "checks-assists-overdue", title="协查逾期标记", at="01:40", counts={"flagged": "新标记逾期协查（件）"}
)
def assists_overdue() -> dict[str, int]:
    return {"flagged": len(flag_overdue_assists(clock.today()))}
