"""Explicit state machines for the case workflows (异议, 信用修复, 信用承诺; issue 6).

Each workflow declares one ``StateMachine``: its states and a table of named transitions saying from
which states a transition may start, where it ends and which permission its actor needs. Service
functions (one per transition) call ``machine.check(case.state, name, actor)`` first, so an illegal
step is refused with a stable error code and changes nothing, and the table doubles as documentation
(``machine.describe()`` renders it for docs and the admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.core import errors
from xinyong.core.errors import PlatformError

TRANSITION_NOT_ALLOWED = errors.register(
    "workflow.transition_not_allowed",
    409,
    "当前状态“{state}”下不能执行“{transition}”。",
    "This step cannot be taken from the case's current state.",
)
TRANSITION_FORBIDDEN = errors.register(
    "workflow.forbidden",
    403,
    "您无权执行“{transition}”。",
    "You may not take this step.",
)


@dataclass(frozen=True)
class Transition:
    name: str  # the service verb, e.g. "forward_to_provider"
    label: str  # Chinese, shown on buttons and in the case history
    sources: frozenset[str]
    target: str
    action: Action | None  # the permission the actor needs; None: only the system (deadline jobs)


class StateMachine:
    def __init__(self, name: str, states: dict[str, str], transitions: Iterable[Transition]) -> None:
        self.name = name
        self.states = states  # value → Chinese label
        self.transitions = {t.name: t for t in transitions}
        for t in self.transitions.values():
            unknown = (t.sources | {t.target}) - states.keys()
            if unknown:
                raise ValueError(f"{name}.{t.name} names unknown states {sorted(unknown)}")

    def check(self, state: str, name: str, actor: User | None) -> Transition:
        """The transition ``name`` from ``state``, if ``actor`` may take it (``actor`` None: the system)."""
        transition = self.transitions[name]
        if state not in transition.sources:
            raise PlatformError(
                TRANSITION_NOT_ALLOWED,
                field="state",
                state=self.states.get(state, state),
                transition=transition.label,
            )
        if actor is not None and (transition.action is None or not allowed(actor, transition.action)):
            raise PlatformError(TRANSITION_FORBIDDEN, transition=transition.label)
        return transition

    def available(self, state: str, actor: User | None) -> list[Transition]:
        """The transitions ``actor`` could take now (for the buttons on a case page)."""
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and (actor is None or (t.action is not None and allowed(actor, t.action)))
        ]

    def describe(self) -> list[tuple[str, str, str, str]]:
        """(transition, from, to, who) rows, for docs and tests."""
        return [
            (
                f"{t.name}（{t.label}）",
                "、".join(self.states[s] for s in sorted(t.sources)),
                self.states[t.target],
                t.action.value if t.action else "system",
            )
            for t in self.transitions.values()
        ]
