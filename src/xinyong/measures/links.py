"""Persons linked to organisations (相关责任人): who was 法定代表人, 主要负责人 or 实际控制人 of which
organisation on which days, derived from the organisation's records.

Two sources, read set-based for a batch of organisations:

- **registrations** (``registration`` records from market supervision): each 设立 or 变更 registration
  names the persons in office from its 核准日期; a role passes to someone else on the date of the
  registration naming them, and every role ends with a 注销登记. A registration that leaves a role empty
  changes nothing about it (a change registration states what changed).
- **the 法定代表人 fields of any record** (with a valid ID number): the person was legal representative on
  the record's decision date, which is exactly the day that matters for a listing. Such a link covers that
  one day.

Links are derived data: ``rebuild_links`` deletes and rewrites one batch of organisations' links.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from xinyong.catalog.models import RecordKind
from xinyong.measures.models import Measure, PersonLink
from xinyong.records.models import RecordVersion
from xinyong.subjects.codes import normalise, resident_id_problem
from xinyong.subjects.models import Subject

REGISTRATION = "registration"
#: role → (name field, ID number field), by the Chinese names of the registration kind's schema.
REGISTRATION_ROLES = {
    Measure.Role.LEGAL_REPRESENTATIVE: ("法定代表人", "法定代表人证件号码"),
    Measure.Role.PRINCIPAL: ("主要负责人", "主要负责人证件号码"),
    Measure.Role.ACTUAL_CONTROLLER: ("实际控制人", "实际控制人证件号码"),
}
REGISTRATION_TYPE, DEREGISTRATION = "登记类型", "注销登记"
CHUNK = 2000


@dataclass(frozen=True)
class _Version:
    org: str
    org_name: str
    record_id: int
    kind: str
    decided: dt.date
    values: dict[str, str]  # by Chinese field name


def _chunks(codes: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(codes)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _person_code(value: str) -> str:
    code = normalise(value or "")
    return code if code and resident_id_problem(code) is None else ""


def _versions(org_codes: list[str]) -> list[_Version]:
    names = {k.pk: {f["code"]: f["name"] for f in k.schema} for k in RecordKind.objects.all()}
    rows = (
        RecordVersion.objects.filter(subject_code__in=org_codes, version=F("record__latest_version"))
        .filter(record__hold="")
        .exclude(record__subject__kind=Subject.Kind.PERSON)
        .values_list("subject_code", "record__subject__name", "record_id", "record__kind_code",
                     "record__decision_date", "kind_id", "data")
    )  # fmt: skip
    return [
        _Version(org, org_name, record_id, kind, decided,
                 {names[kind_id].get(code, code): str(value) for code, value in data.items()})
        for org, org_name, record_id, kind, decided, kind_id, data in rows
    ]  # fmt: skip


def _registration_links(org: str, versions: list[_Version]) -> list[PersonLink]:
    links: list[PersonLink] = []
    ordered = sorted(versions, key=lambda v: (v.decided, v.record_id))
    for role, (name_field, id_field) in REGISTRATION_ROLES.items():
        current: PersonLink | None = None
        for v in ordered:
            closing = v.values.get(REGISTRATION_TYPE) == DEREGISTRATION
            person = _person_code(v.values.get(id_field, ""))
            if current is not None and (closing or (person and person != current.person_code)):
                current.ended_on = v.decided
                current = None
            if person and not closing and current is None:
                current = PersonLink(
                    organisation_code=org, organisation_name=v.org_name, person_code=person,
                    person_name=v.values.get(name_field, ""), role=role, started_on=v.decided,
                    source=PersonLink.Source.REGISTRATION, source_record_id=v.record_id,
                )  # fmt: skip
                links.append(current)
    return links


def _record_links(versions: list[_Version]) -> list[PersonLink]:
    links = []
    for v in versions:
        person = _person_code(v.values.get("法定代表人证件号码", ""))
        if person:
            links.append(
                PersonLink(
                    organisation_code=v.org,
                    organisation_name=v.org_name,
                    person_code=person,
                    person_name=v.values.get("法定代表人", ""),
                    role=Measure.Role.LEGAL_REPRESENTATIVE,
                    started_on=v.decided,
                    ended_on=v.decided + dt.timedelta(days=1),
                    source=PersonLink.Source.RECORD,
                    source_record_id=v.record_id,
                )
            )
    return links


def links_of(versions: list[_Version]) -> list[PersonLink]:
    by_org: dict[str, list[_Version]] = defaultdict(list)
    others: list[_Version] = []
    for v in versions:
        (by_org[v.org] if v.kind == REGISTRATION else others).append(v)
    links = [link for org, rows in by_org.items() for link in _registration_links(org, rows)]
    return links + _record_links(others)


def rebuild_links(org_codes: Collection[str]) -> int:
    """Rewrites the links of these organisations from their records; returns how many links they have."""
    written = 0
    for chunk in _chunks(org_codes):
        links = links_of(_versions(chunk))
        with transaction.atomic():
            PersonLink.objects.filter(organisation_code__in=chunk).delete()
            PersonLink.objects.bulk_create(links, batch_size=1000)
        written += len(links)
    return written


def rebuild_all() -> int:
    """Every organisation's links (``xinyong measures relink``), e.g. after the catalogue changed."""
    codes = Subject.objects.exclude(kind=Subject.Kind.PERSON).values_list("code", flat=True)
    return rebuild_links(set(codes))


def describe(link: PersonLink | dict[str, Any]) -> str:
    role = Measure.Role(link["role"] if isinstance(link, dict) else link.role).label
    name = link["organisation_name"] if isinstance(link, dict) else link.organisation_name
    return f"担任{role}的 {name}"
