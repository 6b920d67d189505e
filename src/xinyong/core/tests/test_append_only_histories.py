"""The case histories of objections, repairs and commitments are append-only in the database itself:
an UPDATE or DELETE, through the ORM or raw SQL, is refused (core.append_only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, models, transaction

from xinyong.commitments.models import CommitmentEvent
from xinyong.disputes.models import ObjectionEvent
from xinyong.repairs.models import RepairEvent

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


def _event(model: type[models.Model]) -> models.Model:
    """A history row. Its case does not exist: the foreign keys are checked at commit, and every test
    here rolls back first."""
    common = {"subject_code": "C", "at": AT, "actor_name": "test"}
    if model is ObjectionEvent:
        return ObjectionEvent.objects.create(
            objection_id=1, action="filed", label="受理", to_state="accepted", **common
        )
    if model is RepairEvent:
        return RepairEvent.objects.create(application_id=1, action="file", label="提交", **common)
    return CommitmentEvent.objects.create(
        commitment_id=1, action="record", label="登记", to_state="pending", **common
    )


@pytest.mark.parametrize("model", [ObjectionEvent, RepairEvent, CommitmentEvent])
def test_the_database_refuses_to_change_or_delete_a_history_row(model: type[models.Model]) -> None:
    table = model._meta.db_table
    changes: list[Callable[[models.QuerySet[Any]], object]] = [
        lambda rows: rows.update(subject_code="X"),
        lambda rows: rows.delete(),
    ]
    for change in changes:
        with pytest.raises(DatabaseError, match=f"{table} is append-only"), transaction.atomic():
            event = _event(model)
            change(model._default_manager.filter(pk=event.pk))
