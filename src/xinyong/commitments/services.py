"""State changes of commitments (信用承诺): record, fulfil, breach, flag overdue. Each is one
transaction with its audit entry and event; the subject's accounts are told (docs/architecture.md, principle 2).

Actors are the accepting party's people or systems: a unit officer, a provider's staff, or a provider
system calling the API with its key (``Provider``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from xinyong.accounts.models import Unit, User
from xinyong.accounts.notify import accounts_of_provider, accounts_of_subject
from xinyong.accounts.permissions import Action, allowed
from xinyong.cases.workflow import Transition
from xinyong.catalog.models import Domain, Provider
from xinyong.commitments import errors, intake
from xinyong.commitments.machine import KIT, OVERDUE_JOB
from xinyong.commitments.models import Commitment
from xinyong.commitments.rules import BREACH_RECORD, TYPES, DeadlineNeed
from xinyong.commitments.rules import CommitmentType as TypeEntry
from xinyong.core import case_numbers, clock, rulebook
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.subjects.codes import normalise, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject

ActorLike = User | Provider


@dataclass(frozen=True)
class CommitmentType:
    """One entry of rule commitments.types: a type, or a type's subtype."""

    type: str
    subtype: str
    name: str  # the catalogue's code-list value, e.g. 审批替代型-告知承诺
    deadline_required: bool


def commitment_types(on: dt.date) -> tuple[rulebook.Rule[list[TypeEntry]], dict[str, CommitmentType]]:
    """The types in force on ``on``, keyed "type" or "type/subtype" (the forms' and API's spelling)."""
    rule = TYPES.on(on)
    found: dict[str, CommitmentType] = {}
    for entry in rule.value:
        for sub in entry.subtypes:
            found[f"{entry.code}/{sub.code}"] = CommitmentType(
                entry.code, sub.code, sub.codelist, sub.deadline is DeadlineNeed.REQUIRED
            )
        if not entry.subtypes:
            found[entry.code] = CommitmentType(
                entry.code, "", entry.codelist, entry.deadline is DeadlineNeed.REQUIRED
            )
    return rule, found


def party_of(actor: ActorLike) -> tuple[Unit | None, Provider | None]:
    """The accepting party an actor acts for; refuses anyone who is not an accepting unit's."""
    if not allowed(actor, Action.RECORD_COMMITMENTS):
        raise PlatformError(errors.NOT_ALLOWED)
    if isinstance(actor, Provider):
        return None, actor
    return (actor.unit, None) if actor.kind == User.Kind.UNIT else (None, actor.provider)


def check_subject_code(code: str, kind: str) -> str:
    code = normalise(code)
    if kind == Subject.Kind.PERSON:
        if resident_id_problem(code) is not None:
            raise PlatformError(
                errors.SUBJECT_CODE_INVALID, field="subject_code", code=code, expected="居民身份证号码"
            )
    elif uscc_problem(code) is not None:
        raise PlatformError(
            errors.SUBJECT_CODE_INVALID, field="subject_code", code=code, expected="统一社会信用代码"
        )
    return code


def registered_subject(code: str, kind: str, name: str) -> Subject:
    """The subject as the registry knows it: a unit records commitments only about registered subjects,
    under their registered name and kind (a commitment must not create a subject, or name one wrongly)."""
    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        raise PlatformError(errors.SUBJECT_UNKNOWN, field="subject_code", code=code)
    if subject.kind != kind:
        raise PlatformError(
            errors.SUBJECT_MISMATCH, field="subject_kind", what="主体类别", given=Subject.Kind(kind).label,
            registered=subject.get_kind_display(),
        )  # fmt: skip
    if name.strip() and name.strip() != subject.name:
        raise PlatformError(
            errors.SUBJECT_MISMATCH, field="subject_name", what="主体名称", given=name.strip(),
            registered=subject.name,
        )  # fmt: skip
    return subject


def _mine() -> str:
    """The subject's list of its commitments: the page a subject's notification links to."""
    return reverse("commitments:mine")


