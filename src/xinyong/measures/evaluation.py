"""Which measures of a scenario apply to which subjects on a day (set-based, for one code or ten thousand).

A measure applies to a subject when one of its triggers is met by a standing entry of the subject's own
(``facts.standing_entries``), or — for a person, where the catalogue extends the measure to persons — by a
standing entry of an organisation in which the person held one of the measure's roles on the entry's
decision date (the day of the listing): a legal representative who left before the listing is not reached.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q

from xinyong.measures.facts import Entry, standing_entries
from xinyong.measures.links import describe
from xinyong.measures.models import Measure, PersonLink, Scenario
from xinyong.measures.triggers import GRADE, Trigger
from xinyong.subjects.codes import resident_id_problem


@dataclass(frozen=True)
class Reason:
    """One entry that triggered a measure (the 触发记录)."""

    record_id: int
    kind: str
    kind_name: str
    list_name: str
    key: str
    decided: dt.date
    domain: str
    authority: str
    via: str = ""  # for a person reached through an organisation: "担任法定代表人的 X 公司"
    organisation_code: str = ""

    @property
    def text(self) -> str:
        if self.kind == GRADE:
            return f"{self.via}{self.list_name}（{self.decided}评价）"
        listed = f"列入{self.list_name}" if self.list_name != self.kind_name else f"有{self.kind_name}记录"
        return f"{self.via}{listed}（{self.key}，{self.decided}）"


@dataclass(frozen=True)
class Applied:
    """A measure that applies, with why."""

    ref: str
    code: str
    name: str
    direction: str
    direction_label: str
    kind: str
    kind_label: str
    instruction: str
    basis: str
    national_item: str
    reasons: list[Reason] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reasons"] = [
            {**asdict(r), "decided": r.decided.isoformat(), "text": r.text} for r in self.reasons
        ]
        return data


def measures_in_force(scenario: Scenario, on: dt.date) -> list[Measure]:
    return list(
        Measure.objects.filter(scenario=scenario, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("direction", "code", "-version")
    )


def _meets(trigger: Trigger, entry: Entry, on: dt.date) -> bool:
    if entry.kind != trigger.kind:
        return False
    if trigger.values and entry.values.get(trigger.field, "") not in trigger.values:
        return False
    if trigger.severity and entry.severity != trigger.severity:
        return False
    earliest = trigger.earliest(on)
    return earliest is None or entry.decided >= earliest


def _reason(entry: Entry, via: PersonLink | None = None) -> Reason:
    return Reason(
        entry.record_id, entry.kind, entry.kind_name, entry.list_name, entry.key, entry.decided,
        entry.domain, entry.provider, describe(via) if via else "", via.organisation_code if via else "",
    )  # fmt: skip


def _applied(measure: Measure, reasons: list[Reason]) -> Applied:
    return Applied(
        measure.ref, measure.code, measure.name, measure.direction, measure.get_direction_display(),
        measure.kind, measure.get_kind_display(), measure.instruction, measure.basis, measure.national_item,
        reasons,
    )  # fmt: skip


def is_person_code(code: str) -> bool:
    return resident_id_problem(code) is None


def trigger_kinds(measures: list[Measure]) -> set[str]:
    return {Trigger.of(t).kind for m in measures for t in m.triggers}


def applicable(
    codes: Collection[str], scenario: Scenario, on: dt.date, own: dict[str, list[Entry]] | None = None
) -> dict[str, list[Applied]]:
    """code → the measures of ``scenario`` that apply on ``on`` (only codes with at least one). ``own``:
    the subjects' standing entries if the caller read them already (of at least the trigger kinds)."""
    measures = measures_in_force(scenario, on)
    triggers = {m.pk: [Trigger.of(t) for t in m.triggers] for m in measures}
    kinds = trigger_kinds(measures)
    if own is None:
        own = standing_entries(codes, kinds, on)
    persons = [c for c in codes if is_person_code(c)]
    reaching = [m for m in measures if m.extends_to_persons and m.person_roles]
    links: dict[str, list[PersonLink]] = defaultdict(list)
    if persons and reaching:
        for link in PersonLink.objects.filter(person_code__in=persons):
            links[link.person_code].append(link)
    through = standing_entries({lk.organisation_code for ls in links.values() for lk in ls}, kinds, on)

    answer: dict[str, list[Applied]] = {}
    for code in codes:
        found = []
        for m in measures:
            reasons = [_reason(e) for e in own.get(code, []) if any(_meets(t, e, on) for t in triggers[m.pk])]
            if m.extends_to_persons:
                reasons += [
                    _reason(e, link)
                    for link in links.get(code, [])
                    if link.role in m.person_roles
                    for e in through.get(link.organisation_code, [])
                    if link.held_on(e.decided) and any(_meets(t, e, on) for t in triggers[m.pk])
                ]
            if reasons:
                found.append(_applied(m, _unique(reasons)))
        if found:
            answer[code] = found
    return answer


def _unique(reasons: list[Reason]) -> list[Reason]:
    """One reason per entry and organisation (a person linked twice to one organisation, by its registration
    and by the entry's own 法定代表人 field, is told once)."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for r in reasons:
        if (r.record_id, r.organisation_code) not in seen:
            seen.add((r.record_id, r.organisation_code))
            kept.append(r)
    return kept
