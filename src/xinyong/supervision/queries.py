"""Reading risk warnings, interviews and the governance ledger: who sees what (docs/supervision.md).

Risk warnings are not public. Centre staff and government unit officers see every warning; a provider's
staff see the warnings in which their department has a record; the subject sees its own. The
governance ledger (严重失信主体治理台账) lists every subject ever placed on a serious-dishonesty list with its
interviews and status, one query with subqueries per column, paged in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.catalog.models import Provider
from xinyong.core import clock
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject
from xinyong.supervision.models import Interview, RiskWarning
from xinyong.supervision.risk import counted
from xinyong.supervision.rules import SERIOUS_LISTS


def visible_warnings(who: User | Provider) -> QuerySet[RiskWarning]:
    """The warnings ``who`` may read (none for anyone outside government and the centre)."""
    warnings = RiskWarning.objects.all()
    if isinstance(who, Provider):
        return warnings.filter(departments=who)
    if not allowed(who, Action.VIEW_RISK_WARNINGS):
        return warnings.none()
    if who.kind == User.Kind.PROVIDER:
        return warnings.filter(departments=who.provider)
    return warnings


def filtered(
    warnings: QuerySet[RiskWarning], *, department: str = "", state: str = ""
) -> QuerySet[RiskWarning]:
    """``department``: a provider's USCC (a department with a record in the warning); ``state``: a
    ``RiskWarning.State`` value. Unknown values match nothing rather than everything."""
    if department:
        warnings = warnings.filter(Exists(RiskWarning.departments.through.objects.filter(
            riskwarning_id=OuterRef("pk"), provider__code=department)))  # fmt: skip
    if state:
        warnings = warnings.filter(state=state)
    return warnings.order_by("-raised_at", "-pk")


def departments_with_warnings() -> QuerySet[Provider]:
    """The departments that have a record in some warning, for the filter's choices."""
    linked = RiskWarning.departments.through.objects.values("provider_id")
    return Provider.objects.filter(pk__in=linked).order_by("name")


class LedgerStatus:
    """Status of a subject in the governance ledger."""

    LISTED = "在册"
    INTERVIEWED = "已约谈"
    RECTIFIED = "已整改"
    EXITED = "已退出"


LEDGER_STATUSES = (LedgerStatus.LISTED, LedgerStatus.INTERVIEWED, LedgerStatus.RECTIFIED, LedgerStatus.EXITED)
STATUS_FILTERS = {
    LedgerStatus.EXITED: Q(lists_in_force=0),
    LedgerStatus.RECTIFIED: Q(lists_in_force__gt=0, rectified__gt=0),
    LedgerStatus.INTERVIEWED: Q(lists_in_force__gt=0, rectified=0, interviews__gt=0),
    LedgerStatus.LISTED: Q(lists_in_force__gt=0, interviews=0),
}


@dataclass(frozen=True)
class LedgerRow:
    subject_code: str
    subject_name: str
    lists_in_force: int
    entries: int
    interviews: int
    rectified: int
    last_interview: dt.date | None
    status: str
    own_entry: int | None = None  # the viewer's department's entry in force, to interview on


def ledger(
    status: str = "", *, department: Provider | None = None, at: dt.datetime | None = None
) -> QuerySet[Subject, dict[str, Any]]:
    """Every subject ever on a serious-dishonesty list (narrowed to ``status``, one of ``LEDGER_STATUSES``)
    with its entries in force, entries, interviews, rectified interviews and last interview, most entries
    in force first. The status follows from those (``ledger_row``): 已退出 when no entry is in force
    (removed, repaired, revoked), else 已整改 / 已约谈 / 在册. One query, filtered and paged in the database."""
    at = at or clock.now()
    rule = SERIOUS_LISTS.on(clock.local_date(at)).value
    ever = CreditRecord.objects.filter(kind_code=rule.kind, hold="")
    in_force = counted(rule, at=at)

    def count(rows: QuerySet[Any]) -> Coalesce:
        per_subject = rows.filter(subject_id=OuterRef("pk")).values("subject_id").annotate(n=Count("pk"))
        return Coalesce(Subquery(per_subject.values("n")[:1]), 0)

    interviews = Interview.objects.all()
    rows = (
        Subject.objects.filter(pk__in=ever.values("subject_id"))
        .annotate(
            lists_in_force=count(in_force),
            entries=count(ever),
            interviews=count(interviews),
            rectified=count(interviews.filter(state=Interview.State.RECTIFIED)),
            last_interview=Subquery(
                interviews.filter(subject_id=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
            ),
            # The entry in force ``department`` decided, if any: it may interview on it ("谁认定、谁约谈").
            own_entry=Subquery(
                in_force.filter(subject_id=OuterRef("pk"), provider=department)
                .order_by("-decision_date")
                .values("pk")[:1]
            ),
        )
        .filter(STATUS_FILTERS.get(status, Q()))
        .order_by("-lists_in_force", "code")
    )
    return rows.values(
        "code", "name", "lists_in_force", "entries", "interviews", "rectified", "last_interview", "own_entry"
    )


def ledger_row(values: dict[str, Any]) -> LedgerRow:
    """A row of ``ledger()`` with its status."""
    in_force, rectified, held = values["lists_in_force"], values["rectified"], values["interviews"]
    if in_force == 0:
        status = LedgerStatus.EXITED
    elif rectified:
        status = LedgerStatus.RECTIFIED
    elif held:
        status = LedgerStatus.INTERVIEWED
    else:
        status = LedgerStatus.LISTED
    return LedgerRow(
        values["code"],
        values["name"],
        in_force,
        values["entries"],
        held,
        rectified,
        values["last_interview"],
        status,
        values.get("own_entry"),
    )


def interviews_visible(who: User | Provider) -> QuerySet[Interview]:
    """Interviews ``who`` may read: like warnings, a provider's staff only their department's."""
    interviews = Interview.objects.select_related("department", "warning")
    if isinstance(who, Provider):
        return interviews.filter(department=who)
    if not allowed(who, Action.VIEW_RISK_WARNINGS):
        return interviews.none()
    if who.kind == User.Kind.PROVIDER:
        return interviews.filter(Q(department=who.provider) | Q(warning__departments=who.provider)).distinct()
    return interviews
