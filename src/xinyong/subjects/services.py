"""State changes of subjects: find-or-create from intake, keep the name history current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple, Protocol

from django.db import connection
from django.db.models import Max

from xinyong.core import bulk
from xinyong.subjects.codes import CodeProblem
from xinyong.subjects.models import Subject, SubjectName
from xinyong.subjects.search import index_subjects


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


class SubjectRow(NamedTuple):
    """The little of a subject that writing its records needs."""

    id: int
    code: str
    code_valid: bool


SUBJECT_COLUMNS = (
    "code", "code_type", "code_valid", "kind", "name", "legal_representative", "created_at", "updated_at",
)  # fmt: skip
NAME_COLUMNS = ("subject_id", "subject_code", "name", "first_seen_on", "last_seen_on")


def upsert_subjects(
    sightings: Iterable[tuple[SubjectSighting, dt.date]], *, now: dt.datetime
) -> dict[str, SubjectRow]:
    """Find or create the subject of every sighting (a handful of queries per call, whatever its size)
    and record each name with the decision dates it was seen on. The name seen on the latest decision
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

    fields = ("id", "code", "code_valid", "name", "legal_representative")
    known = {row[1]: row for row in Subject.objects.filter(code__in_set=latest).values_list(*fields)}
    stamp = bulk.db_datetime(now)
    new_codes = [code for code in latest if code not in known]
    bulk.insert_ignoring_conflicts(
        Subject,
        SUBJECT_COLUMNS,
        [
            (code, s.code_type, s.code_problem is None, s.kind, s.name, s.legal_representative, stamp, stamp)
            for code in new_codes
            for s in (latest[code][0],)
        ],
    )
    created = {row[1]: row for row in Subject.objects.filter(code__in_set=new_codes).values_list(*fields)}
    rows = {code: SubjectRow(r[0], r[1], r[2]) for code, r in (known | created).items()}

    named = _record_names(spans, rows, existing={code for code in known})
    renamed = _follow_latest_names(latest, known, rows, now)
    # One call per chunk: the search index follows every subject created, renamed or seen under a
    # new name (a former name stays findable).
    index_subjects({row[0] for row in created.values()} | named | renamed)
    return rows


def _record_names(
    spans: dict[tuple[str, str], tuple[dt.date, dt.date]], rows: dict[str, SubjectRow], existing: set[str]
) -> set[int]:
    """Add new (subject, name) pairs and widen the date span of known ones; returns the ids of the
    subjects that have a new name."""
    known = (
        {
            (n.subject_code, n.name): n
            for n in SubjectName.objects.filter(subject_id__in_set=[rows[c].id for c in existing])
        }
        if existing
        else {}
    )
    new, widened = [], []
    for (code, name), (first, last) in spans.items():
        entry = known.get((code, name))
        if entry is None:
            new.append((rows[code].id, code, name, bulk.db_date(first), bulk.db_date(last)))
        elif first < entry.first_seen_on or last > entry.last_seen_on:
            widened.append((bulk.db_date(first), bulk.db_date(last), entry.pk))
    bulk.insert_ignoring_conflicts(SubjectName, NAME_COLUMNS, new)
    # Widen in the database (least/greatest of stored and seen), so two imports cannot lose a date.
    least, greatest = ("LEAST", "GREATEST") if bulk.is_postgresql() else ("MIN", "MAX")
    widen = (
        f"UPDATE subjects_subjectname SET first_seen_on = {least}(first_seen_on, %s), "  # noqa: S608 - no input
        f"last_seen_on = {greatest}(last_seen_on, %s) WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(widen, widened)
    return {row[0] for row in new}


def _follow_latest_names(
    latest: dict[str, tuple[SubjectSighting, dt.date]],
    known: dict[str, tuple[int, str, bool, str, str]],
    rows: dict[str, SubjectRow],
    now: dt.datetime,
) -> set[int]:
    """Existing subjects take the name (and legal representative) seen on the latest decision date;
    returns the ids of the subjects whose name changed."""
    candidates = {
        rows[code].id: (sighting, day)
        for code, (sighting, day) in latest.items()
        if code in known
        and (
            known[code][3] != sighting.name
            or (sighting.legal_representative and known[code][4] != sighting.legal_representative)
        )
    }
    if not candidates:
        return set()
    newest = dict(
        SubjectName.objects.filter(subject_id__in_set=candidates)
        .values("subject_id")
        .annotate(newest=Max("last_seen_on"))
        .values_list("subject_id", "newest")
    )
    changed, renamed = [], set()
    for subject_id, (sighting, day) in candidates.items():
        if day < newest.get(subject_id, day):
            continue
        previous = known[sighting.code]
        if sighting.name != previous[3]:
            renamed.add(subject_id)
        changed.append(
            Subject(
                id=subject_id,
                name=sighting.name,
                legal_representative=sighting.legal_representative or previous[4],
                updated_at=now,
            )
        )
    Subject.objects.bulk_update(changed, ["name", "legal_representative", "updated_at"])
    return renamed
