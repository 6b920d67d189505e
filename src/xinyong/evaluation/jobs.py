"""The evaluation's nightly job (registered with ``core.jobs``; run by ``xinyong serve``)."""

from __future__ import annotations

from xinyong.core.jobs import register
from xinyong.evaluation.services import evaluate


@register(
    "evaluation-nightly",
    title="公共信用综合评价（全部主体）",
    at="02:30",
    counts={"evaluated": "评价主体（个）", "changed": "结果变化（个）"},
)
def nightly() -> dict[str, int]:
    run = evaluate()
    return {"evaluated": run.evaluated, "changed": run.changed}
