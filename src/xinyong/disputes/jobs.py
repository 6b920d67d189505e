"""The disputes app's periodic jobs (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.disputes.services import flag_overdue_objections, link_arrived_records


@register("disputes-overdue", title="异议逾期督办", at="00:30", counts={"flagged": "新标记逾期异议（件）"})
def overdue() -> dict[str, int]:
    return {"flagged": len(flag_overdue_objections())}


@register(
    "disputes-arrivals", title="遗漏异议补录核对", at="00:40", counts={"linked": "新关联补录记录（件）"}
)
def arrivals() -> dict[str, int]:
    return {"linked": len(link_arrived_records())}
