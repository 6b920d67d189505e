"""State changes of subjects: find-or-create from intake, keep the name history current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from django.db.models import Max

from xinyong.subjects.codes import CodeProblem
from xinyong.subjects.models import Subject, SubjectName


class SubjectSighting(Protocol):
    """What intake knows of a subject from one row."""

    @property
    def code(self) -> str: ...
    @property
    def code_type(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def legal_representative(self) -> str: ...
    @property
    def code_problem(self) -> CodeProblem | None: ...


def upsert_subjects(
    sightings: Iterable[tuple[SubjectSighting, dt.date]], *, now: dt.datetime
) -> dict[str, Subject]:
    """Find or create the subject of every sighting (set-based: a handful of queries per call) and
    record each name with the decision dates it was seen on. The name seen on the latest decision
    date becomes the subject's current name; so does its legal representative."""
    latest: dict[str, tuple[SubjectSighting, dt.date]] = {}
    spans: dict[tuple[str, str], tuple[dt.date, dt.date]] = {}
    for sighting, day in sightings:
        current = latest.get(sighting.code)
        if current is None or day >= current[1]:
            latest[sighting.code] = (sighting, day)
        key = (sighting.code, sighting.name)
        first, last = spans.get(key, (day, day))
        spans[key] = (min(first, day), max(last, day))
    if not latest:
        return {}

    subjects = {s.code: s for s in Subject.objects.filter(code__in=latest)}
    missing = [
        Subject(
            code=code,
            code_type=s.code_type,
            code_valid=s.code_problem is None,
            kind=s.kind,
            name=s.name,
            legal_representative=s.legal_representative,
            created_at=now,
            updated_at=now,
        )
        for code, (s, _) in latest.items()
        if code not in subjects
    ]
    if missing:
        # Another import may create the same subject at the same moment: ignore the conflict and read back.
        Subject.objects.bulk_create(missing, ignore_conflicts=True)
        subjects.update({s.code: s for s in Subject.objects.filter(code__in=[m.code for m in missing])})

    by_id = {s.id: s for s in subjects.values()}
    known = {
        (n.subject_id, n.name): n
        for n in SubjectName.objects.filter(subject_id__in=by_id, name__in={name for _, name in spans})
    }
    new_names, widened = [], []
    for (code, name), (first, last) in spans.items():
        subject = subjects[code]
        entry = known.get((subject.id, name))
        if entry is None:
            new_names.append(
                SubjectName(
                    subject=subject, subject_code=code, name=name, first_seen_on=first, last_seen_on=last
                )
            )
        elif first < entry.first_seen_on or last > entry.last_seen_on:
            entry.first_seen_on, entry.last_seen_on = (
                min(first, entry.first_seen_on),
                max(last, entry.last_seen_on),
            )
            widened.append(entry)
    SubjectName.objects.bulk_create(new_names, ignore_conflicts=True)
    SubjectName.objects.bulk_update(widened, ["first_seen_on", "last_seen_on"])

    # The current name is the one seen on the latest decision date across everything ever received.
    candidates = {
        subjects[code].id: (sighting, day)
        for code, (sighting, day) in latest.items()
        if subjects[code].name != sighting.name
        or (
            sighting.legal_representative
            and subjects[code].legal_representative != sighting.legal_representative
        )
    }
    newest = dict(
        SubjectName.objects.filter(subject_id__in=candidates)
        .values("subject_id")
        .annotate(newest=Max("last_seen_on"))
        .values_list("subject_id", "newest")
    )
    changed = []
    for subject_id, (sighting, day) in candidates.items():
        subject = by_id[subject_id]
        if day < newest.get(subject_id, day):
            continue
        subject.name = sighting.name
        subject.legal_representative = sighting.legal_representative or subject.legal_representative
        subject.updated_at = now
        changed.append(subject)
    Subject.objects.bulk_update(changed, ["name", "legal_representative", "updated_at"])
    return subjects
