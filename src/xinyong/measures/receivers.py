"""The measures app's answer to intake (``collection.signals.rows_stored``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from typing import Any

from django.dispatch import receiver

from xinyong.catalog.models import RecordKind
from xinyong.collection.signals import rows_stored
from xinyong.measures.links import REGISTRATION, rebuild_links

#: Kinds whose records change who is linked to an organisation: registrations, and the entries that
#: trigger measures reaching persons (their own 法定代表人 fields name who held the role at the listing).
LINKING_KINDS = frozenset({REGISTRATION, "serious_dishonesty_list", "key_attention_list"})


@receiver(rows_stored, dispatch_uid="measures.rebuild_links")
def refresh_links(
    sender: Any, *, kind: RecordKind, subject_codes: Set[str], at: dt.datetime, **kwargs: Any
) -> None:
    if kind.code in LINKING_KINDS:
        rebuild_links(subject_codes)
