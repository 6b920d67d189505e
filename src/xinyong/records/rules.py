"""The schemas of the collection and publication rules (rulebook/collection.yaml, publication.yaml).

Checked when the rulebook loads (core.rulebook): a misspelt key or a wrong type stops the start.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from xinyong.core.rulebook import Schema, Spec

# --- Collection (归集) ------------------------------------------------------------------------------------
VIOLATION_NATURAL_DAYS = Spec("collection.violation_natural_days", int)
DUAL_PUBLICITY_WORKING_DAYS = Spec("collection.dual_publicity_working_days", int)
DATA_START = Spec("collection.data_start", dt.date)


class AmountRange(Schema):
    """The plausible range of every amount field in 万元: at most ``max``, at most ``places`` decimals."""

    max: int
    places: int


AMOUNT_RANGE = Spec("collection.amount_range", AmountRange)


# --- Publication periods, in months ---------------------------------------------------------------------
class Period(Schema):
    min: int = 0
    max: int
    publish: bool = True


class LongerMinimum(Schema):
    domains: list[int]
    min: int


class PenaltyPeriods(Schema):
    title: str
    general: Period
    serious: Period
    minor: Period | None = None
    longer_minimum: LongerMinimum | None = None

    def period(self, severity: str) -> Period:
        """The period of ``severity`` (``general``, ``serious``, ``minor``); a severity the version does
        not know is published as general."""
        found = getattr(self, severity, None) if severity in ("general", "serious", "minor") else None
        return found if isinstance(found, Period) else self.general


class Withheld(Schema):
    publish: bool


class MaxPeriod(Schema):
    max: int


class MarketSupervisionPeriods(Schema):
    title: str
    domains: list[int]
    warning_only: Withheld
    notice_or_small_fine: MaxPeriod
    other: MaxPeriod
    small_fine_max_wan: float | None


class XiamenPeriods(Schema):
    title: str
    general: int
    serious: int
    joint_punishment_list: int
    key_attention_list: int
    social_credit_warning: int


class ObjectionPending(StrEnum):
    MARK = "mark"  # shown, marked 异议处理中
    SUSPEND = "suspend"  # withheld from the public while pending


class AfterExit(StrEnum):
    END = "end"
    HISTORY = "history"


class ExitEntry(Schema):
    field: str
    verb: str
    label: str
    ongoing: str
    after_exit: AfterExit


class ProviderEndDate(Schema):
    field: str


PENALTY = Spec("publication.penalty", PenaltyPeriods)
MARKET_SUPERVISION_PENALTY = Spec("publication.market_supervision_penalty", MarketSupervisionPeriods)
XIAMEN_DISHONESTY = Spec("publication.xiamen_dishonesty", XiamenPeriods)
SERIOUS_PENALTY_TYPES = Spec("publication.serious_penalty_types", list[str])
OBJECTION_PENDING = Spec("publication.objection_pending", ObjectionPending)
EXIT = Spec("publication.exit", dict[str, ExitEntry])
PROVIDER_END_DATE = Spec("publication.provider_end_date", ProviderEndDate)


class NotPublished(Schema):
    """Record kinds kept in the credit record for government use and the subject, never published."""

    kinds: list[str]
    explanation: str


NOT_PUBLISHED = Spec("publication.not_published", NotPublished)
