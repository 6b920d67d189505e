"""Evaluating subjects (公共信用综合评价): the set-based run that stores grades and their history.

``evaluate`` runs the model in force (``scoring.outcome_sql``) over every subject, or the given ones, into
a temporary table, compares it with each subject's current row, and in one transaction marks the changed
subjects' rows as no longer current and inserts their new rows: no statement per subject, and a second
run on the same day changes nothing. After a run over all subjects it stores the day's grade
distribution (``GradeCount``) for the staff charts.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.bulk import db_date, db_datetime, is_postgresql
from xinyong.evaluation.rules import MODEL, TAGS
from xinyong.evaluation.scoring import outcome_sql

CANDIDATE, CHANGED = "evaluation_candidate", "evaluation_changed"


@dataclass(frozen=True)
class Run:
    day: dt.date
    model: str  # id@version
    evaluated: int
    changed: int
    seconds: float


def moment(day: dt.date | None) -> tuple[dt.date, dt.datetime]:
    """The day evaluated and the instant whose overlays count: now for today, the end of a past day."""
    if day is None or day == clock.today():
        at = clock.now()
        return clock.local_date(at), at
    return day, clock.start_of_day(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


@transaction.atomic
def evaluate(
    *, day: dt.date | None = None, subject_codes: Iterable[str] | None = None, actor: Actor | None = None
) -> Run:
    """Evaluate every subject of the evaluated kinds (or ``subject_codes``) on ``day`` (default today) and
    store each changed outcome as the subject's new current row. Idempotent."""
    started = time.perf_counter()
    day, at = moment(day)
    model, tags = MODEL.on(day), TAGS.on(day)
    codes = None if subject_codes is None else sorted(set(subject_codes))
    sql, params = outcome_sql(model.value, tags.value, day, at, subject_codes=codes)
    with connection.cursor() as cursor:
        if is_postgresql():
            # Memory for the aggregation, this transaction only; and no JIT: compiling the model's few
            # hundred CASE expressions costs more than it saves on a million rows.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        for table in (CANDIDATE, CHANGED):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {CANDIDATE} AS {sql}", params)
        if is_postgresql():
            cursor.execute(f"ANALYZE {CANDIDATE}")
        cursor.execute("SELECT COUNT(*) FROM evaluation_candidate")
        evaluated = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMPORARY TABLE evaluation_changed AS SELECT c.* FROM evaluation_candidate c "
            "LEFT JOIN evaluation_evaluation e ON e.subject_code = c.subject_code AND e.current "
            "WHERE e.id IS NULL OR e.grade <> c.grade OR e.score <> c.score OR e.model <> %s "
            "OR e.indicators <> c.indicators OR e.tags <> c.tags OR e.override <> c.override",
            [model.ref],
        )
        cursor.execute(
            "UPDATE evaluation_evaluation SET current = %s WHERE current "
            "AND subject_code IN (SELECT subject_code FROM evaluation_changed)",
            [False],
        )
        cursor.execute(
            "INSERT INTO evaluation_evaluation (subject_code, grade, score, model, evaluated_on, evaluated_at, "
            "indicators, record_ids, override, tags, current) "
            "SELECT subject_code, grade, score, %s, %s, %s, indicators, record_ids, override, tags, %s "
            "FROM evaluation_changed",
            [model.ref, db_date(day), db_datetime(at), True],
        )
        changed = cursor.rowcount
        for table in (CANDIDATE, CHANGED):
            cursor.execute(f"DROP TABLE {table}")
        if codes is None:
            _count_grades(cursor, day)
    run = Run(day, model.ref, evaluated, changed, round(time.perf_counter() - started, 3))
    record(
        actor=actor or Actor.system("credit evaluation"),
        action="evaluation.run",
        object_type="evaluation",
        object_id=day.isoformat(),
        detail={"model": model.ref, "subjects": "all" if codes is None else len(codes),
                "evaluated": evaluated, "changed": changed},
    )  # fmt: skip
    return run


def _count_grades(cursor: object, day: dt.date) -> None:
    """The day's distribution: all evaluated subjects (domain 0), and per report domain the subjects with
    a record in it (held and revoked records aside, as everywhere in the evaluation)."""
    execute = cursor.execute  # type: ignore[attr-defined]
    execute("DELETE FROM evaluation_gradecount WHERE day = %s", [db_date(day)])
    execute(
        "INSERT INTO evaluation_gradecount (day, domain_number, grade, subjects) "
        "SELECT %s, 0, grade, COUNT(*) FROM evaluation_evaluation WHERE current GROUP BY grade",
        [db_date(day)],
    )
    execute(
        "INSERT INTO evaluation_gradecount (day, domain_number, grade, subjects) "
        "SELECT %s, d.number, e.grade, COUNT(*) "
        "FROM (SELECT DISTINCT subject_code, domain_id FROM records_creditrecord WHERE hold = %s) sd "
        "JOIN evaluation_evaluation e ON e.subject_code = sd.subject_code AND e.current "
        "JOIN catalog_domain d ON d.id = sd.domain_id GROUP BY d.number, e.grade",
        [db_date(day), ""],
    )
