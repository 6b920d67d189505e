"""The state machine of credit repair (信用修复), one table (cases.workflow).

submitted ─submit─▶ city_review ─city_approve─▶ provincial_review ─provincial_approve─▶ approved
                        └─city_reject─▶ rejected        └─provincial_reject─▶ rejected

``submitted`` is the moment of filing; ``apply_for_repair`` takes ``submit`` at once, so the history
shows both the filing and the start of the city's 3 working days (《厦门市公共信用信息管理办法》).
"""

from __future__ import annotations

from xinyong.accounts.models import Role
from xinyong.accounts.permissions import Action
from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.repairs.models import RepairApplication

State = RepairApplication.State

MACHINE = StateMachine(
    "repair",
    {s.value: str(s.label) for s in State},
    [
        Transition(
            "submit", "提交申请", frozenset({State.SUBMITTED}), State.CITY_REVIEW, Action.REPAIRS_APPLY
        ),
        Transition(
            "city_approve",
            "市级初审通过",
            frozenset({State.CITY_REVIEW}),
            State.PROVINCIAL_REVIEW,
            Action.REPAIRS_REVIEW_CITY,
        ),
        Transition(
            "city_reject",
            "市级初审不予修复",
            frozenset({State.CITY_REVIEW}),
            State.REJECTED,
            Action.REPAIRS_REVIEW_CITY,
        ),
        Transition(
            "provincial_approve",
            "省级复核通过",
            frozenset({State.PROVINCIAL_REVIEW}),
            State.APPROVED,
            Action.REPAIRS_REVIEW_PROVINCE,
        ),
        Transition(
            "provincial_reject",
            "省级复核不予修复",
            frozenset({State.PROVINCIAL_REVIEW}),
            State.REJECTED,
            Action.REPAIRS_REVIEW_PROVINCE,
        ),
    ],
)

KIT = CaseKit(
    RepairApplication,
    MACHINE,
    audit_prefix="repair",
    object_type="repair",
    object_id=lambda a: a.number,
    url_name="repairs:case",
    url_args=lambda a: [a.number],
    audit_detail=lambda a: {"record": a.record_id, "state": a.state},
    posts={Role.CITY_REPAIR_REVIEWER, Role.PROVINCIAL_REPAIR_REVIEWER},
)
OVERDUE_JOB = Job("repair overdue", "系统")
