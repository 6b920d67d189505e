"""The case kit: one way for every case workflow to take a step, keep its history, audit, notify and
run its overdue job.

A workflow declares one ``CaseKit`` next to its state machine (``cases.workflow``) and its verbs use it:

    with transaction.atomic():
        step = KIT.claim(case, "forward_objection", actor)       # row lock + transition check
        case.provider_due = …                                     # the step's own fields
        KIT.move(case, step, actor=actor, fields=["provider_due"])  # state, fields, history line
        KIT.audit(case, "forward", actor=actor, provider_due=…)   # one signature everywhere
        KIT.notify(recipients, case, title=…, body=…)             # link from reverse()

and its overdue job is one ``KIT.sweep``: each due row claimed with a conditional UPDATE, so a run
twice, late or in parallel acts once per case and step; every job returns the cases it acted on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from xinyong.accounts.models import User
from xinyong.accounts.notify import notify
from xinyong.audit import services as audit
from xinyong.audit.services import Actor
from xinyong.cases.workflow import StateMachine, Transition
from xinyong.catalog.models import Provider
from xinyong.core import clock


@dataclass(frozen=True)
class Job:
    """A periodic job acting on a case: ``name`` on the audit trail, ``label`` in the case history."""

    name: str  # e.g. "objection overdue"
    label: str  # e.g. "逾期督办任务"


#: Who takes a step: a person, a provider's system (API key), or a job.
Who = User | Provider | Job


class Case(Protocol):
    """What the kit needs of a case model: a primary key, a state, a subject code (and the events of
    its ``CaseEvent`` table, ``related_name="events"``)."""

    pk: Any
    state: Any
    subject_code: Any

    def save(self, *, update_fields: Iterable[str] | None = None) -> None: ...


C = TypeVar("C", bound=Case)


class CaseKit(Generic[C]):
    def __init__(
        self,
        model: type[C],
        machine: StateMachine,
        *,
        audit_prefix: str,
        object_type: str,
        object_id: Callable[[C], str | int],
        url_name: str,
        url_args: Callable[[C], Sequence[object]],
        audit_detail: Callable[[C], dict[str, object]] = lambda case: {},
        posts: Collection[str] = (),
    ) -> None:
        self.model = model
        self.machine = machine
        self.audit_prefix = audit_prefix  # audit actions are "<prefix>.<action>"
        self.object_type = object_type
        self.object_id = object_id
        self.url_name = url_name
        self.url_args = url_args
        self.audit_detail = audit_detail  # what every audit entry of the case carries
        self.posts = posts  # the centre posts (岗位) shown next to a clerk's name in the history

    def _objects(self) -> QuerySet[Any]:
        manager: models.Manager[Any] = self.model._default_manager  # type: ignore[attr-defined]
        return manager.all()

    # --- who ------------------------------------------------------------------------------------

    def actor_name(self, who: Who) -> str:
        """How ``who`` appears in the case history, which the subject reads."""
        if isinstance(who, User):
            return who.case_name(self.posts)
        if isinstance(who, Provider):
            return f"{who.name}（系统接口）"
        return who.label

    @staticmethod
    def audit_actor(who: Who) -> Actor:
        if isinstance(who, User):
            return Actor.of_user(who)
        if isinstance(who, Provider):
            return Actor.of_provider(who)
        return Actor.system(who.name)

    # --- a step ---------------------------------------------------------------------------------

    def link(self, case: C) -> str:
        """The case page, for notifications."""
        return reverse(self.url_name, args=list(self.url_args(case)))

    def claim(self, case: C, name: str, actor: User | None) -> Transition:
        """Inside the caller's transaction: ``case`` read again under a row lock (two clerks cannot take
        the same step twice; the caller's object is brought up to date in place) and transition
        ``name`` checked from its current state (409 from the wrong state, 403 for the wrong actor)."""
        case.refresh_from_db(from_queryset=self._objects().select_for_update(of=("self",)))  # type: ignore[attr-defined]
        return self.machine.check(case.state, name, actor)

    def move(
        self,
        case: C,
        step: Transition,
        *,
        actor: Who,
        note: str = "",
        fields: Iterable[str] = (),
        recorded_as: tuple[str, str] | None = None,
    ) -> None:
        """Take ``step`` on a claimed case: its state and ``fields`` saved, its history line written
        (as the step's name and label, or as ``recorded_as``: an (action, label) a workflow published
        before the kit existed)."""
        before = case.state
        case.state = step.target
        case.save(update_fields=["state", *fields])
        action, label = recorded_as or (step.name, step.label)
        self.event(case, action, label, actor=actor, before=before, note=note)

    def event(
        self, case: C, action: str, label: str, *, actor: Who, before: str | None = None, note: str = ""
    ) -> None:
        """A line in the case history; ``before`` defaults to the current state (a step outside the
        machine, such as an overdue flag, leaves the state as it was)."""
        case.events.create(  # type: ignore[attr-defined]
            subject_code=case.subject_code,
            at=clock.now(),
            actor=actor if isinstance(actor, User) else None,
            actor_name=self.actor_name(actor),
            action=action,
            label=label,
            from_state=case.state if before is None else before,
            to_state=case.state,
            note=note,
        )

    def audit(self, case: C, action: str, *, actor: Who, **detail: object) -> None:
        """The audit entry of a step, in the step's transaction: "<prefix>.<action>" on the case."""
        audit.record(
            actor=self.audit_actor(actor),
            action=f"{self.audit_prefix}.{action}",
            subject_code=case.subject_code,
            object_type=self.object_type,
            object_id=self.object_id(case),
            detail={**self.audit_detail(case), **detail},
        )

    def notify(
        self, recipients: Iterable[User], case: C, *, title: str, body: str = "", link: str = ""
    ) -> None:
        """Tell ``recipients`` (in-app now, by email on commit), linking to the case page unless
        ``link`` (a ``reverse()``d page the recipients may open instead) is given."""
        notify(recipients, title=title, body=body, link=link or self.link(case))

    # --- periodic jobs --------------------------------------------------------------------------

    def sweep(
        self,
        due: QuerySet[Any],
        *,
        still_due: Callable[[C], Q],
        mark: Callable[[C], dict[str, object] | None],
        act: Callable[[C], None],
    ) -> list[C]:
        """The one overdue-job shape. For each case of ``due``, in its own transaction: claim it with a
        conditional UPDATE (``still_due`` narrows the row to what made it due, ``mark`` is what the
        UPDATE writes; None: not due after all), then ``act`` (event, audit, notify). A case another
        run claimed first is skipped, so running twice, late or in parallel acts once. Returns the
        cases acted on now."""
        done: list[C] = []
        for case in due.iterator():
            values = mark(case)
            if values is None:
                continue
            with transaction.atomic():
                if self._objects().filter(still_due(case), pk=case.pk).update(**values) != 1:
                    continue
                for field, value in values.items():
                    setattr(case, field, value)
                act(case)
            done.append(case)
        return done
