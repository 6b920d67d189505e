"""Supervision's answer to intake (``collection.signals.rows_stored``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from typing import Any

from django.dispatch import receiver

from xinyong.catalog.models import RecordKind
from xinyong.collection.signals import rows_stored
from xinyong.supervision.services import KEY_ATTENTION, review_warnings


@receiver(rows_stored, dispatch_uid="supervision.review_key_attention")
def review_key_attention(
    sender: Any, *, kind: RecordKind, subject_codes: Set[str], at: dt.datetime, **kwargs: Any
) -> None:
    # A third list within a year raises a public warning at once; a removal may withdraw one.
    if kind.code == KEY_ATTENTION:
        review_warnings(subject_codes, at=at)
