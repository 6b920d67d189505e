"""The code issue's one transition table (重错码研判状态机), run by the case kit.

待研判 ──judge_same──────▶ 同一主体
待研判 ──judge_different─▶ 不同主体
待研判 ──judge_wrong_code▶ 代码错误   (every record of the wrong code moved to the right subject)
同一主体 / 不同主体 / 代码错误 ──reverse──▶ 待研判   (the records moved back)
"""

from __future__ import annotations

from xinyong.accounts.permissions import Action
from xinyong.cases.kit import CaseKit
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.quality.models import CodeIssue

S = CodeIssue.State
JUDGED = frozenset({S.SAME_SUBJECT, S.DIFFERENT_SUBJECTS, S.WRONG_CODE})

MACHINE = StateMachine(
    "code_issue",
    {str(value): str(label) for value, label in S.choices},
    [
        Transition("judge_same", "研判为同一主体", frozenset({S.OPEN}), S.SAME_SUBJECT, Action.JUDGE_CODES),
        Transition(
            "judge_different", "研判为不同主体", frozenset({S.OPEN}), S.DIFFERENT_SUBJECTS, Action.JUDGE_CODES
        ),
        Transition(
            "judge_wrong_code",
            "研判为代码错误并改挂记录",
            frozenset({S.OPEN}),
            S.WRONG_CODE,
            Action.JUDGE_CODES,
        ),
        Transition("reverse", "撤销研判，记录恢复原状", JUDGED, S.OPEN, Action.JUDGE_CODES),
    ],
)

#: The transition each verdict takes.
VERDICTS = {
    S.SAME_SUBJECT: "judge_same",
    S.DIFFERENT_SUBJECTS: "judge_different",
    S.WRONG_CODE: "judge_wrong_code",
}

KIT = CaseKit(
    CodeIssue,
    MACHINE,
    audit_prefix="quality.code",
    object_type="code_issue",
    object_id=lambda issue: issue.pk,
    url_name="quality:codes",
    url_args=lambda issue: [],
    audit_detail=lambda issue: {"kind": issue.kind, "other_code": issue.other_code},
)
