"""Background work of batch checks, run by the task worker (``xinyong worker``)."""

from __future__ import annotations

from django_tasks import task

from xinyong.checks import services
from xinyong.checks.models import BatchCheck
from xinyong.core.worker import retry_transient


@task()
def run_batch_check(batch_id: int) -> None:
    # A locked or lost database is waited out; anything else marks the batch failed for the unit to see
    # and propagates to the worker's log.
    try:
        retry_transient(
            lambda: services.run(BatchCheck.objects.get(pk=batch_id)), what=f"批量核查 {batch_id}"
        )
    except Exception as exc:
        services.fail(batch_id, f"核查失败：{type(exc).__name__}")
        raise