def _commitment_row(c: Commitment, status: str) -> dict[str, Any]:
    row = intake.subject_fields(
        "xycn", c.subject_kind, c.subject_code, c.subject_name, c.legal_representative
    )
    party = c.unit or c.provider
    assert party is not None
    return row | {
        "xycn_cnbh": c.number, "xycn_cnlx": c.type_name, "xycn_cnsx": c.matter, "xycn_nr": c.content,
        "xycn_cnrq": c.made_on.isoformat(), "xycn_jnqx": c.deadline.isoformat() if c.deadline else "",
        "xycn_jnqk": status, "xycn_sljg": party.name, "xycn_sljgdm": party.code,
        "xycn_sjly": c.intake_provider.name, "xycn_sjlydm": c.intake_provider.code, "领域": c.domain.code,
    }  # fmt: skip


def record_commitment(
    *,
    actor: ActorLike,
    subject_code: str,
    subject_name: str,
    subject_kind: str,
    type: str,
    matter: str,
    content: str,
    made_on: dt.date,
    deadline: dt.date | None = None,
    legal_representative: str = "",
    domain: Domain | None = None,
) -> Commitment:
    """记录信用承诺: the accepting unit records a commitment ``type`` ("type" or "type/subtype" of rule
    commitments.types). The commitment enters the credit record as a 信用承诺 record."""
    unit, provider = party_of(actor)
    today = clock.today()
    if subject_kind not in Subject.Kind.values:
        raise PlatformError(
            errors.TYPE_UNKNOWN, field="subject_kind", type=subject_kind, rule="subjects.Subject.Kind"
        )
    code = check_subject_code(subject_code, subject_kind)
    subject = registered_subject(code, subject_kind, subject_name)
    for field, value, name in (("matter", matter, "承诺事项"), ("content", content, "承诺内容")):
        if not value.strip():
            raise PlatformError(errors.FIELD_REQUIRED, field=field, name=name)
    legal_representative = legal_representative.strip()
    if subject_kind != Subject.Kind.PERSON and not legal_representative:
        raise PlatformError(errors.LEGAL_REPRESENTATIVE_REQUIRED, field="legal_representative")
    # The date is the caller's input: check it before it selects a rule version (none before 2019).
    if made_on > today:
        raise PlatformError(
            errors.DATE_INVALID, field="made_on", detail=f"承诺日期 {made_on} 晚于今天 {today}"
        )
    if TYPES.on_or_none(made_on) is None:
        raise PlatformError(
            errors.DATE_INVALID,
            field="made_on",
            detail=f"承诺日期 {made_on} 早于规则 {TYPES.id} 的施行日期",
        )
    types_rule, types = commitment_types(made_on)
    kind = types.get(type)
    if kind is None:
        raise PlatformError(errors.TYPE_UNKNOWN, field="type", type=type, rule=types_rule.citation)
    if kind.deadline_required and deadline is None:
        raise PlatformError(
            errors.DEADLINE_REQUIRED, field="deadline", type=kind.name, rule=types_rule.citation
        )
    if deadline is not None and deadline < made_on:
        raise PlatformError(
            errors.DATE_INVALID, field="deadline", detail=f"践诺期限 {deadline} 早于承诺日期 {made_on}"
        )
    domains = intake.domains_of(unit, provider)
    if domain is None and domains:
        domain = domains[0]
    if domain is None or domain not in domains:
        raise PlatformError(errors.NO_DOMAIN, field="domain", detail=f"（{domain}）" if domain else "")
    breach_kind = BREACH_RECORD.on(today).value.kind
    with transaction.atomic():
        c = Commitment.objects.create(
            subject_code=code, subject_name=subject.name, subject_kind=subject_kind,
            legal_representative=legal_representative, type=kind.type, subtype=kind.subtype,
            type_name=kind.name, types_rule=types_rule.ref, matter=matter.strip(), content=content.strip(),
            made_on=made_on, deadline=deadline, unit=unit, provider=provider, domain=domain,
            intake_provider=intake.intake_provider(unit, provider, domain, breach_kind),
            recorded_by=actor if isinstance(actor, User) else None, recorded_by_name=KIT.actor_name(actor),
            recorded_at=clock.now(),
        )  # fmt: skip
        c.number = case_numbers.number(case_numbers.COMMITMENT, made_on, c.pk)
        c.record = intake.submit(c.intake_provider, intake.COMMITMENT_KIND, _commitment_row(c, "履约中"))
        c.save(update_fields=["number", "record"])
        KIT.event(c, "record_commitment", "记录信用承诺", actor=actor, before="")
        # The basis on which the party recorded about this subject: who it acts as, in which duty domain,
        # and the registered subject it named (known limit: any registered subject, docs/commitments.md).
        party = unit or provider
        assert party is not None
        basis = {
            "party": party.code,
            "party_name": party.name,
            "domain": domain.code,
            "subject_name": subject.name,
            "matter": c.matter,
        }
        KIT.audit(c, "record", actor=actor, type=c.type_name, deadline=deadline, record=c.record.pk,
                  rule=types_rule.ref, basis=basis)  # fmt: skip
        KIT.notify(accounts_of_subject(code), c, title=f"信用承诺已记录：{c.matter}",
                   body=f"{c.accepted_by}已记录您的{c.type_name}承诺（{c.number}）"
                        + (f"，践诺期限 {deadline}。" if deadline else "。"), link=_mine())  # fmt: skip
    return c


