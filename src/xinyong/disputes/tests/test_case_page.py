"""The objection case page as the centre works it: the disputed record beside the requested
correction, a close form that never preselects an outcome the state forbids, and a forwarding
message that names the department and its deadline."""

from __future__ import annotations

import re

import pytest
import time_machine

from xinyong.accounts.models import User
from xinyong.disputes.models import Objection
from xinyong.disputes.services import file_objection
from xinyong.disputes.tests.conftest import MONDAY, signed_in
from xinyong.records.models import CreditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday() -> object:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def objection(record: CreditRecord, company: User) -> Objection:
    return file_objection(
        actor=company,
        record=record,
        grounds="error",
        statement="金额有误",
        requested_correction="罚款金额应为 0.5 万元",
    )


def _options(html: str) -> list[tuple[str, bool]]:
    select = html[html.index('name="outcome"') : html.index("</select>", html.index('name="outcome"'))]
    return [
        (value, " selected" in attrs)
        for value, attrs in re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    ]


def test_the_disputed_record_stands_beside_the_requested_correction(
    objection: Objection, handler: User
) -> None:
    html = signed_in(handler).get(f"/objections/{objection.number}/").content.decode()

    compare = html[html.index('id="compare"') :]
    assert compare.index('id="disputed-record"') < compare.index('id="requested-correction"')
    assert "罚款金额" in compare[: compare.index('id="requested-correction"')]  # the record's fields, by name
    assert "罚款金额应为 0.5 万元" in compare


def test_the_close_form_offers_only_what_the_state_allows_and_preselects_nothing(
    objection: Objection, handler: User
) -> None:
    html = signed_in(handler).get(f"/objections/{objection.number}/").content.decode()

    # Accepted, not forwarded: the comparison may maintain or revoke; correcting needs the department.
    assert _options(html) == [("", True), ("revoked", False), ("maintained", False)]


def test_forwarding_says_to_whom_and_by_when(objection: Objection, handler: User) -> None:
    client = signed_in(handler)
    response = client.post(f"/objections/{objection.number}/forward/", {"note": "请核查金额"}, follow=True)

    objection.refresh_from_db()
    assert objection.provider_due is not None
    assert (
        f"已转交厦门市市场监督管理局核查，请其于 {objection.provider_due:%Y-%m-%d} 前反馈。"
        in response.content.decode()
    )
