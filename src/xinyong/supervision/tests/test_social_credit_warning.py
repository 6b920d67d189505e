"""A subject on 3 distinct key-attention lists within 12 months gets a public warning for 2 years; removed,
revoked and repaired entries do not count, and a warning is withdrawn when fewer than 3 lists remain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Domain, ProviderGrant
from xinyong.conftest import COMPANY_USCC, ProviderPersona
from xinyong.supervision.models import SocialCreditWarning

pytestmark = pytest.mark.django_db


LISTS = {25: "纳税信用D级纳税人", 13: "安全生产失信重点关注名单", 21: "交通运输失信重点关注名单"}


def listing(
    number: int, decided: str, domain: int, *, list_type: str = "", removed: str = ""
) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明", "名单类型": list_type or LISTS[domain], "认定文书号": f"厦关注〔2026〕{number}号",

        "列入事由": "多次违法", "列入依据": "相关规定", "列入日期": decided, "认定机关": "某局",
        "认定机关统一社会信用代码": "1135020000413900XC", "数据来源单位": "某局",
        "数据来源单位统一社会信用代码": "1135020000413900XC", "领域": str(domain),
    } | ({"移出日期": removed} if removed else {})  # fmt: skip


@pytest.fixture
def lister(market_bureau: ProviderPersona) -> ProviderPersona:
    for number in (13, 21):
        ProviderGrant.objects.create(
            provider=market_bureau.provider,
            domain=Domain.objects.get(number=number),
            kind_code="key_attention_list",
        )
    return market_bureau


def post(client: Client, persona: ProviderPersona, rows: list[dict[str, Any]], now: str) -> Any:
    with time_machine.travel(now, tick=False):
        response = persona.post(client, rows, kind="key_attention_list")
    assert all(r["status"] != "rejected" for r in response.json()["results"]), response.json()
    return response


def test_the_third_domain_within_a_year_raises_a_warning(client: Client, lister: ProviderPersona) -> None:
    post(
        client, lister, [listing(1, "2026-01-10", 25), listing(2, "2026-05-10", 13)], "2026-06-01 10:00 +0800"
    )
    assert not SocialCreditWarning.objects.exists()

    post(client, lister, [listing(3, "2026-11-20", 21)], "2026-11-22 10:00 +0800")

    warning = SocialCreditWarning.objects.get()
    assert (warning.lists, str(warning.publish_until)) == (sorted(LISTS.values()), "2028-11-21")
    assert "社会信用预警公示期24个月" in warning.explanation
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        assert "社会信用预警" in client.get(f"/s/{COMPANY_USCC}/").content.decode()


def test_lists_older_than_twelve_months_do_not_count(client: Client, lister: ProviderPersona) -> None:
    post(
        client, lister, [listing(1, "2025-11-22", 25), listing(2, "2026-05-10", 13)], "2026-06-01 10:00 +0800"
    )

    post(client, lister, [listing(3, "2026-11-20", 21)], "2026-11-22 10:00 +0800")

    assert not SocialCreditWarning.objects.exists()


def test_a_list_one_day_inside_the_window_counts(client: Client, lister: ProviderPersona) -> None:
    post(
        client, lister, [listing(1, "2025-11-23", 25), listing(2, "2026-05-10", 13)], "2026-06-01 10:00 +0800"
    )

    post(client, lister, [listing(3, "2026-11-20", 21)], "2026-11-22 10:00 +0800")

    assert SocialCreditWarning.objects.count() == 1


def test_the_daily_job_is_idempotent(client: Client, lister: ProviderPersona) -> None:
    post(
        client,
        lister,
        [listing(1, "2026-01-10", 25), listing(2, "2026-05-10", 13), listing(3, "2026-11-20", 21)],
        "2026-11-22 10:00 +0800",
    )

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        call_command("supervision", "warnings")
        call_command("supervision", "warnings")

    assert SocialCreditWarning.objects.count() == 1


def test_the_warning_ends_after_two_years(client: Client, lister: ProviderPersona) -> None:
    post(
        client,
        lister,
        [listing(1, "2026-01-10", 25), listing(2, "2026-05-10", 13), listing(3, "2026-11-20", 21)],
        "2026-11-22 10:00 +0800",
    )

    for day, shown in (("2028-11-21", True), ("2028-11-22", False)):
        with time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00+08:00"), tick=False):
            assert ("社会信用预警" in client.get(f"/s/{COMPANY_USCC}/").content.decode()) is shown, day


def test_three_entries_on_one_list_are_one_list(client: Client, lister: ProviderPersona) -> None:
    same = "纳税信用D级纳税人"
    post(
        client, lister,
        [listing(1, "2026-01-10", 25, list_type=same), listing(2, "2026-05-10", 13, list_type=same),
         listing(3, "2026-11-20", 21, list_type=same)],
        "2026-11-22 10:00 +0800",
    )  # fmt: skip

    assert not SocialCreditWarning.objects.exists()


def test_an_entry_removed_before_the_third_listing_does_not_count(
    client: Client, lister: ProviderPersona
) -> None:
    post(
        client, lister,
        [listing(1, "2026-01-10", 25, removed="2026-06-01"), listing(2, "2026-05-10", 13), listing(3, "2026-11-20", 21)],
        "2026-11-22 10:00 +0800",
    )  # fmt: skip

    assert not SocialCreditWarning.objects.exists()


@pytest.mark.parametrize(("removed", "withdrawn"), [("2026-12-02", True), ("2026-12-03", False)])
def test_a_removal_withdraws_the_warning_from_its_exit_date(
    client: Client, lister: ProviderPersona, removed: str, withdrawn: bool
) -> None:
    """GIVEN a warning raised on three lists WHEN one entry is removed (a new version with 移出日期) and the
    daily job runs on 2026-12-02 THEN the warning is withdrawn only if the exit date has come."""
    rows = [listing(1, "2026-01-10", 25), listing(2, "2026-05-10", 13), listing(3, "2026-11-20", 21)]
    post(client, lister, rows, "2026-11-22 10:00 +0800")
    post(client, lister, [listing(1, "2026-01-10", 25, removed=removed)], "2026-12-01 10:00 +0800")

    with time_machine.travel("2026-12-02 10:00 +0800", tick=False):
        call_command("supervision", "warnings")
        page = client.get(f"/s/{COMPANY_USCC}/").content.decode()

    warning = SocialCreditWarning.objects.get()
    assert (warning.withdrawn_at is not None) is withdrawn
    if withdrawn:
        assert "不足3个" in warning.withdrawal_note
        assert "社会信用预警已撤回" in page
        assert AuditEntry.objects.filter(action="warning.withdraw", subject_code=COMPANY_USCC).count() == 1
    else:
        assert "社会信用预警已撤回" not in page


def test_a_warning_outlives_the_twelve_month_window_while_its_lists_stand(
    client: Client, lister: ProviderPersona
) -> None:
    rows = [listing(1, "2026-01-10", 25), listing(2, "2026-05-10", 13), listing(3, "2026-11-20", 21)]
    post(client, lister, rows, "2026-11-22 10:00 +0800")

    with time_machine.travel("2027-12-01 10:00 +0800", tick=False):
        call_command("supervision", "warnings")

    assert SocialCreditWarning.objects.get().withdrawn_at is None
