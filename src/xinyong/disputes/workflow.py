"""The objection state machine (异议办理流程), one transition table (issue 6).

    accepted (已受理，信用中心比对中) ──forward──▶ forwarded (已转交信息提供单位核查)
        │                                         │ answer (the record's provider)
        │ close: maintain or revoke only           ▼
        └──────────────────────────────▶ closed ◀── answered (单位已核查，信用中心处理中)
                                                  close: corrected (only after the provider stored the
                                                  corrected version), revoked or maintained

Filing creates the case directly in ``accepted`` (accepted at once, ``file_objection``); overdue
flagging is a mark on the case, not a transition. Corrections always go through the provider.
"""

from __future__ import annotations

from xinyong.accounts.models import Role
from xinyong.accounts.permissions import Action
from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.disputes.models import Objection

S = Objection.State

MACHINE = StateMachine(
    "objection",
    {state.value: str(state.label) for state in S},
    [
        Transition(
            "forward_objection",
            "转交单位核查",
            frozenset({S.ACCEPTED}),
            S.FORWARDED,
            Action.HANDLE_OBJECTIONS,
        ),
        Transition(
            "answer_objection", "反馈核查结果", frozenset({S.FORWARDED}), S.ANSWERED, Action.ANSWER_OBJECTION
        ),
        Transition(
            "close_objection", "办结", frozenset({S.ACCEPTED, S.ANSWERED}), S.CLOSED, Action.HANDLE_OBJECTIONS
        ),
    ],
)

KIT = CaseKit(
    Objection,
    MACHINE,
    audit_prefix="objection",
    object_type="objection",
    object_id=lambda o: o.number,
    url_name="disputes:case",
    url_args=lambda o: [o.number],
    audit_detail=lambda o: {"record": o.record_id, "omission": o.omitted_key or None, "state": o.state},
    posts={Role.OBJECTION_HANDLER},
)
OVERDUE_JOB = Job("objection overdue", "逾期督办任务")
ARRIVALS_JOB = Job("objection arrivals", "补录核对任务")
