"""One style of case number (办件编号) for every case a person can quote: objections, credit repairs,
credit reports and credit commitments (docs/ui.md, "Case numbers").

    PREFIX + YYYYMMDD + "-" + SERIAL        YY20261205-0001   XF20261205-0042   CN20261205-0007
                                            BG20261205-7KQ2M9

``PREFIX`` is two letters for the kind (the initials of its pinyin: YY 异议, XF 修复, CN 承诺, BG 报告),
``YYYYMMDD`` the China date the case began, ``SERIAL`` at least four digits, or six characters for a
report: a report number is printed on a public document, so its tail is random (no ambiguous 0/O, 1/I)
and says nothing of how many reports the platform issues. Numbers are stored as issued and never
rewritten, so an older number (``XF-2026-000001``, ``XYCN202600000012``, ``XY20261122ABC234``) stays
valid wherever it was written down; ``normalise`` only tidies what a person typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

OBJECTION = "YY"
REPAIR = "XF"
COMMITMENT = "CN"
REPORT = "BG"

#: The current style; ``is_current`` tells a number in it from an older one.
PATTERN = re.compile(r"(?P<prefix>[A-Z]{2})(?P<day>\d{8})-(?P<serial>\d{4,}|[2-9A-HJ-NP-Z]{6})")


def number(prefix: str, day: dt.date, serial: int | str) -> str:
    """``number("XF", date(2026, 12, 5), 42)`` → ``XF20261205-0042``."""
    tail = f"{serial:04d}" if isinstance(serial, int) else serial
    return f"{prefix}{day:%Y%m%d}-{tail}"


def normalise(typed: str) -> str:
    """A number as a person may type it: full-width characters, lower case, spaces around or inside."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", typed)).upper()


def is_current(value: str) -> bool:
    return PATTERN.fullmatch(value) is not None
