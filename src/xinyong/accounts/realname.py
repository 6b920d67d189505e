"""Real-name verification (实名核验) of subject accounts, behind a pluggable interface.

Binding an account to a subject lets it read that subject's non-public information, act for it in
objections and repairs and authorise others: the verifier must prove that the person at the keyboard
*is* the subject (a person) or acts for it (a company's legal representative, or an agent the company
authorised). Anything printed on the subject's public page proves nothing.

- :class:`LocalRegisterVerifier` (development, the default): the claim must match the platform's own
  register: code, name and legal representative, all public. Any account can bind to any company with
  it, so ``xinyong check --deploy`` fails (``accounts.E001``) while it is configured and DEBUG is off.
- :class:`GovernmentVerifier` (production): accepts a claim only when a government identity service
  (:class:`IdentityService`) vouches for the person behind a one-time ticket the browser brings back
  from that service's own check. The service is named in ``XINYONG_IDENTITY_SERVICE``; docs/security.md
  lists what it must check. :class:`RecordedIdentityService` is its test double.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from xinyong.subjects.codes import normalise, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject


@dataclass(frozen=True)
class IdentityClaim:
    """Who the user says they are: a person (name + resident ID) or a company's representative
    (company USCC + company name + the representative's name), and for a production verifier the
    ticket of the identity service's check (``evidence``)."""

    code: str
    name: str
    representative: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Verification:
    ok: bool
    code: str  # the subject code the account is bound to, normalised
    reason: str  # Chinese, shown to the user


class IdentityVerifier(Protocol):
    label: str  # shown on screen and stored with the verification
    is_development: bool

    def verify(self, claim: IdentityClaim) -> Verification: ...


class LocalRegisterVerifier:
    """Development only: the claim must match a subject already in this platform's register."""

    label = "开发环境本地登记核对（未连接实名认证服务）"
    is_development = True

    def verify(self, claim: IdentityClaim) -> Verification:
        code = normalise(claim.code)
        is_person = len(code) == 18 and resident_id_problem(code) is None
        if not is_person and uscc_problem(code) is not None:
            return Verification(False, code, "统一社会信用代码或居民身份证号码无效。")
        subject = Subject.objects.filter(code=code).first()
        if subject is None:
            return Verification(False, code, "本地登记中没有该主体。")
        if subject.name != claim.name.strip():
            return Verification(False, code, "名称与登记不一致。")
        if not is_person and subject.legal_representative != claim.representative.strip():
            return Verification(False, code, "法定代表人与登记不一致。")
        return Verification(True, code, "已核对本地登记信息。")


class Method:
    """How a government identity service verified the person (the values it reports)."""

    BUSINESS_LICENCE = (
        "电子营业执照"  # the company's electronic licence, scanned by its holder in the official app
    )
    REPRESENTATIVE_FACE = "法定代表人人脸核验"  # face and ID of the registered legal representative
    PERSON_FACE = "本人人脸核验"  # a natural person's own face and ID (公安 identity check)


@dataclass(frozen=True)
class VouchedIdentity:
    """What a government identity service vouches for after its own check. Nothing here comes from
    the user's form: the service reports it for the ticket."""

    method: str  # a :class:`Method` value
    subject_code: str  # the USCC of the licence / of the represented company, or the person's resident ID
    subject_name: str
    person_name: str  # the person who passed the check
    person_id_number: str  # their resident ID number
    acts_as: str  # "法定代表人", "经办人" (an agent the licence holder authorised in the app) or "本人"
    reference: str  # the service's reference for this check, kept in the audit trail


class IdentityService(Protocol):
    """A government identity service (e.g. the 电子营业执照 system of market regulation, or the face
    check of the government service platform 政务服务平台). ``redeem`` answers for a ticket once."""

    label: str

    def redeem(self, ticket: str) -> VouchedIdentity | None:
        """The identity checked for this one-time ticket, or None if it is unknown, expired or used."""
        ...


#: Who may bind an account to a subject, by how the service checked them.
_MAY_ACT = {
    Method.BUSINESS_LICENCE: {"法定代表人", "经办人"},
    Method.REPRESENTATIVE_FACE: {"法定代表人"},
    Method.PERSON_FACE: {"本人"},
}


class GovernmentVerifier:
    """Production: the claim is accepted only if the identity service vouches, for the ticket the user
    brings, that the checked person is the claimed person, or acts for the claimed company."""

    is_development = False

    def __init__(self, service: IdentityService | None = None) -> None:
        self.service = service or import_string(settings.XINYONG_IDENTITY_SERVICE)()
        self.label = f"{self.service.label}核验"

    def verify(self, claim: IdentityClaim) -> Verification:
        code = normalise(claim.code)
        if not claim.evidence.strip():
            return Verification(False, code, "请先通过电子营业执照或人脸核验完成身份核验。")
        vouched = self.service.redeem(claim.evidence.strip())
        if vouched is None:
            return Verification(False, code, "核验凭证无效、已过期或已使用，请重新核验。")
        if normalise(vouched.subject_code) != code:
            return Verification(False, code, "核验结果与所填统一社会信用代码或身份证号码不一致。")
        if vouched.acts_as not in _MAY_ACT.get(vouched.method, set()):
            return Verification(False, code, "核验方式不能证明您有权代表该主体。")
        if vouched.method == Method.PERSON_FACE and normalise(vouched.person_id_number) != code:
            return Verification(False, code, "核验结果与所填身份证号码不一致。")
        return Verification(True, code, f"已通过{vouched.method}核验（{vouched.reference}）。")


class RecordedIdentityService:
    """The test double of :class:`IdentityService`: it vouches only for tickets recorded in this
    process with :meth:`record` (by tests or a rehearsal script), each once. Configured in a deployment
    it verifies no one, so it cannot be used to borrow an identity."""

    label = "模拟身份核验服务"
    _tickets: dict[str, VouchedIdentity] = {}

    @classmethod
    def record(cls, ticket: str, identity: VouchedIdentity) -> None:
        cls._tickets[ticket] = identity

    def redeem(self, ticket: str) -> VouchedIdentity | None:
        return self._tickets.pop(ticket, None)


@cache
def verifier() -> IdentityVerifier:
    cls = import_string(settings.XINYONG_IDENTITY_VERIFIER)
    instance: IdentityVerifier = cls()
    return instance
