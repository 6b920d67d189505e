"""Appending to the audit trail. Call ``record`` inside the transaction of the change it records, so
the entry and the change commit or roll back together (docs/architecture.md, principle 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from xinyong.audit import actions
from xinyong.audit.models import AuditEntry, AuditHead
from xinyong.core import clock
from xinyong.core.request_id import current_request_id

if TYPE_CHECKING:
    from xinyong.accounts.models import User
    from xinyong.catalog.models import Provider

GENESIS = "0" * 64
#: The fields an entry's hash covers, in this order. Changing it invalidates every chain: never do.
HASHED_FIELDS = (
    "seq", "at", "actor_type", "actor_id", "actor_name", "unit", "role", "purpose", "subject_code", "action",
    "object_type", "object_id", "request_id", "result_fingerprint", "detail", "prev_hash",
)  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """Who did it, as the trail records it."""

    type: str
    id: str = ""
    name: str = ""
    unit: str = ""
    role: str = ""

    @classmethod
    def of_user(cls, user: User) -> Actor:
        unit = user.unit.name if user.unit_id else user.provider.name if user.provider_id else ""  # type: ignore[union-attr]
        role = ",".join(sorted(user.roles)) or user.kind
        return cls(AuditEntry.ActorType.USER, str(user.pk), user.get_username(), unit, role)

    @classmethod
    def of_provider(cls, provider: Provider) -> Actor:
        return cls(
            AuditEntry.ActorType.PROVIDER, provider.code, provider.name, provider.name, "provider_system"
        )

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(AuditEntry.ActorType.SYSTEM, name=name)

    @classmethod
    def anonymous(cls, ip: str = "") -> Actor:
        return cls(AuditEntry.ActorType.ANONYMOUS, id=ip)


def fingerprint(result: Any) -> str:
    """SHA-256 of a result's canonical JSON: proves later what was shown without storing it."""
    canonical = json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def entry_hash(values: dict[str, Any]) -> str:
    canonical = json.dumps([str(values[f]) for f in HASHED_FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def hashed_values(entry: AuditEntry) -> dict[str, Any]:
    values = {f: getattr(entry, f) for f in HASHED_FIELDS}
    values["at"] = entry.at.astimezone(dt.UTC).isoformat()  # UTC whatever the connection's time zone
    return values


@transaction.atomic
def record(
    *,
    actor: Actor,
    action: str,
    subject_code: str = "",
    purpose: str = "",
    object_type: str = "",
    object_id: str | int = "",
    result: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Locks the head row, so appends are serialised. ``action`` must be
    registered in ``audit.actions`` (``UnknownAuditAction`` otherwise, before anything is written)."""
    actions.check(action)
    head = AuditHead.objects.select_for_update().get(pk=1)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=clock.now(),
        actor_type=actor.type,
        actor_id=actor.id,
        actor_name=actor.name,
        unit=actor.unit,
        role=actor.role,
        purpose=purpose,
        subject_code=subject_code,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=current_request_id(),
        result_fingerprint=fingerprint(result) if result is not None else "",
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else "",
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(hashed_values(entry))
    entry.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


@transaction.atomic
def record_many(
    *,
    actor: Actor,
    action: str,
    subjects: Sequence[tuple[str, Any]],
    purpose: str = "",
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """Append one entry per ``(subject_code, result)`` in one statement: a batch operation that reads many
    subjects (a batch check of 10,000 codes) puts each read on the trail, where each subject sees it,
    without 10,000 round trips. The entries are chained exactly as ``record`` would chain them."""
    actions.check(action)
    head = AuditHead.objects.select_for_update().get(pk=1)
    seq, previous = head.last_seq, head.last_hash
    at, request_id = clock.now(), current_request_id()
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""
    entries = []
    for subject_code, result in subjects:
        seq += 1
        entry = AuditEntry(
            seq=seq, at=at, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name, unit=actor.unit,
            role=actor.role, purpose=purpose, subject_code=subject_code, action=action,
            object_type=object_type, object_id=str(object_id), request_id=request_id,
            result_fingerprint=fingerprint(result) if result is not None else "", detail=detail_text,
            prev_hash=previous,
        )  # fmt: skip
        entry.entry_hash = previous = entry_hash(hashed_values(entry))
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    # The head may only move one entry at a time (audit/0003's trigger), so it is stepped through every
    # entry, in one executemany call rather than one round trip each.
    table = AuditHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET last_seq = %s, last_hash = %s WHERE id = 1",  # noqa: S608  # the model's own table
            [(e.seq, e.entry_hash) for e in entries],
        )
    return len(entries)
