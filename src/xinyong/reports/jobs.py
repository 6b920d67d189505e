"""The reports app's periodic job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.reports.services import purge_expired


@register(
    "reports-purge", title="删除超过保存期限的报告文件", at="02:00", counts={"purged": "删除报告文件（份）"}
)
def purge() -> dict[str, int]:
    return {"purged": purge_expired()}
