"""May this subject use 告知承诺? (rule commitments.notification_bar)

A subject with a false or broken commitment — a 违反信用承诺 record, whether created by this workflow or
reported by a provider — may not use 告知承诺 until that record is repaired (or revoked on objection).
This is a decision read of the subject's own records by kind, not a display: nothing is shown beyond
the answer, its reason and rule, and the blocking commitments' numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider
from xinyong.commitments import errors
from xinyong.commitments.models import Commitment
from xinyong.commitments.rules import NOTIFICATION_BAR
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, Overlay, RecordVersion
from xinyong.subjects.codes import normalise, resident_id_problem, uscc_problem


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: str
    rule: str  # id@version of commitments.notification_bar
    blocking: list[str] = field(default_factory=list)  # 承诺书编号 (or 认定文书号) of each blocking breach


def may_use_notification_commitment(subject_code: str, on: dt.date) -> Answer:
    """The answer for ``subject_code`` as of the end of ``on`` (China time)."""
    bar = NOTIFICATION_BAR.on(on)
    breaches = CreditRecord.objects.filter(
        subject_code=subject_code, kind_code=bar.value.breach_kind, decision_date__lte=on
    ).filter(
        hold=CreditRecord.Hold.NONE
    )  # a record held for a code check (重错码待核) may not be the subject's: it bars nothing
    if bar.value.ends_with_publication:
        breaches = breaches.filter(Q(publish_until__isnull=True) | Q(publish_until__gte=on))
    end_of_day = clock.start_of_day(on + dt.timedelta(days=1))
    lifted = Overlay.objects.filter(
        subject_code=subject_code, kind__in=bar.value.lifted_by, starts_at__lt=end_of_day
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gte=end_of_day))
    blocking = list(breaches.exclude(pk__in=lifted.values("record_id")).order_by("decision_date", "pk"))
    if not blocking:
        return Answer(True, "未发现未修复的违反信用承诺记录，可以适用告知承诺。", bar.ref)
    numbers = _numbers(subject_code, blocking)
    return Answer(
        False,
        f"存在未修复的违反信用承诺记录（{'、'.join(numbers)}），在信用修复前不适用告知承诺。",
        bar.ref,
        numbers,
    )


def _numbers(subject_code: str, records: list[CreditRecord]) -> list[str]:
    """The commitment number of each record: the workflow's own link, else the 承诺书编号 the provider
    reported (wfcn_cnbh), else the record's 认定文书号."""
    ids = [r.pk for r in records]
    linked = dict(
        Commitment.objects.filter(subject_code=subject_code, breach_record_id__in=ids).values_list(
            "breach_record_id", "number"
        )
    )
    reported = {
        v.record_id: v.data.get("wfcn_cnbh", "")
        for v in RecordVersion.objects.filter(subject_code=subject_code, record_id__in=ids).order_by(
            "version"
        )
    }  # the latest version wins
    return [linked.get(r.pk) or reported.get(r.pk) or f"认定文书号 {r.key}" for r in records]


PURPOSE = "告知承诺适用核验"


def check_for(actor: User | Provider, subject_code: str) -> Answer:
    """A unit or provider asks about a subject today: answered and recorded on the audit trail as a
    query with its purpose (the answer's fingerprint included)."""
    if not allowed(actor, Action.CHECK_NOTIFICATION_COMMITMENT):
        raise PlatformError(errors.NOT_ALLOWED)
    code = normalise(subject_code)
    if uscc_problem(code) is not None and resident_id_problem(code) is not None:
        raise PlatformError(
            errors.SUBJECT_CODE_INVALID,
            field="subject",
            code=code,
            expected="统一社会信用代码或居民身份证号码",
        )
    answer = may_use_notification_commitment(code, clock.today())
    who = Actor.of_provider(actor) if isinstance(actor, Provider) else Actor.of_user(actor)
    record(actor=who, action="commitments.eligibility", subject_code=code, purpose=PURPOSE,
           object_type="subject", object_id=code, result=asdict(answer),
           detail={"allowed": answer.allowed, "rule": answer.rule, "blocking": answer.blocking})  # fmt: skip
    return answer
