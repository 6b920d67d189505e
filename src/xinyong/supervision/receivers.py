"""Supervision's answer to intake (``collection.signals.rows_stored``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from typing import Any

from django.dispatch import receiver

from xinyong.catalog.models import RecordKind
from xinyong.collection.signals import rows_stored
from xinyong.core import clock
from xinyong.supervision.risk import review_risk_warnings
from xinyong.supervision.rules import RISK_RULES
from xinyong.supervision.services import KEY_ATTENTION, review_warnings


@receiver(rows_stored, dispatch_uid="supervision.review_key_attention")
def review_key_attention(
    sender: Any, *, kind: RecordKind, subject_codes: Set[str], at: dt.datetime, **kwargs: Any
) -> None:
    # A third list within a year raises a public warning at once; a removal may withdraw one.
    if kind.code == KEY_ATTENTION:
        review_warnings(subject_codes, at=at)


@receiver(rows_stored, dispatch_uid="supervision.review_risk")
def review_risk(
    sender: Any, *, kind: RecordKind, subject_codes: Set[str], at: dt.datetime, **kwargs: Any
) -> None:
    # The sixtieth penalty, a third department or a second serious list raises a risk warning at once;
    # a list exit may withdraw one. Judged on the day of receipt, as the daily job judges.
    today = clock.local_date(at)
    if any(
        (rule := spec.on_or_none(today)) is not None and rule.value.kind == kind.code for spec in RISK_RULES
    ):
        review_risk_warnings(subject_codes, at=at)
