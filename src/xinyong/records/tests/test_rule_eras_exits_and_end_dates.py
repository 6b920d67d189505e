"""Which rule judges a penalty (527号 → 58号令 on 2023-05-01), one publication end date when a provider
sends its own 公示截止期, and exits (移出 / 缴清 / 解除) ending the dishonest state on their date."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.catalog.models import RecordKind
from xinyong.records.publication import decide, exit_of

pytestmark = pytest.mark.django_db
D = dt.date
OTHER_DOMAIN = 13  # 生态环境: national penalty rules


def kind(code: str) -> RecordKind:
    return RecordKind.objects.get(code=code)


def fine(**values: str) -> dict[str, str]:
    return {"cf_cflb": "罚款", "cf_nr_fk": "2", **values}


# --- 发改办财金〔2019〕527号 until 2023-04-30, 58号令 from 2023-05-01 ----------------------------------


@pytest.mark.parametrize(
    ("decided", "severity", "rule", "until", "minimum_until"),
    [
        # the last day of 527号: general 3 months to 1 year, serious 6 months to 3 years
        (D(2023, 4, 30), "一般", "publication.penalty@3", D(2024, 4, 29), D(2023, 7, 30)),
        (D(2023, 4, 30), "严重", "publication.penalty@3", D(2026, 4, 29), D(2023, 10, 30)),
        # the first day of 58号令: 3 months to 3 years whatever the severity
        (D(2023, 5, 1), "一般", "publication.penalty@1", D(2026, 4, 30), D(2023, 8, 1)),
        (D(2023, 5, 2), "一般", "publication.penalty@1", D(2026, 5, 1), D(2023, 8, 2)),
        # before the report scope date: still judged (the scope date limits reports, not publication)
        (D(2020, 7, 31), "一般", "publication.penalty@3", D(2021, 7, 30), D(2020, 10, 31)),
    ],
)
def test_a_penalty_is_judged_by_the_rule_in_force_on_its_decision_date(
    decided: dt.date, severity: str, rule: str, until: dt.date, minimum_until: dt.date
) -> None:
    p = decide(kind("penalty"), OTHER_DOMAIN, fine(cf_yzcd=severity), decided)

    assert (p.published, p.rule, p.publish_until, p.minimum_until) == (True, rule, until, minimum_until)


def test_527_names_its_title_in_the_sentence() -> None:
    p = decide(kind("penalty"), OTHER_DOMAIN, fine(), D(2022, 3, 1))

    assert p.explanation == "公示至 2023-02-28，依据发改办财金〔2019〕527号：一般失信信息最长公示12个月"


# --- the provider's own 公示截止期 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "until"),
    [
        (D(2026, 9, 9), D(2026, 9, 9)),  # inside the window: the provider's earlier date
        (D(2026, 9, 10), D(2026, 9, 10)),
        (D(2026, 7, 4), D(2026, 7, 4)),  # a day past the minimum
        (D(2026, 7, 3), D(2026, 7, 3)),  # the last day of the 3-month minimum
        (D(2026, 7, 2), D(2026, 7, 3)),  # a day short of the minimum: the minimum
        (D(2027, 4, 3), D(2027, 4, 3)),  # the legal maximum itself
        (D(2027, 4, 4), D(2027, 4, 3)),  # a day past the maximum: the maximum
    ],
)
def test_the_provider_date_counts_only_inside_the_legal_window(given: dt.date, until: dt.date) -> None:
    """GIVEN a general penalty decided 2026-04-04 under 36号令 (at least until 2026-07-03, at most until 2027-04-03)
    WHEN the provider sends its own 公示截止期 THEN the platform publishes until the one date shown."""
    p = decide(kind("penalty"), OTHER_DOMAIN, fine(cf_gsjzq=given.isoformat()), D(2026, 4, 4))

    assert p.publish_until == until
    assert p.explanation.startswith(f"公示至 {until}") or "超过法定最长公示期" in p.explanation
    if given != D(2027, 4, 3):
        assert p.rule == "publication.penalty@2,publication.provider_end_date@1"


def test_a_fixed_period_is_not_shortened_by_the_provider() -> None:
    p = decide(kind("enforcement"), OTHER_DOMAIN, {"qz_gsjzq": "2026-06-30"}, D(2026, 1, 10))

    assert p.publish_until == D(2027, 1, 9)
    assert "早于最短公示期，以法定期限为准" in p.explanation


# --- exits ---------------------------------------------------------------------------------------------


def test_every_kind_that_ends_names_a_field_of_its_schema() -> None:
    for code in (
        "serious_dishonesty_list",
        "key_attention_list",
        "abnormal_operation",
        "arrears",
        "enforcement",
    ):
        ends = exit_of(code, D(2026, 1, 1))
        assert ends is not None
        assert ends.field in {f["name"] for f in kind(code).schema}, code
    assert exit_of("penalty", D(2026, 1, 1)) is None


def test_a_removal_from_a_list_ends_publication_the_day_before_it() -> None:
    listing = kind("serious_dishonesty_list")

    p = decide(listing, 1, {"yzsx_ycrq": "2025-06-01"}, D(2023, 4, 16))

    assert (p.ended_on, p.publish_until) == (D(2025, 6, 1), D(2025, 5, 31))
    assert p.explanation == "已于 2025-06-01 移出，失信状态自当日终止，停止公示"
    assert p.rule == "publication.xiamen_dishonesty@1,publication.exit@1"


def test_a_settled_arrear_stays_published_as_history() -> None:
    p = decide(kind("arrears"), 28, {"qj_jqrq": "2025-03-01"}, D(2025, 1, 15))

    assert (p.ended_on, p.publish_until) == (D(2025, 3, 1), D(2026, 1, 14))
    assert p.explanation == "已于 2025-03-01 缴清，失信状态自当日终止，作为历史信息公示至 2026-01-14"


def test_an_entry_without_an_exit_date_is_current() -> None:
    p = decide(kind("serious_dishonesty_list"), 1, {}, D(2023, 4, 16))

    assert (p.ended_on, p.publish_until) == (None, D(2028, 4, 15))
