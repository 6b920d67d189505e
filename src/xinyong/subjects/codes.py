"""Identification codes: the USCC (统一社会信用代码, GB 32100-2015) with its embedded organisation code
(组织机构代码, GB 11714), and the resident ID number (居民身份证号码, GB 11643).

python-stdnum's ``cn.uscc`` misses the embedded GB 11714 check and rejects some real prefixes, so the
checks are ours. Each function separates *format* problems (wrong length or characters: the value is
not a code at all) from *check* failures (a well-formed code whose check character is wrong: real issued
codes occasionally are, and such records are held as 重错码 rather than dropped).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_FORMAT = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_FORMAT = re.compile(r"[0-9A-Z]{8}[0-9X]")

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
_RIC_FORMAT = re.compile(r"\d{17}[\dX]")

#: Sent for an individual business that has no USCC; the registration number is then required.
NO_USCC_PLACEHOLDER = "00000000000000000X"


class CodeProblem(StrEnum):
    FORMAT = "format"
    CHECK = "check"  # the code's own check character
    ORG_CHECK = "org_check"  # the embedded GB 11714 organisation code's check character
    BIRTH_DATE = "birth_date"


_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＸＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＹ", "0123456789XABCDEFGHJKLMNPQRTUWY"
)


def normalise(code: str) -> str:
    """Upper-case and strip the blanks and full-width characters departments' exports carry."""
    return code.translate(_FULL_WIDTH).strip().replace(" ", "").upper()


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@lru_cache(maxsize=4096)  # authority codes repeat on every row of an import
def uscc_problem(code: str) -> CodeProblem | None:
    """None if ``code`` is a valid USCC, else what is wrong with it. ``code`` must be normalised."""
    if not _USCC_FORMAT.fullmatch(code):
        return CodeProblem.FORMAT
    if uscc_check_char(code[:17]) != code[17]:
        return CodeProblem.CHECK
    org = code[8:17]
    # Characters 9–17 follow GB 11714 only where they are an organisation code; registration
    # authorities using the charset's letters beyond GB 11714's (e.g. "Y") are left unchecked.
    if _ORG_FORMAT.fullmatch(org) and org_code_check_char(org[:8]) != org[8]:
        return CodeProblem.ORG_CHECK
    return None


def resident_id_check_char(first17: str) -> str:
    return _RIC_CHECK[sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS, strict=True)) % 11]


def resident_id_problem(code: str) -> CodeProblem | None:
    """None if ``code`` is a valid 18-digit resident ID number, else what is wrong."""
    if not _RIC_FORMAT.fullmatch(code):
        return CodeProblem.FORMAT
    try:
        dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return CodeProblem.BIRTH_DATE
    if resident_id_check_char(code[:17]) != code[17]:
        return CodeProblem.CHECK
    return None


def mask_resident_id(code: str) -> str:
    """Public form of an ID number: area and the last four kept, birth date and sequence hidden."""
    if len(code) < 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def complete_uscc(first16: str) -> str:
    """A valid USCC from its first 16 characters (authority, type, division, organisation code body):
    appends the GB 11714 check of the organisation code, then the USCC check character.
    Used for synthetic data; real codes are issued, never made."""
    first17 = first16 + org_code_check_char(first16[8:16])
    return first17 + uscc_check_char(first17)


def complete_resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)
