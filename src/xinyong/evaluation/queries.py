"""Reading evaluations: who may see a subject's grade, what it shows, and what would change it.

The grade is never public (社会公开): the subject itself (实名核验), centre staff and a government unit
stating one of its legal purposes (政务共享) see it, each look on the audit trail, through the same
``disclosure.access.decide`` that guards every non-public read. An authorised querier (授权查询) is
not among them: an authorisation covers credit information, not the platform's supervision grade.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace

from django.db import connection

from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import Basis, decide
from xinyong.evaluation import errors
from xinyong.evaluation.models import Evaluation
from xinyong.evaluation.rules import MODEL, TAGS, Model, Remedy
from xinyong.evaluation.scoring import NONE, Assumptions, outcome_sql
from xinyong.evaluation.services import moment
from xinyong.subjects.models import Subject

REMEDY_WORDS = {
    Remedy.REPAIR: "如完成信用修复",
    Remedy.EXIT: "如被移出名单或解除",
    Remedy.SETTLE: "如缴清欠缴款项",
}
HISTORY_SHOWN = 20


@dataclass(frozen=True)
class Outcome:
    score: int
    grade: str
    override: str


@dataclass(frozen=True)
class IndicatorView:
    code: str
    name: str
    count: int
    points: int
    record_ids: list[int]
    hint: str = ""  # what would change the grade, for the subject and staff


@dataclass(frozen=True)
class EvaluationView:
    subject_code: str
    subject_name: str
    grade: str
    grade_name: str
    score: int
    model: str
    model_title: str
    evaluated_on: dt.date
    override: str  # the reason of the override that decided, if any
    indicators: list[IndicatorView]
    tags: list[tuple[str, str]]
    history: list[tuple[dt.date, str, int]] = field(default_factory=list)
    basis: str = ""


def current(subject_code: str) -> Evaluation | None:
    return Evaluation.objects.filter(subject_code=subject_code, current=True).first()


def outcome(subject_code: str, *, day: dt.date | None = None, assume: Assumptions = NONE) -> Outcome | None:
    """The subject's outcome computed now (not stored), optionally as if some records were repaired or
    had ended: the same SQL as the nightly run, for one subject."""
    day, at = moment(day)
    sql, params = outcome_sql(
        MODEL.on(day).value, TAGS.on(day).value, day, at, subject_codes=[subject_code], assume=assume
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else Outcome(int(row[1]), str(row[2]), str(row[3]))


def _hint(model: Model, code: str, ids: list[int], subject_code: str, now: Outcome) -> str:
    """ "如完成信用修复，预计等级升至 B": re-scored as if the indicator's records were repaired or ended."""
    indicator = next((i for i in model.indicators if i.code == code), None)
    if indicator is None or indicator.remedy is None or indicator.points >= 0 or not ids:
        return ""
    if indicator.remedy is Remedy.REPAIR:
        assume = Assumptions(repaired=tuple(ids))
    else:
        assume = Assumptions(ended=tuple(ids))
    then = outcome(subject_code, assume=assume)
    words = REMEDY_WORDS[indicator.remedy]
    if then is None or (then.score <= now.score and then.grade == now.grade):
        return f"{words}，预计等级不变"
    if then.grade < now.grade:  # "A" < "B": better
        return f"{words}，预计等级升至 {then.grade}（得分 {then.score}）"
    return f"{words}，预计得分升至 {then.score}，等级仍为 {then.grade}"


def view_of(evaluation: Evaluation, *, hints: bool, subject: Subject | None = None) -> EvaluationView:
    """The stored evaluation explained: each indicator's name, contribution and records, the tags, the
    history; with ``hints``, what would change the grade (computed now, one query per indicator)."""
    day = evaluation.evaluated_on
    model = MODEL.on(day).value
    names = {i.code: i.name for i in model.indicators} | {model.clean_record.code: model.clean_record.name}
    tag_names = {t.code: t.name for t in TAGS.on(day).value}
    records = evaluation.records_by_indicator
    now = outcome(evaluation.subject_code) if hints else None
    indicators = [
        IndicatorView(
            code, names.get(code, code), value["n"], value["points"], records.get(code, []),
            _hint(model, code, records.get(code, []), evaluation.subject_code, now) if now else "",
        )
        for code, value in evaluation.indicator_values.items()
    ]  # fmt: skip
    override = next((o.reason for o in model.overrides if o.indicator == evaluation.override), "")
    subject = subject or Subject.objects.filter(code=evaluation.subject_code).first()
    history = Evaluation.objects.filter(subject_code=evaluation.subject_code).order_by("-evaluated_at")
    return EvaluationView(
        subject_code=evaluation.subject_code,
        subject_name=subject.name if subject else "",
        grade=evaluation.grade,
        grade_name=model.band(evaluation.grade).name,
        score=evaluation.score,
        model=evaluation.model,
        model_title=model.title,
        evaluated_on=evaluation.evaluated_on,
        override=override,
        indicators=sorted(indicators, key=lambda i: (i.points >= 0, i.points)),
        tags=[(t, tag_names.get(t, t)) for t in evaluation.tag_codes],
        history=[(e.evaluated_on, e.grade, e.score) for e in history[:HISTORY_SHOWN]],
    )


def evaluation_for(viewer: User | None, subject_code: str, purpose: str = "") -> EvaluationView:
    """What ``viewer`` may see of a subject's evaluation, on the audit trail; refuses the public, a
    querier under an authorisation, and anyone without a basis."""
    if viewer is None or not viewer.is_authenticated:
        raise PlatformError(errors.NOT_PUBLIC, field="subject")
    decision = decide(viewer, subject_code, purpose, clock.now())
    if decision.basis is Basis.GRANT:
        raise PlatformError(errors.NOT_PUBLIC, field="subject")
    evaluation = current(subject_code)
    if evaluation is None:
        raise PlatformError(errors.NOT_EVALUATED, field="subject")
    view = view_of(evaluation, hints=decision.basis in (Basis.SELF, Basis.STAFF))
    view = replace(view, basis=decision.basis.value)
    record(
        actor=Actor.of_user(viewer),
        action="evaluation.view",
        subject_code=subject_code,
        purpose=decision.purpose,
        object_type="evaluation",
        object_id=evaluation.pk,
        result=asdict(view),
        detail={"basis": decision.basis.value, "grade": evaluation.grade},
    )
    return view
