"""Real-name verification (实名核验) of subject accounts, behind a pluggable interface.

Production plugs in the province's identity service (公安人口库 / 市场监管登记 / 电子营业执照) by
naming a class in ``XINYONG_IDENTITY_VERIFIER``. The development backend checks the platform's own
register of subjects and says so on screen: it proves nothing about who is at the keyboard.
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
    (company USCC + company name + the representative's name)."""

    code: str
    name: str
    representative: str = ""


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


@cache
def verifier() -> IdentityVerifier:
    cls = import_string(settings.XINYONG_IDENTITY_VERIFIER)
    instance: IdentityVerifier = cls()
    return instance