def _claim(c: Commitment, transition: str, actor: ActorLike) -> Transition:
    """The commitment, locked, after checking the actor's party accepted it and the step is allowed
    (a provider's system is checked as the accepting party, not by a person's permissions)."""
    unit, provider = party_of(actor)
    if (unit is not None and c.unit_id != unit.pk) or (provider is not None and c.provider_id != provider.pk):
        raise PlatformError(NOT_FOUND)  # another unit's commitment: as if it did not exist
    return KIT.claim(c, transition, actor if isinstance(actor, User) else None)


def record_fulfilment(commitment: Commitment, *, actor: ActorLike, note: str = "") -> Commitment:
    """记录已践诺: the accepting unit confirms the commitment was kept; the 信用承诺 record gets a new
    version with 践诺情况 filled in."""
    with transaction.atomic():
        c = commitment
        step = _claim(c, "record_fulfilment", actor)
        c.closed_on = clock.today()
        c.outcome_note = note.strip()
        KIT.move(c, step, actor=actor, note=c.outcome_note, fields=["closed_on", "outcome_note"])
        intake.submit(c.intake_provider, intake.COMMITMENT_KIND,
                      _commitment_row(c, f"已践诺（{c.closed_on}）{c.outcome_note}".strip()))  # fmt: skip
        KIT.audit(c, "fulfilment", actor=actor, note=c.outcome_note)
        KIT.notify(accounts_of_subject(c.subject_code), c, title=f"信用承诺已践诺：{c.matter}",
                   body=f"{c.accepted_by}确认您已履行承诺（{c.number}）。", link=_mine())  # fmt: skip
    return c


