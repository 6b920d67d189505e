"""Every state change writes its audit entry in the same transaction (ARCHITECTURE principle 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xinyong.audit.models import AuditEntry
from xinyong.audit.verify import verify_chain
from xinyong.catalog.services import rotate_key
from xinyong.collection.services import run_batch, start_file_import
from xinyong.conftest import MARKET_BUREAU_USCC, ProviderPersona, penalty
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with travel_to("2026-11-22 10:00"):
        yield


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_provider_creation_and_key_changes_are_on_the_trail(market_bureau: ProviderPersona) -> None:
    rotate_key(market_bureau.provider)

    assert actions() == ["provider.create", "api_key.issue", "api_key.revoke_all", "api_key.issue"]
    assert set(AuditEntry.objects.values_list("object_id", flat=True)) == {MARKET_BUREAU_USCC}
    assert verify_chain().ok


def test_an_api_submission_is_one_entry_with_its_counts(
    client: Client, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(client, [penalty(), penalty(违法事实=None)])

    entry = AuditEntry.objects.get(action="batch.submit")
    assert (entry.actor_type, entry.actor_id) == ("provider", MARKET_BUREAU_USCC)
    assert '"created_count": 1' in entry.detail and '"rejected_count": 1' in entry.detail
    assert entry.request_id  # set by the request id middleware


def test_a_file_import_is_registered_and_finished_on_the_trail(
    tmp_path: Path, market_bureau: ProviderPersona
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"行政相对人名称": "x"}\n', encoding="utf-8")

    run_batch(start_file_import(market_bureau.provider, path, kind_code="penalty"))

    assert actions()[-2:] == ["batch.register", "batch.finish"]


def test_a_refused_change_leaves_no_entry(client: Client, market_bureau: ProviderPersona) -> None:
    before = AuditEntry.objects.count()

    market_bureau.post(client, [])

    assert AuditEntry.objects.count() == before
