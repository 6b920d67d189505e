"""The evaluation model compiled to one SQL query (set-based; the same text on SQLite and PostgreSQL).

``outcome_sql`` turns the model in force (rulebook ``evaluation.model``) into a SELECT giving, per subject,
its score, grade, the override that decided (if any), the indicator JSON, the record ids JSON and the tags:

1. ``excluded``: the records carrying a live revoked or repaired overlay (few rows, aggregated once);
2. ``agg``: one GROUP BY over the credit records with a conditional aggregate per indicator (its count
   and its record ids) and per clean-record tier (whether a dishonesty record breaks it);
3. ``scored``: every subject of the evaluated kinds joined to its aggregates (no records: all zero), each
   contribution bounded by its cap, the score bounded by floor and ceiling;
4. the grade from the thresholds, then the overrides; the tags from the grade and the counts.

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
    parts.extend(_not_excluded(q, clean.excluded_by, Assumptions()))
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
            parts.append("grade IN (" + ", ".join(f"'{g.value}'" for g in when.grades) + ")")
        for code, least in when.indicators.items():
            if code not in known:
                raise ValueError(f"tag {tag.code} names indicator {code}, which model {model.title} lacks")
            parts.append(f"n_{code} >= {int(least)}")
        alternatives.append("(" + " AND ".join(parts or ["1 = 1"]) + ")")
    return " OR ".join(alternatives)


def outcome_sql(
    model: Model,
    tags: list[Tag],
    day: dt.date,
    at: dt.datetime,
    *,
    subject_codes: Sequence[str] | None = None,
    assume: Assumptions = Assumptions(),
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

    columns = []
    for ind in model.indicators:
        cond = _condition(q, ind, day, assume)
        if ind.count is Counting.PROVIDERS:
            columns.append(f"COUNT(DISTINCT CASE WHEN {cond} THEN r.provider_id END) AS n_{ind.code}")
        else:
            columns.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS n_{ind.code}")
        cond = _condition(q, ind, day, assume)
        columns.append(f"{agg}(CASE WHEN {cond} THEN CAST(r.id AS TEXT) END, ',') AS ids_{ind.code}")
    for number, tier in enumerate(model.clean_record.tiers):
        columns.append(
            f"MAX(CASE WHEN {_breaks_tier(q, model, tier.months, day, assume)} THEN 1 ELSE 0 END) AS broken_{number}"
        )
    where = [
        f"r.hold = {q.p('')}",
        f"r.decision_date <= {q.p(db_date(day))}",
        f"r.kind_code IN {q.many(kinds)}",
    ]
    if subject_codes is not None:
        where.append(f"r.subject_code IN {q.many(subject_codes)}")
    aggregates = (
        f"SELECT r.subject_code, {', '.join(columns)} FROM records_creditrecord r "
        f"LEFT JOIN excluded x ON x.record_id = r.id WHERE {' AND '.join(where)} GROUP BY r.subject_code"
    )

    counts = [f"COALESCE(a.n_{i.code}, 0) AS n_{i.code}" for i in model.indicators]
    ids = [f"a.ids_{i.code}" for i in model.indicators]
    contributions = [
        f"{_contribution(i, f'COALESCE(a.n_{i.code}, 0)')} AS c_{i.code}" for i in model.indicators
    ]
    bonuses = [
        f"(CASE WHEN COALESCE(a.broken_{n}, 0) = 0 THEN {t.points} ELSE 0 END)"
        for n, t in enumerate(model.clean_record.tiers)
    ]
    subjects = [f"s.kind IN {q.many([k.value for k in model.subject_kinds])}", "s.code_valid"]
    if subject_codes is not None:
        subjects.append(f"s.code IN {q.many(subject_codes)}")
    scored = (
        f"SELECT s.code AS subject_code, {', '.join([*counts, *ids, *contributions])}, "
        f"({' + '.join(bonuses) or '0'}) AS c_{model.clean_record.code} "
        f"FROM subjects_subject s LEFT JOIN agg a ON a.subject_code = s.code WHERE {' AND '.join(subjects)}"
    )
    total = " + ".join(
        [str(model.base), *(f"c_{i.code}" for i in model.indicators), f"c_{model.clean_record.code}"]
    )
    bounded = (
        f"(CASE WHEN {total} < {model.floor} THEN {model.floor} "
        f"WHEN {total} > {model.ceiling} THEN {model.ceiling} ELSE {total} END)"
    )
    band = (
        "CASE "
        + " ".join(f"WHEN score >= {b.min_score} THEN {GRADES.index(b.grade)}" for b in model.grades[:-1])
        + f" ELSE {len(GRADES) - 1} END"
    )
    keep = ", ".join(
        [*(f"n_{i.code}" for i in model.indicators), *(f"ids_{i.code}" for i in model.indicators),
         *(f"c_{i.code}" for i in model.indicators), f"c_{model.clean_record.code}"]
    )  # fmt: skip
    with_score = f"SELECT subject_code, {keep}, {bounded} AS score FROM scored"
    with_band = f"SELECT *, {band} AS band FROM with_score"

    # Overrides: the first "set" that holds decides; otherwise each "at most" that holds caps the band.
    level, decided_by = "band", "''"
    for o in model.overrides:
        if o.mode is OverrideMode.AT_MOST:
            index, holds = GRADES.index(o.grade), f"n_{o.indicator} > 0"
            decided_by = f"CASE WHEN {holds} AND {level} < {index} THEN '{o.indicator}' ELSE {decided_by} END"
            level = f"(CASE WHEN {holds} AND {level} < {index} THEN {index} ELSE {level} END)"
    for o in reversed([o for o in model.overrides if o.mode is OverrideMode.SET]):
        index, holds = GRADES.index(o.grade), f"n_{o.indicator} > 0"
        decided_by = f"CASE WHEN {holds} THEN '{o.indicator}' ELSE {decided_by} END"
        level = f"(CASE WHEN {holds} THEN {index} ELSE {level} END)"
    letter = "CASE " + " ".join(f"WHEN {level} = {n} THEN '{g}'" for n, g in enumerate(GRADES)) + " END"
    with_grade = f"SELECT *, {letter} AS grade, {decided_by} AS override FROM with_band"

    entries = [
        f"CASE WHEN n_{i.code} > 0 THEN '\"{i.code}\":{{\"n\":' || n_{i.code} || ',\"points\":' || c_{i.code} || '}},' "
        "ELSE '' END"
        for i in model.indicators
    ]
    clean = model.clean_record.code
    entries.append(
        f"CASE WHEN c_{clean} <> 0 THEN '\"{clean}\":{{\"n\":1,\"points\":' || c_{clean} || '}},' ELSE '' END"
    )
    record_entries = [
        f"CASE WHEN ids_{i.code} IS NOT NULL THEN '\"{i.code}\":[' || ids_{i.code} || '],' ELSE '' END"
        for i in model.indicators
    ]
    tag_pieces = [f"CASE WHEN {_tag_condition(t, model)} THEN ',{t.code}' ELSE '' END" for t in tags]
    final = (
        "SELECT subject_code, score, grade, override, "
        f"'{{' || RTRIM({' || '.join(entries)}, ',') || '}}' AS indicators, "
        f"'{{' || RTRIM({' || '.join(record_entries)}, ',') || '}}' AS record_ids, "
        f"{' || '.join(tag_pieces) or repr('')} AS tag_list FROM with_grade"
    )
    sql = (
        f"WITH excluded AS ({excluded}), agg AS ({aggregates}), scored AS ({scored}), "
        f"with_score AS ({with_score}), with_band AS ({with_band}), with_grade AS ({with_grade}) "
        f"SELECT subject_code, score, grade, override, indicators, record_ids, "
        f"CASE WHEN tag_list = '' THEN '' ELSE tag_list || ',' END AS tags FROM ({final}) AS outcome"
    )
    return sql, q.params
