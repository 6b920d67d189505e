"""The database refuses to change or delete a record version, whatever the ORM or raw SQL tries."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from xinyong.conftest import ProviderPersona, penalty
from xinyong.records.models import RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(client: Any, market_bureau: ProviderPersona) -> RecordVersion:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        market_bureau.post(client, [penalty()])
    return RecordVersion.objects.get()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE records_recordversion SET content_hash = 'x'",
        "DELETE FROM records_recordversion",
    ],
)
def test_raw_sql_cannot_alter_a_version(version: RecordVersion, statement: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert RecordVersion.objects.get().content_hash == version.content_hash


def test_the_orm_cannot_update_a_version(version: RecordVersion) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        RecordVersion.objects.filter(pk=version.pk).update(data={})
