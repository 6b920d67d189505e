"""The schema of the social credit warning rule (rulebook/publication.yaml), checked when the rulebook loads."""

from __future__ import annotations

from xinyong.core.rulebook import Schema, Spec


class WarningThreshold(Schema):
    distinct_lists: int
    within_months: int
    list_field: str  # the key-attention record's field that tells lists apart (名单类型)


SOCIAL_CREDIT_WARNING = Spec("supervision.social_credit_warning", WarningThreshold)
