"""State changes of joint rewards and punishments: a counter check (嵌入式核查) and the officer's feedback
(奖惩反馈). Each is one transaction with its audit entry (docs/architecture.md, principle 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from xinyong.accounts import errors as account_errors
from xinyong.accounts.models import Unit, User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import decide
from xinyong.measures import errors
from xinyong.measures.evaluation import applicable, is_person_code
from xinyong.measures.models import Check, Feedback, Scenario
from xinyong.subjects.codes import normalise, uscc_problem
from xinyong.subjects.models import Subject


def scenario_of(code: str) -> Scenario:
    found = Scenario.objects.filter(code=code).first()
    if found is None:
        raise PlatformError(errors.SCENARIO_UNKNOWN, field="scenario", scenario=code)
    return found


def officer_of(user: User) -> User:
    """The unit officer running a check: unit accounts only (centre staff look through the statistics)."""
    if not allowed(user, Action.RUN_CHECKS) or user.unit is None:
        raise PlatformError(errors.NOT_ALLOWED)
    return user


def unit_of(officer: User) -> Unit:
    assert officer.unit is not None  # officer_of made sure
    return officer.unit


def valid_code(value: str) -> str:
    code = normalise(value)
    if uscc_problem(code) is not None and not is_person_code(code):
        raise PlatformError(errors.SUBJECT_CODE_INVALID, field="code", code=code[:40])
    return code


def check_subject(user: User, code: str, scenario_code: str, purpose_code: str) -> Check:
    """Which measures of the scenario apply to the subject now: answered, kept and put on the audit
    trail as a query of the subject's information for the stated legal purpose (it shows in the
    subject's "who looked")."""
    officer = officer_of(user)
    code = valid_code(code)
    scenario = scenario_of(scenario_code)
    at = clock.now()
    if not purpose_code:
        raise PlatformError(account_errors.QUERY_PURPOSE_REQUIRED, field="purpose")
    purpose = decide(officer, code, purpose_code, at).purpose  # refuses a purpose the unit lacks
    on = clock.local_date(at)
    subject = Subject.objects.filter(code=code).first()
    applied = applicable([code], scenario, on).get(code, [])
    result: dict[str, Any] = {
        "found": subject is not None,
        "checked_on": on.isoformat(),
        "measures": [a.as_dict() for a in applied],
    }
    with transaction.atomic():
        check = Check.objects.create(
            unit=unit_of(officer), officer=officer, subject_code=code, subject_name=subject.name if subject else "",
            scenario=scenario, purpose=purpose, at=at, result=result, measure_count=len(applied),
        )  # fmt: skip
        record(
            actor=Actor.of_user(officer), action="measures.check", subject_code=code, purpose=purpose,
            object_type="check", object_id=check.pk, result=result,
            detail={"scenario": scenario.code, "measures": [a.ref for a in applied]},
        )  # fmt: skip
    return check


def give_feedback(user: User, check: Check, *, measure: str, applied: bool, reason: str = "") -> Feedback:
    """The officer says whether a measure of their check was applied (and if not, why)."""
    officer = officer_of(user)
    if check.unit_id != officer.unit_id:
        raise PlatformError(errors.NOT_ALLOWED)
    answered = check.measure(measure)
    if answered is None:
        raise PlatformError(errors.MEASURE_NOT_IN_CHECK, field="measure", measure=measure)
    reason = reason.strip()
    if not applied and not reason:
        raise PlatformError(errors.REASON_REQUIRED, field="reason")
    at = clock.now()
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                check_run=check, subject_code=check.subject_code, unit_id=check.unit_id,
                scenario_id=check.scenario_id, measure_ref=measure, direction=answered["direction"],
                applied=applied, reason="" if applied else reason, actor=officer, at=at,
            )  # fmt: skip
            record(
                actor=Actor.of_user(officer), action="measures.feedback", subject_code=check.subject_code,
                object_type="check", object_id=check.pk,
                detail={"measure": measure, "applied": applied, "reason": feedback.reason},
            )  # fmt: skip
    except IntegrityError:
        raise PlatformError(errors.FEEDBACK_GIVEN, field="measure", measure=measure) from None
    return feedback


def checks_of(user: User, since: dt.date | None = None) -> Any:
    """The checks of the officer's unit, newest first."""
    found = Check.objects.filter(unit=officer_of(user).unit).select_related("scenario")
    if since is not None:
        found = found.filter(at__gte=clock.start_of_day(since))
    return found.order_by("-at", "-pk")
