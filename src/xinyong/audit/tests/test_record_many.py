"""``record_many``: many entries appended in one step keep the chain whole and verifiable."""

from __future__ import annotations

import itertools

import pytest

from xinyong.audit.models import AuditEntry, AuditHead
from xinyong.audit.services import Actor, record, record_many
from xinyong.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_entries_appended_together_chain_like_single_ones() -> None:
    record(actor=Actor.system("test"), action="risk_warning.view", object_type="risk_warning", object_id=1)

    added = record_many(
        actor=Actor.system("risk warning"),
        action="risk_warning.raise",
        entries=[
            {"subject_code": f"S{n}", "object_type": "risk_warning", "object_id": n} for n in range(2, 6)
        ],
    )

    assert added == 4
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.object_id for e in entries[-4:]] == ["2", "3", "4", "5"]
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in itertools.pairwise(entries))
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (entries[-1].seq, entries[-1].entry_hash)
    assert verify_chain().ok
