"""The schemas of the credit repair rules (rulebook/repair.yaml), checked when the rulebook loads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from xinyong.core.rulebook import Schema, Spec


class MinimumPeriod(Schema):
    """Months published before repair may be applied for, by severity."""

    title: str
    general: int
    serious: int
    minor: int

    def months(self, severity: str) -> int:
        """The period of ``severity``; one the rule does not know counts as general."""
        return {"general": self.general, "serious": self.serious, "minor": self.minor}.get(
            severity, self.general
        )


class NeverField(Schema):
    name: str
    domain_numbers: list[int]
    keywords: list[str]


class NeverBehaviour(Schema):
    name: str
    keywords: list[str]


class NeverRepairable(Schema):
    title: str
    penalty_types: list[str]
    fields: list[NeverField]
    behaviours: list[NeverBehaviour]


class Deadlines(Schema):
    """Working days: the city's review and the whole case from filing, the province's from the city's approval."""

    city_review: int
    provincial_review: int
    overall: int


class Resubmission(Schema):
    max_resubmissions: int


class Route(StrEnum):
    CITY = "city"  # a credit repair case on this platform
    ELSEWHERE = "elsewhere"  # ends only by the deciding authority's exit


class Narrower(Schema):
    field: str
    values: list[str]
    route: Route
    how: str = ""


class Routing(Schema):
    route: Route
    how: str = ""  # for "elsewhere": the one sentence the repair pages show instead of a form
    except_: list[Narrower] = Field(default_factory=list, alias="except")

    def for_fields(self, fields: dict[str, str]) -> Routing | Narrower:
        """This routing, or the first ``except`` entry whose field has one of its values."""
        return next((n for n in self.except_ if fields.get(n.field, "") in n.values), self)


MINIMUM_PERIOD = Spec("repair.minimum_period", MinimumPeriod)
NEVER_REPAIRABLE = Spec("repair.never_repairable", NeverRepairable)
DEADLINES = Spec("repair.deadlines", Deadlines)
STOPS_SHARING = Spec("repair.stops_sharing", bool)
RESUBMISSION = Spec("repair.resubmission", Resubmission)
ROUTES = Spec("repair.routes", dict[str, Routing])