def record_breach(
    commitment: Commitment,
    *,
    actor: ActorLike,
    outcome: Literal["broken", "false"],
    reasons: str,
    document_no: str,
) -> Commitment:
    """认定未践诺 / 虚假承诺: the accepting unit determines, by the document ``document_no``, that the
    commitment was broken or false. This automatically creates the 违反信用承诺 dishonesty record
    (rule commitments.breach_record), which bars 告知承诺 until repaired (eligibility)."""
    transition = {"broken": "record_broken", "false": "record_false"}[outcome]
    reasons, document_no = reasons.strip(), document_no.strip()
    if not reasons:
        raise PlatformError(errors.FIELD_REQUIRED, field="reasons", name="违诺情形")
    if not document_no:
        raise PlatformError(errors.FIELD_REQUIRED, field="document_no", name="认定文书号")
    today = clock.today()
    breach = BREACH_RECORD.on(today)
    with transaction.atomic():
        c = commitment
        step = _claim(c, transition, actor)
        if _document_number_used(c.intake_provider, document_no):
            raise PlatformError(errors.DOCUMENT_NUMBER_USED, field="document_no", number=document_no)
        c.closed_on = today
        c.outcome_note = reasons
        c.breach_document_no = document_no
        c.breach_rule = breach.ref
        _claim_document_number(c, step, actor)
        party = c.unit or c.provider
        assert party is not None
        row = intake.subject_fields(
            "wfcn", c.subject_kind, c.subject_code, c.subject_name, c.legal_representative
        )
        row |= {
            "wfcn_wh": document_no, "wfcn_cnlx": c.type_name, "wfcn_cnbh": c.number, "wfcn_cnsx": c.matter,
            "wfcn_cnrq": c.made_on.isoformat(), "wfcn_wnqx": f"{c.get_state_display()}：{reasons}",
            "wfcn_rdrq": today.isoformat(), "wfcn_rdjg": party.name, "wfcn_rdjgdm": party.code,
            "wfcn_yzcd": getattr(breach.value.severity, outcome), "wfcn_sjly": c.intake_provider.name,
            "wfcn_sjlydm": c.intake_provider.code, "领域": c.domain.code,
        }  # fmt: skip
        c.breach_record = intake.submit(c.intake_provider, breach.value.kind, row)
        c.save(update_fields=["breach_record"])
        intake.submit(c.intake_provider, intake.COMMITMENT_KIND,
                      _commitment_row(c, f"{c.get_state_display()}（{today}）"))  # fmt: skip
        KIT.audit(c, outcome, actor=actor, document_no=document_no, reasons=reasons,
                  breach_record=c.breach_record.pk, rule=breach.ref)  # fmt: skip
        KIT.notify(accounts_of_subject(c.subject_code), c,
                   title=f"信用承诺被认定为{c.get_state_display()}：{c.matter}",
                   body=f"{c.accepted_by}认定您的承诺（{c.number}）{c.get_state_display()}：{reasons}。"
                        "已形成违反信用承诺失信记录；修复前不适用告知承诺。", link=_mine())  # fmt: skip
    return c


def _document_number_used(provider: Provider, document_no: str) -> bool:
    return Commitment.objects.filter(intake_provider=provider, breach_document_no=document_no).exists()


def _claim_document_number(c: Commitment, step: Transition, actor: ActorLike) -> None:
    """Take the breach step with its document number before its record goes to intake. The check before
    this sees only committed breaches: two given the same number at once both pass it, and the unique
    constraint (commitments_commitment_document_unique) decides; the loser gets the same 409, and its
    transaction, which wrote nothing else yet, rolls back whole."""
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError must not poison the outer transaction
            KIT.move(c, step, actor=actor, note=c.outcome_note,
                     fields=["closed_on", "outcome_note", "breach_document_no", "breach_rule"])  # fmt: skip
    except IntegrityError:
        raise PlatformError(
            errors.DOCUMENT_NUMBER_USED, field="document_no", number=c.breach_document_no
        ) from None


def _recipients(c: Commitment) -> list[User]:
    if c.unit is not None:
        return list(User.objects.filter(unit=c.unit, kind=User.Kind.UNIT, is_active=True))
    assert c.provider is not None
    return list(accounts_of_provider(c.provider))


def flag_overdue_commitments(today: dt.date | None = None) -> list[Commitment]:
    """逾期提示: pending commitments past their deadline, each flagged once (``CaseKit.sweep``, so a
    second or late run flags nothing twice) and put before the accepting unit. Being overdue does not
    decide the outcome: the unit records fulfilment or breach."""
    today = today or clock.today()

    def flag(c: Commitment) -> None:
        KIT.event(c, "flag_overdue", "逾期未践诺提示", actor=OVERDUE_JOB, note=f"践诺期限 {c.deadline}")
        KIT.audit(c, "overdue", actor=OVERDUE_JOB, deadline=c.deadline)
        KIT.notify(_recipients(c), c, title=f"信用承诺逾期未践诺：{c.subject_name}",
                   body=f"承诺（{c.number}，{c.matter}）践诺期限 {c.deadline} 已过，请核实并记录践诺或违诺。")  # fmt: skip

    pending = Q(state=Commitment.State.PENDING, overdue_flagged_at__isnull=True)
    return KIT.sweep(
        Commitment.objects.filter(pending, deadline__lt=today)
        .select_related("unit", "provider")
        .order_by("pk"),
        still_due=lambda c: pending,
        mark=lambda c: {"overdue_flagged_at": clock.now()},
        act=flag,
    )
