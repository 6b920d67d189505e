"""The commitments app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.commitments.services import flag_overdue_commitments
from xinyong.core import clock
from xinyong.core.jobs import register


@register(
    "commitments-overdue",
    title="逾期未践诺标记",
    at="01:00",
    counts={"flagged": "新标记逾期未践诺承诺（项）"},
)
def overdue() -> dict[str, int]:
    return {"flagged": len(flag_overdue_commitments(clock.today()))}
