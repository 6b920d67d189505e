"""Spot-check lists by credit grade (“双随机、一公开” with the evaluation): who a department may draw, and the draw.

A department's subjects under supervision are the evaluated subjects it holds at least one record about
(any kind, licences included: the licensing department supervises its licensees), its records held for a
code check and those revoked after an objection aside. Each grade takes the spot-check ratio of rulebook
``evaluation.spot_check``. The draw is reproducible: within each grade the subjects are ordered by
HMAC-SHA256(seed, subject code), and the first ⌈n × ratio⌉ are drawn; the same seed over the same
subjects gives the same draw on any database, and the seed and parameters are on the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from xinyong.audit.services import Actor, fingerprint, record
from xinyong.catalog.models import Provider
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.evaluation import errors
from xinyong.evaluation.models import Evaluation
from xinyong.evaluation.rules import SPOT_CHECK, Grade
from xinyong.records.models import CreditRecord, Overlay
from xinyong.subjects.models import Subject

SEED = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Candidate:
    subject_code: str
    name: str
    grade: str
    score: int
    tags: str
    order: int  # 1 = drawn first within its grade
    drawn: bool


@dataclass(frozen=True)
class SpotCheckList:
    department: Provider
    day: dt.date
    seed: str
    grades: list[str]
    tag: str
    percents: dict[str, int]
    focus: dict[str, bool]
    rule: str
    candidates: list[Candidate]

    def drawn(self) -> list[Candidate]:
        return [c for c in self.candidates if c.drawn]


def parse_grades(text: str) -> list[str]:
    """``"A,B"`` → ``["A", "B"]``; empty means every grade; anything else is refused (400)."""
    wanted = [g.strip().upper() for g in text.split(",") if g.strip()] if text else [g.value for g in Grade]
    if not wanted or any(g not in Grade.__members__ for g in wanted):
        raise PlatformError(errors.BAD_GRADES, field="grades", grades=text)
    return sorted(set(wanted))


def department(code: str) -> Provider:
    found = Provider.objects.filter(code=code).first()
    if found is None:
        raise PlatformError(errors.UNKNOWN_DEPARTMENT, field="department", department=code[:40])
    return found


def draw_key(seed: str, subject_code: str) -> str:
    """The draw order of a subject: a keyed hash of the seed and its code, the same everywhere."""
    return hmac.new(seed.encode(), subject_code.encode(), hashlib.sha256).hexdigest()


def supervised(provider: Provider, grades: list[str], tag: str = "") -> list[tuple[str, str, str, int, str]]:
    """(code, name, grade, score, tags) of the evaluated subjects ``provider`` holds a record about."""
    revoked = Overlay.objects.filter(record=OuterRef("pk"), kind=Overlay.Kind.REVOKED, ends_at__isnull=True)
    theirs = CreditRecord.objects.filter(provider=provider, hold="").exclude(Exists(revoked))
    current = Evaluation.objects.filter(current=True, grade__in=grades).filter(
        Exists(theirs.filter(subject_code=OuterRef("subject_code")))
    )
    if tag:
        current = current.filter(tags__contains=f",{tag},")
    name = Subject.objects.filter(code=OuterRef("subject_code")).values("name")[:1]
    return list(
        current.annotate(name=Subquery(name)).values_list("subject_code", "name", "grade", "score", "tags")
    )


def spot_check_list(
    provider: Provider, *, grades: list[str], seed: str = "", tag: str = "", actor: Actor
) -> SpotCheckList:
    """The department's list with the draw for ``seed`` (a fresh random seed when empty), audited."""
    if seed and not SEED.fullmatch(seed):
        raise PlatformError(errors.BAD_SEED, field="seed")
    seed = seed or secrets.token_hex(8)
    day = clock.today()
    rule = SPOT_CHECK.on(day)
    rows = supervised(provider, grades, tag)
    by_grade: dict[str, list[tuple[str, tuple[str, str, str, int, str]]]] = {}
    for row in rows:
        by_grade.setdefault(row[2], []).append((draw_key(seed, row[0]), row))
    candidates = []
    for grade in sorted(by_grade):
        ordered = sorted(by_grade[grade])
        quota = math.ceil(len(ordered) * rule.value[Grade(grade)].percent / 100)
        candidates += [
            Candidate(code, name or "", g, score, tags, n, n <= quota)
            for n, (_, (code, name, g, score, tags)) in enumerate(ordered, start=1)
        ]
    result = SpotCheckList(
        department=provider, day=day, seed=seed, grades=grades, tag=tag,
        percents={g.value: r.percent for g, r in rule.value.items()},
        focus={g.value: r.focus for g, r in rule.value.items()},
        rule=rule.ref, candidates=candidates,
    )  # fmt: skip
    drawn = result.drawn()
    record(
        actor=actor, action="spot_check.draw", object_type="provider", object_id=provider.code,
        result=[c.subject_code for c in drawn],
        detail={
            "seed": seed, "grades": grades, "tag": tag, "rule": rule.ref, "percents": result.percents,
            "candidates": dict(Counter(c.grade for c in candidates)), "drawn": dict(Counter(c.grade for c in drawn)),
            "drawn_fingerprint": fingerprint([c.subject_code for c in drawn]),
        },
    )  # fmt: skip
    return result


def xlsx_rows(result: SpotCheckList) -> list[list[object]]:
    """The list as spreadsheet rows: the parameters first, then one row per subject."""
    head: list[list[object]] = [
        ["抽查单位", result.department.name, result.department.code],
        ["生成日期", result.day.isoformat()],
        ["随机种子", result.seed, "同一种子、同一名单，抽取结果相同"],
        ["抽查比例依据", result.rule, "；".join(f"{g}级 {p}%" for g, p in result.percents.items())],
        [],
        [
            "抽取顺位",
            "统一社会信用代码",
            "名称",
            "信用等级",
            "得分",
            "抽查比例",
            "是否抽中",
            "重点关注",
            "信用标签",
        ],
    ]
    return head + [
        [c.order, c.subject_code, c.name, c.grade, c.score, f"{result.percents[c.grade]}%",
         "抽中" if c.drawn else "", "是" if result.focus[c.grade] else "", c.tags.strip(",")]
        for c in result.candidates
    ]  # fmt: skip


def matches_tag(tag: str) -> Q:
    return Q(tags__contains=f",{tag},")
