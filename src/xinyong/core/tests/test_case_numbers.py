"""One style of case number across objections, repairs, reports and commitments."""

from __future__ import annotations

import datetime as dt

from xinyong.core import case_numbers

DAY = dt.date(2026, 12, 5)


def test_every_kind_takes_prefix_day_and_serial() -> None:
    assert case_numbers.number(case_numbers.OBJECTION, DAY, 1) == "YY20261205-0001"
    assert case_numbers.number(case_numbers.REPAIR, DAY, 123456) == "XF20261205-123456"
    assert case_numbers.number(case_numbers.COMMITMENT, DAY, 42) == "CN20261205-0042"
    assert case_numbers.number(case_numbers.REPORT, DAY, "7KQ2M9") == "BG20261205-7KQ2M9"


def test_it_tells_the_current_style_from_older_numbers() -> None:
    assert case_numbers.is_current("YY20261205-0001") and case_numbers.is_current("BG20261205-7KQ2M9")
    for older in ("XF-2026-000001", "XYCN202600000012", "XY20261122ABC234"):
        assert not case_numbers.is_current(older)


def test_it_tidies_what_a_person_typed() -> None:
    assert case_numbers.normalise(" ｂｇ20261205－7kq2m9 ") == "BG20261205-7KQ2M9"
    assert case_numbers.normalise("xf 2026 1205-0042") == "XF20261205-0042"
