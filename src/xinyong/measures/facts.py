"""The facts measures are decided on, read set-based for many subjects at once.

These are decision reads, like ``commitments.eligibility``: which entries of a few kinds stand for a
set of subjects on a day, and how many penalties each had. One query per kind of fact over all the codes
(in chunks of ``CHUNK`` codes to stay under the databases' parameter limits), never one per subject.

An entry *stands* on a day when it was decided by then, its dishonest (or trusted) state has not ended by
an exit (``ended_on``), it is neither revoked nor repaired, not held for a code check (重错码), and its
publication window has not closed; a red-list entry also must not be removed (移出日期) by then. A
repaired entry no longer triggers a measure even where sharing continues: repair restores the
subject's standing (docs/measures.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q

from xinyong.catalog.models import RecordKind
from xinyong.core import clock
from xinyong.evaluation.models import Evaluation
from xinyong.measures.triggers import GRADE
from xinyong.records.models import CreditRecord, Overlay, RecordVersion

CHUNK = 5000
#: Overlays that end an entry's effect.
ENDING_OVERLAYS = (Overlay.Kind.REVOKED, Overlay.Kind.REPAIRED)
REMOVED_ON = "移出日期"


@dataclass(frozen=True)
class Entry:
    """A standing entry of a subject, with what a check shows of it."""

    subject_code: str
    record_id: int
    kind: str
    kind_name: str
    key: str  # 认定文书号 / 决定书文号
    decided: dt.date
    severity: str
    domain: str
    domain_number: int
    provider: str
    values: dict[str, str]  # field values by Chinese name

    @property
    def list_name(self) -> str:
        """The list it is on (名单类型) where the kind has one, the grade of an evaluation, else the kind's name."""
        if self.kind == GRADE:
            return f"公共信用综合评价{self.values['等级']}级"
        return self.values.get("名单类型") or self.kind_name


def chunks(codes: Collection[str], size: int = CHUNK) -> Iterator[list[str]]:
    ordered = sorted(codes)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _ending(on: dt.date) -> Any:
    end_of_day = clock.start_of_day(on + dt.timedelta(days=1))
    return Overlay.objects.filter(
        record=OuterRef("record_id"), kind__in=ENDING_OVERLAYS, starts_at__lt=end_of_day
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gte=end_of_day))


def standing_entries(codes: Collection[str], kinds: Collection[str], on: dt.date) -> dict[str, list[Entry]]:
    """subject code → its entries of ``kinds`` standing on ``on``, newest first."""
    found: dict[str, list[Entry]] = defaultdict(list)
    if not codes or not kinds:
        return found
    if GRADE in kinds:
        for code, entry in current_grades(codes, on):
            found[code].append(entry)
    kinds = [k for k in kinds if k != GRADE]
    if not kinds:
        return found
    catalogue = {k.pk: k for k in RecordKind.objects.filter(code__in=kinds)}
    names = {pk: {f["code"]: f["name"] for f in k.schema} for pk, k in catalogue.items()}
    for chunk in chunks(codes):
        rows = (
            RecordVersion.objects.filter(subject_code__in=chunk, record__kind_code__in=kinds)
            .filter(version=F("record__latest_version"), record__hold="", record__decision_date__lte=on)
            .filter(Q(record__ended_on__isnull=True) | Q(record__ended_on__gt=on))
            .filter(Q(record__publish_until__isnull=True) | Q(record__publish_until__gte=on))
            .exclude(Exists(_ending(on)))
            .order_by("-record__decision_date", "-record_id")
            .values_list("subject_code", "record_id", "record__kind_code", "record__key",
                         "record__decision_date", "record__severity", "record__domain__name",
                         "record__domain__number", "record__provider__name", "kind_id", "data")
        )  # fmt: skip
        for code, record_id, kind, key, decided, severity, domain, number, provider, kind_id, data in rows:
            values = {names[kind_id].get(c, c): str(v) for c, v in data.items()}
            removed = values.get(REMOVED_ON, "")
            if removed and dt.date.fromisoformat(removed) <= on:
                continue
            found[code].append(
                Entry(code, record_id, kind, catalogue[kind_id].name, key, decided, severity,
                      domain, number, provider, values)
            )  # fmt: skip
    return found


@dataclass(frozen=True)
class PenaltyTally:
    subject_code: str
    severity: str
    domain: str
    count: int


def current_grades(codes: Collection[str], on: dt.date) -> Iterator[tuple[str, Entry]]:
    """Each subject's current grade of the public credit evaluation, evaluated by ``on``, as an entry."""
    for chunk in chunks(codes):
        rows = Evaluation.objects.filter(
            subject_code__in=chunk, current=True, evaluated_on__lte=on
        ).values_list("pk", "subject_code", "grade", "model", "evaluated_on")
        for pk, code, grade, model, evaluated_on in rows:
            yield code, Entry(code, pk, GRADE, "公共信用综合评价", model, evaluated_on, "", "", 0,
                              "公共信用信息平台", {"等级": grade})  # fmt: skip


def penalty_tallies(codes: Collection[str], since: dt.date, on: dt.date) -> list[PenaltyTally]:
    """How many penalties each subject had from ``since`` to ``on``, by severity and domain, counting what
    a government unit may see: not revoked, not held for a code check. One grouped query per chunk."""
    tallies: list[PenaltyTally] = []
    revoked = Overlay.objects.filter(record=OuterRef("pk"), kind=Overlay.Kind.REVOKED, ends_at__isnull=True)
    for chunk in chunks(codes):
        rows = (
            CreditRecord.objects.filter(subject_code__in=chunk, kind_code="penalty", hold="")
            .filter(decision_date__gte=since, decision_date__lte=on)
            .exclude(Exists(revoked))
            .values_list("subject_code", "severity", "domain__name")
            .annotate(n=Count("id"))
        )
        tallies += [
            PenaltyTally(code, severity or "general", domain, n) for code, severity, domain, n in rows
        ]
    return tallies
