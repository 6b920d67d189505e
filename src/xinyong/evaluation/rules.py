"""The schemas of the evaluation rules (rulebook/evaluation.yaml), checked when the rulebook loads:
a misspelt key, an unknown overlay or grade, or an override naming no indicator stops the start."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from xinyong.core.rulebook import Schema, Spec


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Excluding(StrEnum):
    """Overlays that take a record out of an indicator (records.Overlay.Kind values)."""

    REVOKED = "revoked"
    REPAIRED = "repaired"


class Counting(StrEnum):
    RECORDS = "records"
    PROVIDERS = "providers"  # distinct departments (信息提供单位)


class Remedy(StrEnum):
    """What ends an indicator's records, for the hint shown to the subject."""

    REPAIR = "repair"  # 信用修复
    EXIT = "exit"  # 移出名单 / 解除
    SETTLE = "settle"  # 缴清


class SubjectKind(StrEnum):
    ORGANISATION = "organisation"
    INDIVIDUAL_BUSINESS = "individual_business"
    PERSON = "person"


class Indicator(Schema):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    kinds: list[str] = Field(min_length=1)
    severities: list[str] = []
    within_months: int | None = Field(None, ge=1)
    older_than_months: int | None = Field(None, ge=1)
    in_force: bool = False
    count: Counting = Counting.RECORDS
    points: int
    cap: int
    excluded_by: list[Excluding] = []
    remedy: Remedy | None = None

    @model_validator(mode="after")
    def _cap_has_the_sign_of_points(self) -> Indicator:
        if self.points * self.cap < 0 or abs(self.cap) < abs(self.points):
            raise ValueError(f"{self.code}: cap {self.cap} must have the sign of points and hold one item")
        return self


class Tier(Schema):
    months: int = Field(ge=1)
    points: int


class CleanRecord(Schema):
    code: str
    name: str
    kinds: list[str]
    excluded_by: list[Excluding] = []
    tiers: list[Tier]


class OverrideMode(StrEnum):
    SET = "set"  # the grade is this one
    AT_MOST = "at_most"  # the grade is no better than this one


class Override(Schema):
    indicator: str
    mode: OverrideMode
    grade: Grade
    reason: str


class GradeBand(Schema):
    grade: Grade
    min_score: int
    name: str


class Model(Schema):
    title: str
    subject_kinds: list[SubjectKind]
    base: int
    floor: int
    ceiling: int
    indicators: list[Indicator]
    clean_record: CleanRecord
    overrides: list[Override] = []
    grades: list[GradeBand]

    @model_validator(mode="after")
    def _consistent(self) -> Model:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes) or self.clean_record.code in codes:
            raise ValueError("indicator codes must be unique")
        unknown = {o.indicator for o in self.overrides} - set(codes)
        if unknown:
            raise ValueError(f"overrides name unknown indicators: {sorted(unknown)}")
        if [b.grade for b in self.grades] != list(Grade):
            raise ValueError("grades must list A, B, C, D in that order")
        scores = [b.min_score for b in self.grades]
        if scores != sorted(scores, reverse=True) or scores[-1] > self.floor:
            raise ValueError("min_score must fall from A to D, and D must take the floor")
        return self

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def band(self, grade: Grade | str) -> GradeBand:
        return next(b for b in self.grades if b.grade == grade)


class SpotCheckRatio(Schema):
    percent: int = Field(ge=0, le=100)
    label: str
    focus: bool = False  # 重点关注


class TagCondition(Schema):
    grades: list[Grade] = []
    indicators: dict[str, int] = {}  # indicator code → the least count


class Tag(Schema):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    when: list[TagCondition] = Field(min_length=1)


MODEL = Spec("evaluation.model", Model)
SPOT_CHECK = Spec("evaluation.spot_check", dict[Grade, SpotCheckRatio])
TAGS = Spec("evaluation.tags", list[Tag])
