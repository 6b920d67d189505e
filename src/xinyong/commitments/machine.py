"""The commitment workflow's one transition table (信用承诺状态机).

    履约中 ──record_fulfilment──▶ 已践诺
    履约中 ──record_broken──────▶ 未践诺（违诺）   ┐ each creates a 违反信用承诺
    履约中 / 已践诺 ──record_false▶ 虚假承诺       ┘ dishonesty record

A commitment found false after its fulfilment was recorded (告知承诺 checked afterwards, 事中事后监管)
can still be declared false. Being overdue is a flag, not a state: the unit decides what follows.
"""

from __future__ import annotations

from xinyong.accounts.permissions import Action
from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.commitments.models import Commitment

S = Commitment.State

MACHINE = StateMachine(
    "commitment",
    {str(value): str(label) for value, label in S.choices},
    [
        Transition(
            "record_fulfilment", "记录已践诺", frozenset({S.PENDING}), S.FULFILLED, Action.RECORD_COMMITMENTS
        ),
        Transition(
            "record_broken", "认定未践诺", frozenset({S.PENDING}), S.BROKEN, Action.RECORD_COMMITMENTS
        ),
        Transition(
            "record_false",
            "认定虚假承诺",
            frozenset({S.PENDING, S.FULFILLED}),
            S.FALSE,
            Action.RECORD_COMMITMENTS,
        ),
    ],
)

KIT = CaseKit(
    Commitment,
    MACHINE,
    audit_prefix="commitments",
    object_type="commitment",
    object_id=lambda c: c.pk,
    url_name="commitments:detail",
    url_args=lambda c: [c.pk],
    audit_detail=lambda c: {"number": c.number},
)
# The job's audit name is the one the intake side uses for commitments (commitments.intake.SYSTEM).
OVERDUE_JOB = Job("commitments", "系统")
