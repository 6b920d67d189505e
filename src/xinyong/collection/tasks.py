"""Background work of collection, run by the task worker (``xinyong worker``)."""

from __future__ import annotations

from contextlib import suppress

from django_tasks import task

from xinyong.collection.models import Batch
from xinyong.collection.services import run_batch
from xinyong.core.errors import PlatformError


@task()
def import_batch(batch_id: int) -> None:
    # A refusal is stored on the batch, where the uploader sees it; anything else propagates.
    with suppress(PlatformError):
        run_batch(Batch.objects.get(pk=batch_id))
