"""An import cut short by a locked or lost database resumes from its checkpoint (the task retries it,
``core.worker.retry_transient``) instead of ending as failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import OperationalError

from xinyong.collection import services as collection_services
from xinyong.collection.models import Batch
from xinyong.collection.services import _owner, run_batch, start_file_import
from xinyong.collection.tasks import import_batch
from xinyong.collection.tests.test_file_import import rows, write_csv
from xinyong.conftest import ProviderPersona
from xinyong.core import worker as core_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(core_worker.time, "sleep", waited.append)
    return waited


def test_an_import_cut_short_by_a_locked_database_resumes_from_its_checkpoint(
    tmp_path: Path,
    market_bureau: ProviderPersona,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    settings: Any,
) -> None:
    settings.XINYONG_IMPORT_CHUNK_ROWS = 3
    real_ingest, calls = collection_services.ingest_chunk, [0]

    def ingest_locked_once(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 2:  # the second chunk, after the first committed
            raise OperationalError("database is locked")
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(collection_services, "ingest_chunk", ingest_locked_once)
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        batch = start_file_import(market_bureau.provider, write_csv(tmp_path / "p.csv", rows(7)))

        import_batch.call(batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.created_count, batch.error) == ("done", 7, 7, "")
    assert sleeps == [0.5]


def test_a_batch_this_process_left_running_is_taken_again(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    """GIVEN an import whose database error came before it could mark the batch failed."""
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        batch = start_file_import(market_bureau.provider, write_csv(tmp_path / "p.csv", rows(4)))
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.RUNNING, owner=_owner(), heartbeat_at=batch.received_at
        )

        finished = run_batch(batch)

    assert (finished.status, finished.created_count) == ("done", 4)
