"""Intake publishes ``rows_stored`` for the layers above it, inside the chunk's transaction."""

from __future__ import annotations

from typing import Any

from django.test import Client

from xinyong.collection.signals import rows_stored
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, ProviderPersona, penalty
from xinyong.records.models import CreditRecord


def test_it_sends_the_kind_and_the_stored_subjects_codes(
    client: Client, market_bureau: ProviderPersona
) -> None:
    heard: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    rows_stored.connect(listen, dispatch_uid="test.listen")
    try:
        response = market_bureau.post(
            client,
            [penalty(), penalty(**{"统一社会信用代码": OTHER_COMPANY_USCC, "行政处罚决定书文号": "厦市监罚〔2026〕2号"}),
             penalty(**{"统一社会信用代码": "bad"})],
        )  # fmt: skip
    finally:
        rows_stored.disconnect(dispatch_uid="test.listen")
    assert response.status_code == 200, response.content
    assert len(heard) == 1
    assert heard[0]["kind"].code == "penalty"
    # The refused row's subject is not among them: only stored rows are published.
    assert heard[0]["subject_codes"] == {COMPANY_USCC, OTHER_COMPANY_USCC}


def test_it_rolls_the_rows_back_when_a_subscriber_fails(market_bureau: ProviderPersona) -> None:
    client = Client(raise_request_exception=False)

    def fail(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("subscriber failed")

    rows_stored.connect(fail, dispatch_uid="test.fail")
    try:
        response = market_bureau.post(client, [penalty()])
    finally:
        rows_stored.disconnect(dispatch_uid="test.fail")
    assert response.status_code == 500
    assert not CreditRecord.objects.exists()
