"""The schemas of the batch-check rules (rulebook/checks.yaml), checked when the rulebook loads."""

from __future__ import annotations

from xinyong.core.rulebook import Spec

PENALTY_LOOKBACK = Spec("checks.penalty_lookback", int)  # months of penalties counted on the result sheet
ASSIST_DEADLINE = Spec("checks.assist_deadline", int)  # working days a department has to answer a 协查
