"""The schemas of the supervision rules (rulebook/publication.yaml: the social credit warning;
rulebook/supervision.yaml: risk warnings and interviews), checked when the rulebook loads."""

from __future__ import annotations

from enum import StrEnum

from xinyong.core.rulebook import Schema, Spec


class WarningThreshold(Schema):
    distinct_lists: int
    within_months: int
    list_field: str  # the key-attention record's field that tells lists apart (名单类型)


SOCIAL_CREDIT_WARNING = Spec("supervision.social_credit_warning", WarningThreshold)


class Measure(StrEnum):
    RECORDS = "records"  # records of the kind within the window
    DEPARTMENTS = "departments"  # distinct providers among those records
    LISTS = "lists"  # distinct lists (by list_field) with an entry in force, no window


class RiskRule(Schema):
    """One condition of the credit risk warning (信用风险预警)."""

    title: str  # Chinese, as the warning names its condition
    kind: str  # the record kind counted
    measure: Measure
    at_least: int
    within_months: int | None = None  # None: no window (lists in force)
    list_field: str = ""  # for measure lists: the field that tells lists apart (名单类型)


PENALTY_COUNT = Spec("supervision.risk_warning.penalty_count", RiskRule)
PENALTY_DEPARTMENTS = Spec("supervision.risk_warning.penalty_departments", RiskRule)
SERIOUS_LISTS = Spec("supervision.risk_warning.serious_lists", RiskRule)
#: Every risk warning rule, in the order warnings are shown.
RISK_RULES = (PENALTY_COUNT, PENALTY_DEPARTMENTS, SERIOUS_LISTS)


class InterviewType(Schema):
    code: str
    label: str


class DayOff(StrEnum):
    NEXT_WORKING_DAY = "next_working_day"


class InterviewRule(Schema):
    types: list[InterviewType]
    record_kind: str
    deadline_on_day_off: DayOff


INTERVIEW = Spec("supervision.interview", InterviewRule)
