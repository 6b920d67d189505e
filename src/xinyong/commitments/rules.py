"""The schemas of the credit commitment rules (rulebook/commitments.yaml), checked when the rulebook loads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator

from xinyong.core.rulebook import Schema, Spec


class DeadlineNeed(StrEnum):
    REQUIRED = "required"  # a fulfilment deadline (践诺期限) must be given
    OPTIONAL = "optional"


class Subtype(Schema):
    code: str
    name: str
    codelist: str  # the catalogue's commitment_type code-list value its records carry
    deadline: DeadlineNeed


class CommitmentType(Schema):
    """A type: either with subtypes, or with its own code-list value and deadline need."""

    code: str
    name: str
    subtypes: list[Subtype] = []
    codelist: str = ""
    deadline: DeadlineNeed | None = None

    @model_validator(mode="after")
    def _subtypes_or_own(self) -> CommitmentType:
        if not self.subtypes and (not self.codelist or self.deadline is None):
            raise ValueError(f"type {self.code} needs subtypes, or a codelist and a deadline")
        return self


class Counting(StrEnum):
    NATURAL_DAY = "natural_day"
    WORKING_DAY = "working_day"


class BreachSeverity(Schema):
    """失信严重程度 written into the breach record, by outcome."""

    broken: str
    false: str


class BreachRecord(Schema):
    kind: str  # the record kind a breach creates
    severity: BreachSeverity
    publication_rule: str  # the rule its publication period follows (records.publication decides)


class NotificationBar(Schema):
    bars: str  # the subtype code of commitments.types barred
    breach_kind: str
    lifted_by: list[str]  # overlay kinds on the breach record that lift the bar
    ends_with_publication: bool


TYPES = Spec("commitments.types", list[CommitmentType])
DEADLINE_COUNTING = Spec("commitments.deadline_counting", Counting)
BREACH_RECORD = Spec("commitments.breach_record", BreachRecord)
NOTIFICATION_BAR = Spec("commitments.notification_bar", NotificationBar)
