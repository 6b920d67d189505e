"""The schemas of the data-quality rules (rulebook/quality.yaml), checked when the rulebook loads."""

from __future__ import annotations

from xinyong.core.rulebook import Schema, Spec


class Targets(Schema):
    """Targets in percent (达标线): a unit below any of them is named in the monthly notice."""

    upload: int  # 上报率
    compliance: int  # 合规率
    timeliness: int  # 及时率
    accuracy: int  # 抽检准确率


TARGETS = Spec("quality.targets", Targets)
#: Working days after a month ends by which its totals must be declared; later, the month is flagged.
DECLARATION_WORKING_DAYS = Spec("quality.declaration_working_days", int)
#: Working days a rejected row may wait for a corrected resubmission before its provider is reminded.
RESUBMIT_WORKING_DAYS = Spec("quality.resubmit_working_days", int)
