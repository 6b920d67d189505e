"""Appending to the audit trail. Call ``record`` inside the transaction of the change it records, so
the entry and the change commit or roll back together (docs/architecture.md, principle 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
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
def record_many(*, actor: Actor, action: str, entries: Iterable[Mapping[str, Any]], purpose: str = "") -> int:
    """Append one entry per item of ``entries`` (each with ``subject_code``, ``object_type``, ``object_id``,
    ``detail`` and the ``result`` to fingerprint, as ``record`` takes them) to the chain in one step: the
    head locked once, the entries chained in order and inserted together, the head moved one entry at a
    time (the database lets it move only so) in one batched statement. For work on thousands of objects
    at once: a job's warnings, a batch check's 10,000 reads (each subject sees its read in "who looked")."""
    actions.check(action)
    head = AuditHead.objects.select_for_update().get(pk=1)
    seq, prev, at, request_id = head.last_seq, head.last_hash, clock.now(), current_request_id()
    rows = []
    for item in entries:
        seq += 1
        detail = item.get("detail")
        entry = AuditEntry(
            seq=seq, at=at, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name, unit=actor.unit,
            role=actor.role, purpose=purpose, subject_code=item.get("subject_code", ""), action=action,
            object_type=item.get("object_type", ""), object_id=str(item.get("object_id", "")),
            request_id=request_id,
            result_fingerprint=fingerprint(item["result"]) if item.get("result") is not None else "",
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else "",
            prev_hash=prev,
        )  # fmt: skip
        entry.entry_hash = prev = entry_hash(hashed_values(entry))
        rows.append(entry)
    if rows:
        AuditEntry.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE id = 1",
                [(entry.seq, entry.entry_hash) for entry in rows],
            )
    return len(rows)
