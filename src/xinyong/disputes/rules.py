"""The schema of the objection deadlines (rulebook/disputes.yaml), checked when the rulebook loads."""

from __future__ import annotations

from typing import Literal

from xinyong.core.rulebook import Schema, Spec

Step = Literal["compare", "provider_check", "process", "overall"]


class ObjectionDeadlines(Schema):
    """Working days, each from the day its step began (day 0)."""

    compare: int  # the centre compares, from acceptance
    provider_check: int  # the provider checks, from receiving the forwarded case
    process: int  # the centre processes and tells the applicant, from the provider's answer
    overall: int  # the whole objection, from acceptance

    def days(self, step: Step) -> int:
        days: int = getattr(self, step)
        return days


DEADLINES = Spec("objection.deadlines", ObjectionDeadlines)
