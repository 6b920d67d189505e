"""Background work of collection, run by the task worker (``xinyong worker``)."""

from __future__ import annotations

from contextlib import suppress

from django_tasks import task

from xinyong.collection.models import Batch
from xinyong.collection.services import run_batch
from xinyong.core.errors import PlatformError
from xinyong.core.worker import retry_transient


@task()
def import_batch(batch_id: int) -> None:
    # A refusal is stored on the batch, where the uploader sees it; a locked or lost database is waited
    # out (the import resumes from its checkpoint); anything else propagates.
    with suppress(PlatformError):
        retry_transient(lambda: run_batch(Batch.objects.get(pk=batch_id)), what=f"导入批次 {batch_id}")
