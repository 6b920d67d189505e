"""The evaluation model compiled to one SQL query (set-based; the same text on SQLite and PostgreSQL).

``outcome_sql`` turns the model in force (rulebook ``evaluation.model``) into a SELECT giving, per subject,
its score, grade, the override that decided (if any), the indicator JSON, the record ids JSON and the tags:

1. ``excluded``: the records carrying a live revoked or repaired overlay (few rows, aggregated once);
2. ``agg``: a GROUP BY over the credit records with a conditional aggregate per indicator (its record
   ids, whose number is its count) and per clean-record tier (whether a dishonesty record breaks it);
3. ``scored``: every subject of the evaluated kinds joined to its aggregates (no records: all zero), each
   contribution bounded by its cap, summed;
4. ``graded``: the score bounded by floor and ceiling, the grade from the thresholds, then the overrides;
5. the indicator and record-id JSON and the tags from the grade and the counts.

Every date is computed in Python and passed as a parameter, so no date arithmetic differs between the
databases. ``assume_repaired`` and ``assume_ended`` re-score as if those records were repaired or had
ended (the hints shown to the subject: "如完成信用修复，预计等级升至 B").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xinyong.core.bulk import db_date, db_datetime, is_postgresql
from xinyong.evaluation.rules import Counting, Excluding, Indicator, Model, OverrideMode, Tag
from xinyong.records.publication import add_months, exit_kinds

GRADES = ("A", "B", "C", "D")


@dataclass
class _Query:
    """SQL text and its parameters, built in order."""

    params: list[Any] = field(default_factory=list)

    def p(self, value: Any) -> str:
        self.params.append(value)
        return "%s"

    def many(self, values: Sequence[Any]) -> str:
        return "(" + ", ".join(self.p(v) for v in values) + ")" if values else "(NULL)"


@dataclass(frozen=True)
class Assumptions:
    """Records to treat as repaired or as ended (for hints); empty for the real evaluation."""

    repaired: tuple[int, ...] = ()
    ended: tuple[int, ...] = ()


#: The real evaluation: no record assumed repaired or ended.
NONE = Assumptions()


def _condition(q: _Query, ind: Indicator, day: dt.date, assume: Assumptions) -> str:
    parts = [f"r.kind_code IN {q.many(ind.kinds)}"]
    if ind.severities:
        parts.append(f"r.severity IN {q.many(ind.severities)}")
    if ind.within_months:
        parts.append(f"r.decision_date > {q.p(db_date(add_months(day, -ind.within_months)))}")
    if ind.older_than_months:
        parts.append(f"r.decision_date <= {q.p(db_date(add_months(day, -ind.older_than_months)))}")
    if ind.in_force:
        parts.append(f"(r.ended_on IS NULL OR r.ended_on > {q.p(db_date(day))})")
        if assume.ended:
            parts.append(f"r.id NOT IN {q.many(assume.ended)}")
    parts.extend(_not_excluded(q, ind.excluded_by, assume))
    return " AND ".join(parts)


def _not_excluded(q: _Query, excluded_by: Sequence[Excluding], assume: Assumptions) -> list[str]:
    parts = []
    if Excluding.REVOKED in excluded_by:
        parts.append("COALESCE(x.revoked, 0) = 0")
    if Excluding.REPAIRED in excluded_by:
        parts.append("COALESCE(x.repaired, 0) = 0")
        if assume.repaired:
            parts.append(f"r.id NOT IN {q.many(assume.repaired)}")
    return parts


def _breaks_tier(q: _Query, model: Model, months: int, day: dt.date, assume: Assumptions) -> str:
    """A dishonesty record interrupts the clean tier of ``months``: decided within it, or an entry (list,
    arrear, enforcement) in force at any time within it."""
    clean = model.clean_record
    cut = add_months(day, -months)
    ending = [k for k in clean.kinds if k in exit_kinds(day)]
    # Parameters are taken in the order the text reads.
    parts = [f"r.kind_code IN {q.many(clean.kinds)}"]
    decided = f"r.decision_date > {q.p(db_date(cut))}"
    in_force = f"r.kind_code IN {q.many(ending)} AND (r.ended_on IS NULL OR r.ended_on > {q.p(db_date(cut))})"
    parts.append(f"({decided} OR ({in_force}))")
    # Hints never assume a record away from the streak: repair restores, it does not erase.
    parts.extend(_not_excluded(q, clean.excluded_by, NONE))
    return " AND ".join(parts)


def _contribution(ind: Indicator, n: str) -> str:
    raw = f"({n} * {ind.points})"
    if ind.points < 0:
        return f"(CASE WHEN {raw} < {ind.cap} THEN {ind.cap} ELSE {raw} END)"
    return f"(CASE WHEN {raw} > {ind.cap} THEN {ind.cap} ELSE {raw} END)"


def _tag_condition(tag: Tag, model: Model) -> str:
    known = {i.code for i in model.indicators}
    alternatives = []
    for when in tag.when:
        parts = []
        if when.grades:
            parts.append("g.level IN (" + ", ".join(str(GRADES.index(g.value)) for g in when.grades) + ")")
        for code, least in when.indicators.items():
            if code not in known:
                raise ValueError(f"tag {tag.code} names indicator {code}, which model {model.title} lacks")
            parts.append(f"g.n_{code} >= {int(least)}")
        alternatives.append("(" + " AND ".join(parts or ["1 = 1"]) + ")")
    return " OR ".join(alternatives)


def outcome_sql(
    model: Model,
    tags: list[Tag],
    day: dt.date,
    at: dt.datetime,
    *,
    subject_codes: Sequence[str] | None = None,
    assume: Assumptions = NONE,
) -> tuple[str, list[Any]]:
    """The SELECT of every evaluated subject's outcome on ``day`` (overlays live at ``at``), or of
    ``subject_codes`` only. Columns: subject_code, score, grade, override, indicators, record_ids, tags."""
    q = _Query()
    agg = "string_agg" if is_postgresql() else "group_concat"
    kinds = sorted({k for i in model.indicators for k in i.kinds} | set(model.clean_record.kinds))

    excluded = (
        "SELECT o.record_id, "
        f"MAX(CASE WHEN o.kind = {q.p('revoked')} THEN 1 ELSE 0 END) AS revoked, "
        f"MAX(CASE WHEN o.kind = {q.p('repaired')} THEN 1 ELSE 0 END) AS repaired "
        f"FROM records_overlay o WHERE o.kind IN {q.many(['revoked', 'repaired'])} "
        f"AND o.starts_at <= {q.p(db_datetime(at))} "
        f"AND (o.ends_at IS NULL OR o.ends_at > {q.p(db_datetime(at))})"
    )
    if subject_codes is not None:
        excluded += f" AND o.subject_code IN {q.many(subject_codes)}"
    excluded += " GROUP BY o.record_id"

    # Two aggregations: per (subject, department) first, then per subject, so that a count of distinct
    # departments needs no COUNT(DISTINCT …), which would force a sort of every record; grouped by the
    # integer subject id, which hashes and compares faster than the code.
    inner, outer = [], []
    # Each condition is evaluated once per record, for the id list; a group's count is its list's length.
    for ind in model.indicators:
        condition = _condition(q, ind, day, assume)
        inner.append(f"{agg}(CASE WHEN {condition} THEN CAST(r.id AS TEXT) END, ',') AS ids_{ind.code}")
        ids = f"ids_{ind.code}"
        if ind.count is Counting.PROVIDERS:
            outer.append(f"SUM(CASE WHEN {ids} IS NULL THEN 0 ELSE 1 END) AS n_{ind.code}")
        else:
            listed = f"LENGTH({ids}) - LENGTH(REPLACE({ids}, ',', '')) + 1"
            outer.append(f"SUM(CASE WHEN {ids} IS NULL THEN 0 ELSE {listed} END) AS n_{ind.code}")
        outer.append(f"{agg}({ids}, ',') AS ids_{ind.code}")
    for number, tier in enumerate(model.clean_record.tiers):
        inner.append(
            f"MAX(CASE WHEN {_breaks_tier(q, model, tier.months, day, assume)} THEN 1 ELSE 0 END) AS broken_{number}"
        )
        outer.append(f"MAX(broken_{number}) AS broken_{number}")
    where = [
        f"r.hold = {q.p('')}",
        f"r.decision_date <= {q.p(db_date(day))}",
        f"r.kind_code IN {q.many(kinds)}",
    ]
    if subject_codes is not None:
        where.append(f"r.subject_code IN {q.many(subject_codes)}")
    aggregates = (
        f"SELECT subject_id, {', '.join(outer)} FROM (SELECT r.subject_id, {', '.join(inner)} "
        f"FROM records_creditrecord r LEFT JOIN excluded x ON x.record_id = r.id WHERE {' AND '.join(where)} "
        "GROUP BY r.subject_id, r.provider_id) AS by_department GROUP BY subject_id"
    )

    # Three stages, each materialised once and kept narrow (counts and numbers only): inlined, the grade's
    # nested CASEs would repeat the score's expression, and it every contribution, dozens of times a row.
    counts = [f"COALESCE(a.n_{i.code}, 0) AS n_{i.code}" for i in model.indicators]
    bonuses = [
        f"(CASE WHEN COALESCE(a.broken_{n}, 0) = 0 THEN {t.points} ELSE 0 END)"
        for n, t in enumerate(model.clean_record.tiers)
    ]
    bonus = f"({' + '.join(bonuses) or '0'})"
    total = " + ".join(
        [str(model.base), *(_contribution(i, f"COALESCE(a.n_{i.code}, 0)") for i in model.indicators), bonus]
    )
    score = (
        f"(CASE WHEN total < {model.floor} THEN {model.floor} "
        f"WHEN total > {model.ceiling} THEN {model.ceiling} ELSE total END)"
    )
    subjects = [f"s.kind IN {q.many([k.value for k in model.subject_kinds])}", "s.code_valid"]
    if subject_codes is not None:
        subjects.append(f"s.code IN {q.many(subject_codes)}")
    scored = (
        f"SELECT s.id AS subject_id, s.code AS subject_code, {', '.join(counts)}, {bonus} AS bonus, {total} AS total "
        f"FROM subjects_subject s LEFT JOIN agg a ON a.subject_id = s.id WHERE {' AND '.join(subjects)}"
    )

    # The grade: the band of the score, then the overrides (the first "set" that holds decides; otherwise
    # each "at most" that holds caps the band).
    band = (
        "(CASE "
        + " ".join(f"WHEN {score} >= {b.min_score} THEN {GRADES.index(b.grade)}" for b in model.grades[:-1])
        + f" ELSE {len(GRADES) - 1} END)"
    )
    level, decided_by = band, "''"
    for o in model.overrides:
        if o.mode is OverrideMode.AT_MOST:
            index, holds = GRADES.index(o.grade), f"n_{o.indicator} > 0"
            decided_by = f"CASE WHEN {holds} AND {level} < {index} THEN '{o.indicator}' ELSE {decided_by} END"
            level = f"(CASE WHEN {holds} AND {level} < {index} THEN {index} ELSE {level} END)"
    for o in reversed([o for o in model.overrides if o.mode is OverrideMode.SET]):
        index, holds = GRADES.index(o.grade), f"n_{o.indicator} > 0"
        decided_by = f"CASE WHEN {holds} THEN '{o.indicator}' ELSE {decided_by} END"
        level = f"(CASE WHEN {holds} THEN {index} ELSE {level} END)"
    graded = f"SELECT scored.*, {score} AS score, {level} AS level, {decided_by} AS override FROM scored"

    entries = [
        f'CASE WHEN g.n_{i.code} > 0 THEN \'"{i.code}":{{"n":\' || g.n_{i.code} || \',"points":\' || '
        f"{_contribution(i, f'g.n_{i.code}')} || '}},' ELSE '' END"
        for i in model.indicators
    ]
    clean = model.clean_record.code
    entries.append(
        f"CASE WHEN g.bonus <> 0 THEN '\"{clean}\":{{\"n\":1,\"points\":' || g.bonus || '}},' ELSE '' END"
    )
    record_entries = [
        f"CASE WHEN a.ids_{i.code} IS NOT NULL THEN '\"{i.code}\":[' || a.ids_{i.code} || '],' ELSE '' END"
        for i in model.indicators
    ]
    letter = "CASE " + " ".join(f"WHEN g.level = {n} THEN '{g}'" for n, g in enumerate(GRADES)) + " END"
    tag_pieces = [f"CASE WHEN {_tag_condition(t, model)} THEN ',{t.code}' ELSE '' END" for t in tags]
    final = (
        f"SELECT g.subject_code, g.score, {letter} AS grade, g.override, "
        f"'{{' || RTRIM({' || '.join(entries)}, ',') || '}}' AS indicators, "
        f"'{{' || RTRIM({' || '.join(record_entries)}, ',') || '}}' AS record_ids, "
        f"{' || '.join(tag_pieces) or repr('')} AS tag_list "
        "FROM graded g LEFT JOIN agg a ON a.subject_id = g.subject_id"
    )
    sql = (
        f"WITH excluded AS ({excluded}), agg AS MATERIALIZED ({aggregates}), "
        f"scored AS MATERIALIZED ({scored}), graded AS MATERIALIZED ({graded}) "
        f"SELECT subject_code, score, grade, override, indicators, record_ids, "
        f"CASE WHEN tag_list = '' THEN '' ELSE tag_list || ',' END AS tags FROM ({final}) AS outcome"
    )
    return sql, q.params
