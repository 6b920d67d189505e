"""What each audience sees of a record at a given time, and why.

Audiences: the public (社会公开), an authorised querier (授权查询), a government unit (政务共享), the subject
itself, centre staff. Visibility is computed from the stored publication window and the overlays at
the moment of reading, so it is right even if the expiry job has not run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet

from xinyong.core import clock
from xinyong.disclosure.access import Basis
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.publication import exit_of
from xinyong.records.rules import OBJECTION_PENDING, ObjectionPending


class Audience(StrEnum):
    PUBLIC = "public"
    AUTHORISED = "authorised"
    GOVERNMENT = "government"
    SELF = "self"
    STAFF = "staff"


AUDIENCE_OF_BASIS = {
    Basis.SELF: Audience.SELF,
    Basis.STAFF: Audience.STAFF,
    Basis.GRANT: Audience.AUTHORISED,
    Basis.PURPOSE: Audience.GOVERNMENT,
}


@dataclass(frozen=True)
class RecordState:
    visible: bool
    label: str  # 公示中, 公示期满, 已修复, 异议处理中, 已撤销, 不予公示, 重错码待核, 已移出 …
    explanation: str


class RecordHead(Protocol):
    """What ``state_of`` reads of a record: a ``CreditRecord``, or a row of those columns (the feed)."""

    @property
    def hold(self) -> str: ...
    @property
    def published(self) -> bool: ...
    @property
    def publish_from(self) -> dt.date | None: ...
    @property
    def publish_until(self) -> dt.date | None: ...
    @property
    def kind_code(self) -> str: ...
    @property
    def decision_date(self) -> dt.date: ...
    @property
    def ended_on(self) -> dt.date | None: ...
    @property
    def publication_note(self) -> str: ...


def _objection_suspends(on: dt.date) -> bool:
    rule = OBJECTION_PENDING.on_or_none(on)
    return rule is not None and rule.value is ObjectionPending.SUSPEND


def state_of(
    record: RecordHead, overlays: Iterable[Overlay], audience: Audience, at: dt.datetime
) -> RecordState:
    """Whether ``audience`` sees ``record`` at ``at``, with the label shown beside it and why."""
    today = clock.local_date(at)
    active = {o.kind: o for o in overlays if o.active_at(at)}
    insider = audience in (Audience.SELF, Audience.STAFF)
    if Overlay.Kind.REVOKED in active:
        return RecordState(audience is Audience.STAFF, "已撤销", active[Overlay.Kind.REVOKED].reason)
    if record.hold:
        return RecordState(insider, "重错码待核", "主体代码校验未通过，待信息提供单位核实，不予公示")
    if Overlay.Kind.REPAIRED in active:
        repaired = active[Overlay.Kind.REPAIRED]
        shared = not repaired.stops_sharing and audience in (Audience.AUTHORISED, Audience.GOVERNMENT)
        return RecordState(insider or shared, "已修复", f"已完成信用修复，停止公示：{repaired.reason}")
    window_open = (
        record.published
        and record.publish_from is not None
        and record.publish_from <= today
        and (record.publish_until is None or today <= record.publish_until)
    )
    ends = exit_of(record.kind_code, record.decision_date) if record.ended_on else None
    if not record.published:
        label, explanation = "不予公示", record.publication_note
    elif ends is not None and record.ended_on is not None and record.ended_on <= today:
        # From its exit date the entry is history: 已移出 / 已缴清 / 已解除, the note saying when and why.
        label, explanation = ends.label, record.publication_note
    elif window_open:
        label, explanation = "公示中", record.publication_note
    else:
        label, explanation = (
            "公示期满",
            f"公示期已于 {record.publish_until} 届满，停止公示；依法仍可授权查询和政务共享",
        )
    # Stopping publication is not deletion: other audiences keep seeing the record.
    visible = window_open or audience is not Audience.PUBLIC
    if Overlay.Kind.OBJECTION_PENDING in active:
        suspended = audience is Audience.PUBLIC and _objection_suspends(today)
        return RecordState(visible and not suspended, "异议处理中", explanation)
    if Overlay.Kind.CORRECTED in active and label == "公示中":
        label = "已更正"
    return RecordState(visible, label, explanation)


def publicly_visible(records: QuerySet[CreditRecord], at: dt.datetime) -> QuerySet[CreditRecord]:
    """The records anyone may see at ``at``, as a query (for public lists; same rules as ``state_of``)."""
    today = clock.local_date(at)
    live = Overlay.objects.filter(record=OuterRef("pk"), starts_at__lte=at).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )
    hidden_kinds = [Overlay.Kind.REVOKED, Overlay.Kind.REPAIRED]
    if _objection_suspends(today):
        hidden_kinds.append(Overlay.Kind.OBJECTION_PENDING)
    return (
        records.filter(published=True, hold="", publish_from__lte=today)
        .filter(Q(publish_until__isnull=True) | Q(publish_until__gte=today))
        .exclude(Exists(live.filter(kind__in=hidden_kinds)))
    )
