"""The reports app's periodic jobs (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.reports.services import flag_overdue_confirmations, purge_expired


@register(
    "reports-purge", title="删除超过保存期限的报告文件", at="02:00", counts={"purged": "删除报告文件（份）"}
)
def purge() -> dict[str, int]:
    return {"purged": purge_expired()}


@register(
    "reports-confirmations-overdue", title="金融专用版确认逾期", at="01:30",
    counts={"flagged": "新标记逾期未确认（项）"},
)  # fmt: skip
def confirmations_overdue() -> dict[str, int]:
    return {"flagged": flag_overdue_confirmations()}
